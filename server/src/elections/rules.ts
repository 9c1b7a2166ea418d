// Election rules as pure functions: the lifecycle by the clock, who may see what, and whether a
// ballot's selections fit the election. No storage, no transport.
import {
  ABSTAIN,
  type AccessMode,
  type Election,
  type ElectionStatus,
  type ResultsVisibility,
  type Selections,
} from '@tallyboard/shared';
import type { Principal } from '../accounts/tokens';
import { DomainError } from '../errors';

export interface ElectionClock {
  status: ElectionStatus;
  opensAt: Date | null;
  closesAt: Date | null;
}

/**
 * The status in force at `now`: a scheduled election is open once `opensAt` passes and any
 * non-draft election is closed once `closesAt` passes, even before a job rewrites the stored
 * status. A draft stays a draft whatever its times say.
 */
export function effectiveStatus(e: ElectionClock, now: Date): ElectionStatus {
  if (e.status === 'draft' || e.status === 'closed') return e.status;
  if (e.closesAt && now.getTime() >= e.closesAt.getTime()) return 'closed';
  if (e.status === 'open') return 'open';
  if (e.opensAt && now.getTime() >= e.opensAt.getTime()) return 'open';
  return 'scheduled';
}

export const isAdmin = (p: Principal | null): boolean => p?.kind === 'user' && p.role === 'admin';

/**
 * An election without its positions: what the live engine, the ballot path and every access
 * decision need. `status` is the effective one, by the clock.
 */
export interface ElectionMeta {
  id: string;
  joinCode: string;
  title: string;
  status: ElectionStatus;
  access: AccessMode;
  resultsVisibility: ResultsVisibility;
  opensAt: string | null;
  closesAt: string | null;
}

/** The part of an election that decides who sees what. */
export type ElectionAccess = Pick<ElectionMeta, 'status' | 'access' | 'resultsVisibility'>;

/**
 * Whether `p` may load the whole election: drafts are the admin's alone, `accounts` elections
 * are for signed-in users.
 */
export function canView(e: ElectionAccess, p: Principal | null): boolean {
  if (isAdmin(p)) return true;
  if (e.status === 'draft') return false;
  if (e.access === 'roll' && p?.kind === 'voter' && p.roll) return true;
  return e.access === 'open' || p?.kind === 'user';
}

/** canView, as the error the caller gets: a draft does not exist for them; otherwise sign in. */
export function assertCanView(e: ElectionAccess, p: Principal | null): void {
  if (canView(e, p)) return;
  if (e.status === 'draft') throw new DomainError('not_found', 'election not found');
  throw new DomainError(
    p ? 'forbidden' : 'unauthorized',
    e.access === 'roll'
      ? 'this election is for the people on its voter roll: use your ballot code or sign in'
      : 'this election is for registered voters: sign in',
  );
}

export function canSeeResults(e: ElectionAccess, p: Principal | null): boolean {
  if (isAdmin(p)) return true;
  if (e.status === 'draft') return false;
  if (e.resultsVisibility === 'live') return true;
  if (e.resultsVisibility === 'after_close') return e.status === 'closed';
  return false;
}

export function assertCanSeeResults(e: ElectionAccess, p: Principal | null): void {
  assertCanView(e, p);
  if (!canSeeResults(e, p)) {
    throw new DomainError(
      'results_hidden',
      e.resultsVisibility === 'after_close'
        ? 'results are shown after the election closes'
        : 'results are visible to administrators only',
    );
  }
}

/**
 * Who may cast a ballot (the open/closed check itself happens in the write transaction): a draft
 * does not exist for anyone but an admin, as on the GET routes; `accounts` elections need a
 * signed-in user; `roll` elections a roll voter token or a signed-in user (whose roll entry is
 * looked up when the ballot is written).
 */
export function assertCanVote(e: Pick<ElectionAccess, 'access' | 'status'>, p: Principal): void {
  if (e.status === 'draft' && !isAdmin(p)) {
    throw new DomainError('not_found', 'election not found');
  }
  if (e.access === 'accounts' && p.kind !== 'user') {
    throw new DomainError('forbidden', 'this election is for registered voters: sign in');
  }
  // A roll voter token is for its roll election alone; who is on the roll is roll/voters.ts.
  if (e.access === 'roll' && p.kind === 'voter' && !p.roll) {
    throw new DomainError('forbidden', 'this election has a voter roll: use your ballot code');
  }
  if (e.access !== 'roll' && p.kind === 'voter' && p.roll) {
    throw new DomainError('forbidden', 'this voter token is for another election');
  }
}

/**
 * Checks a ballot against the election: known positions only, at most `maxSelections` per
 * position, no candidate twice, only candidates of that position. Blank and partial ballots are
 * valid. A position that allows it may be sent `[ABSTAIN]` alone: an explicit abstention, returned
 * as the pair [positionId, ABSTAIN]. Returns the selections as [positionId, candidateId] pairs.
 */
export function validateSelections(
  election: Pick<Election, 'positions'>,
  selections: Selections,
): Array<[string, string]> {
  const problems: Array<{ path: string[]; message: string }> = [];
  const pairs: Array<[string, string]> = [];
  const positions = new Map(election.positions.map((p) => [p.id, p]));
  for (const [positionId, chosen] of Object.entries(selections)) {
    const position = positions.get(positionId);
    if (!position) {
      problems.push({ path: [positionId], message: 'no such position in this election' });
      continue;
    }
    if (chosen.includes(ABSTAIN)) {
      if (!position.allowAbstain) {
        problems.push({ path: [positionId], message: 'this position does not offer abstain' });
      } else if (chosen.length > 1) {
        problems.push({
          path: [positionId],
          message: 'abstain cannot be combined with candidates',
        });
      } else {
        pairs.push([positionId, ABSTAIN]);
      }
      continue;
    }
    if (chosen.length > position.maxSelections) {
      problems.push({
        path: [positionId],
        message: `at most ${position.maxSelections} selection(s) allowed`,
      });
    }
    const candidates = new Set(position.candidates.map((c) => c.id));
    const seen = new Set<string>();
    for (const candidateId of chosen) {
      if (seen.has(candidateId)) {
        problems.push({ path: [positionId, candidateId], message: 'candidate selected twice' });
      } else if (!candidates.has(candidateId)) {
        problems.push({
          path: [positionId, candidateId],
          message: 'not a candidate for this position',
        });
      } else {
        pairs.push([positionId, candidateId]);
      }
      seen.add(candidateId);
    }
  }
  if (problems.length) throw new DomainError('invalid', 'invalid selections', { issues: problems });
  return pairs;
}

/** Rules on a schedule beyond the schema: nothing may close in the past. */
export function checkSchedule(
  times: { opensAt?: string | null; closesAt?: string | null },
  now: Date,
): void {
  if (times.closesAt && Date.parse(times.closesAt) <= now.getTime()) {
    throw new DomainError('invalid', 'closesAt must be in the future', {
      issues: [{ path: ['closesAt'], message: 'must be in the future' }],
    });
  }
}
