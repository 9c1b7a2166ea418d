// Pure ballot rules: "select up to N", radio behaviour for N = 1, an explicit abstention where the
// position offers one, blank and partial ballots.
import { ABSTAIN, type Position, type Selections } from '@tallyboard/shared';

/** Per position, the chosen candidate ids, or `[ABSTAIN]`. */
export type Draft = Record<string, string[]>;

export const isAbstaining = (draft: Draft, positionId: string): boolean =>
  (draft[positionId] ?? []).includes(ABSTAIN);

/** Abstain replaces any choice in the position; choosing it again withdraws it. */
export function toggleAbstain(draft: Draft, position: Position): Draft {
  if (!position.allowAbstain) return draft;
  return { ...draft, [position.id]: isAbstaining(draft, position.id) ? [] : [ABSTAIN] };
}

/** Selections after the voter clicks a candidate; at the limit, extra choices are refused. */
export function toggleCandidate(draft: Draft, position: Position, candidateId: string): Draft {
  // A candidate chosen after "Abstain" replaces the abstention.
  const current = (draft[position.id] ?? []).filter((id) => id !== ABSTAIN);
  if (current.includes(candidateId)) {
    return { ...draft, [position.id]: current.filter((id) => id !== candidateId) };
  }
  if (position.maxSelections === 1) return { ...draft, [position.id]: [candidateId] };
  if (current.length >= position.maxSelections) return draft;
  return { ...draft, [position.id]: [...current, candidateId] };
}

export function clearPosition(draft: Draft, positionId: string): Draft {
  return { ...draft, [positionId]: [] };
}

export function isAtLimit(draft: Draft, position: Position): boolean {
  if (isAbstaining(draft, position.id)) return false;
  return (draft[position.id] ?? []).length >= position.maxSelections;
}

/** How many candidates are chosen in the position (an abstention chooses none). */
export const chosenCount = (draft: Draft, positionId: string): number =>
  (draft[positionId] ?? []).filter((id) => id !== ABSTAIN).length;

/** Positions the voter left empty. */
export function emptyPositions(draft: Draft, positions: Position[]): Position[] {
  return positions.filter((p) => (draft[p.id] ?? []).length === 0);
}

export function isBlank(draft: Draft, positions: Position[]): boolean {
  return emptyPositions(draft, positions).length === positions.length;
}

/** What is sent: every position present, candidates in ballot order, or `[ABSTAIN]`. */
export function toSelections(draft: Draft, positions: Position[]): Selections {
  const out: Selections = {};
  for (const p of positions) {
    if (p.allowAbstain && isAbstaining(draft, p.id)) {
      out[p.id] = [ABSTAIN];
      continue;
    }
    const chosen = new Set(draft[p.id] ?? []);
    out[p.id] = p.candidates.filter((c) => chosen.has(c.id)).map((c) => c.id);
  }
  return out;
}

/**
 * Keeps a draft only where it still fits the election (known positions and candidates, within the
 * limits): what a reload restores may be stale or tampered with.
 */
export function sanitizeDraft(raw: unknown, positions: Position[]): Draft {
  const out: Draft = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const p of positions) {
    const ids = (raw as Record<string, unknown>)[p.id];
    if (!Array.isArray(ids)) continue;
    if (p.allowAbstain && ids.includes(ABSTAIN)) {
      out[p.id] = [ABSTAIN];
      continue;
    }
    const known = new Set(p.candidates.map((c) => c.id));
    const kept = [
      ...new Set(ids.filter((id): id is string => typeof id === 'string' && known.has(id))),
    ];
    out[p.id] = kept.slice(0, p.maxSelections);
  }
  return out;
}
