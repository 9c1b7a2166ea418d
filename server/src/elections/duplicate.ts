// Duplicating an election from the admin console: a new draft with the same positions,
// candidates and settings (allowlist included), a new join code and no ballots. Times are not
// copied: the old ones have usually passed, and a copy is scheduled afresh.
import type { Pool } from 'mysql2/promise';
import { LIMITS, type Election, type ElectionInput } from '@tallyboard/shared';
import { readAllowlist } from './allowlist';
import { createElection } from './lifecycle';
import { requireElection } from './store';

const COPY_SUFFIX = ' (copy)';

/** "Board 2026" → "Board 2026 (copy)", cut so it stays within the title limit. */
export function copyTitle(title: string): string {
  const room = LIMITS.title - COPY_SUFFIX.length;
  return `${[...title].slice(0, room).join('').trimEnd()}${COPY_SUFFIX}`;
}

/** The creation input that rebuilds `e` (as stored, so already valid). */
export function duplicateInput(e: Election, allowlist: string[]): ElectionInput {
  const text = (s: string | null) => s ?? undefined;
  return {
    title: copyTitle(e.title),
    description: text(e.description),
    access: e.access,
    resultsVisibility: e.resultsVisibility,
    anonymitySet: e.anonymitySet,
    ...(e.access === 'accounts' && { allowlist }),
    positions: e.positions.map((p) => ({
      title: p.title,
      description: text(p.description),
      maxSelections: p.maxSelections,
      winners: p.winners,
      allowAbstain: p.allowAbstain,
      candidates: p.candidates.map((c) => ({
        name: c.name,
        description: text(c.description),
        photoUrl: text(c.photoUrl),
      })),
    })),
  };
}

export async function duplicateElection(
  pool: Pool,
  id: string,
  createdBy: string,
): Promise<Election> {
  const source = await requireElection(pool, id);
  const allowlist = await readAllowlist(pool, id);
  return createElection(pool, duplicateInput(source, allowlist), createdBy);
}
