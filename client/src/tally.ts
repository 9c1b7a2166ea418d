// Pure rules for showing results: never go back to an older version, and percentages of ballots.
import type { Results } from '@tallyboard/shared';
import { locale } from './locale';

export type LiveResults = Results;

/**
 * The results to keep when `next` arrives: tallies carry a version that only grows, and one that
 * arrives late (another node, a join snapshot after a broadcast) must not move the bars back.
 */
export function newerResults(current: LiveResults | null, next: Results): LiveResults {
  if (current && next.version < current.version) return current;
  if (current && next.version === current.version && current.final && !next.final) return current;
  return {
    version: next.version,
    ballots: next.ballots,
    blank: next.blank ?? 0,
    final: next.final ?? false,
    eligible: next.eligible ?? null,
    positions: next.positions,
  };
}

/** Voters on the roll (`roll` elections): from the latest results, else from the election. */
export function eligibleOf(...sources: (object | null | undefined)[]): number | null {
  for (const source of sources) {
    const eligible: unknown = source && 'eligible' in source ? source.eligible : undefined;
    if (typeof eligible === 'number') return eligible;
  }
  return null;
}

/** Share of ballots that chose the candidate, 0..100 (several choices per ballot are allowed). */
export function percentOf(votes: number, ballots: number): number {
  if (ballots <= 0) return 0;
  return Math.min(100, (votes / ballots) * 100);
}

/** In the chosen language's own way (`12 %` in Spanish, `12%` in English and Filipino). */
export function formatPercent(pct: number): string {
  const digits = pct > 0 && pct < 10 ? 1 : 0;
  return new Intl.NumberFormat(locale(), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(pct / 100);
}
