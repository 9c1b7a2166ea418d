// May this caller vote in this election, and if not, why: what the ballot page shows before the
// ballot ("you have voted", "this election is for @school.edu accounts") instead of after a
// refused submit. The same admission check guards every ballot (BallotWriter.cast) and gives the
// participation key it is written under (a roll entry's for roll voters, code or sign-in alike).
import type { Pool } from 'mysql2/promise';
import type {
  AccessMode,
  CannotVoteReason,
  ElectionStatus,
  VoterStanding,
} from '@tallyboard/shared';
import { voterKey, type Principal } from '../accounts/tokens';
import type { Participation } from '../ballots/participation';
import { DomainError } from '../errors';
import { findRollVoterKey, rollVoterKey } from '../roll/voters';
import { admitsAccount } from './allowlist';
import { isAdmin, type ElectionMeta } from './rules';

/** The facts a standing is decided from. */
export interface StandingFacts {
  status: ElectionStatus;
  /** Why the access mode does not admit the caller (admission below), or null. */
  admission: CannotVoteReason | null;
  voted: boolean;
}

/** The first reason that stops the caller, in the order the page should explain them. */
export function whyCannotVote(f: StandingFacts): CannotVoteReason | null {
  if (f.admission) return f.admission;
  if (f.voted) return 'already_voted';
  if (f.status !== 'open') return 'not_open';
  return null;
}

const messages: Record<CannotVoteReason, string> = {
  sign_in_required: 'this election is for registered voters: sign in',
  not_on_allowlist: 'this account is not on the list of voters of this election',
  code_required: 'this election has a voter roll: use your ballot code',
  not_on_roll: 'your account is not on the voter roll of this election: use your ballot code',
  already_voted: 'you have already voted in this election',
  not_open: 'the election is not open',
};

/** Whether the access mode admits the caller, and the participation key it votes under. */
export interface Admission {
  reason: CannotVoteReason | null;
  /** null when the caller has no identity to vote under (yet). */
  key: string | null;
}

/**
 * Whether the access mode admits the caller: `open` admits anyone (a voter token is issued on
 * the way; a roll voter token is for its own election only); `accounts` needs a signed-in
 * account, on the allowlist where there is one; `roll` needs a roll voter token whose code is
 * still its entry's, or a signed-in account whose email is on the roll (roll/voters.ts).
 */
export async function admission(
  db: Pool,
  e: { id: string; access: AccessMode },
  p: Principal | null,
): Promise<Admission> {
  switch (e.access) {
    case 'open':
      return { reason: null, key: p && !(p.kind === 'voter' && p.roll) ? voterKey(p) : null };
    case 'accounts':
      if (p?.kind !== 'user') return { reason: 'sign_in_required', key: null };
      return (await admitsAccount(db, e.id, p.userId))
        ? { reason: null, key: voterKey(p) }
        : { reason: 'not_on_allowlist', key: null };
    case 'roll': {
      // No caller, or a voter token the roll does not take: a ballot code (or a sign-in) is needed.
      const found = await findRollVoterKey(db, e.id, p);
      if ('key' in found) return { reason: null, key: found.key };
      return { reason: p?.kind === 'user' ? 'not_on_roll' : 'code_required', key: null };
    }
  }
}

/**
 * The participation key a ballot of `p` is written under, or the refusal (`not_on_allowlist`,
 * or `forbidden` with the reason's sentence; a roll's own refusals as roll/voters.ts words them).
 */
export async function admittedKey(
  db: Pool,
  e: { id: string; access: AccessMode },
  p: Principal,
): Promise<string> {
  if (e.access === 'roll') return rollVoterKey(db, e.id, p);
  const { reason, key } = await admission(db, e, p);
  if (reason) {
    throw new DomainError(
      reason === 'not_on_allowlist' ? 'not_on_allowlist' : 'forbidden',
      messages[reason],
    );
  }
  return key ?? voterKey(p);
}

/** `GET /api/elections/:id/me`. A draft does not exist for anyone but an admin. */
export async function voterStanding(
  deps: { master: Pool; participation: Participation },
  e: ElectionMeta,
  p: Principal | null,
): Promise<VoterStanding> {
  if (e.status === 'draft' && !isAdmin(p)) throw new DomainError('not_found', 'election not found');
  const admitted = await admission(deps.master, e, p);
  const voted = admitted.key ? await deps.participation.hasVoted(admitted.key, e.id) : false;
  const reason = whyCannotVote({ status: e.status, admission: admitted.reason, voted });
  return { electionId: e.id, status: e.status, canVote: reason === null, reason, voted };
}
