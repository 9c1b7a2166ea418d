// Pure ballot rules: "select up to N", radio behaviour for N = 1, blank and partial ballots.
import type { Position, Selections } from '@tallyboard/shared';

export type Draft = Record<string, string[]>;

/** Selections after the voter clicks a candidate; at the limit, extra choices are refused. */
export function toggleCandidate(draft: Draft, position: Position, candidateId: string): Draft {
  const current = draft[position.id] ?? [];
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
  return (draft[position.id] ?? []).length >= position.maxSelections;
}

/** Positions the voter left empty. */
export function emptyPositions(draft: Draft, positions: Position[]): Position[] {
  return positions.filter((p) => (draft[p.id] ?? []).length === 0);
}

export function isBlank(draft: Draft, positions: Position[]): boolean {
  return emptyPositions(draft, positions).length === positions.length;
}

/** What is sent: every position present, candidates in ballot order. */
export function toSelections(draft: Draft, positions: Position[]): Selections {
  const out: Selections = {};
  for (const p of positions) {
    const chosen = new Set(draft[p.id] ?? []);
    out[p.id] = p.candidates.filter((c) => chosen.has(c.id)).map((c) => c.id);
  }
  return out;
}
