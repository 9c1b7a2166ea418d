// May this caller vote in this election, and if not, why: what the ballot page shows before the
// ballot ("you have voted", "this election is for @school.edu accounts") instead of after a
// refused submit. The same admission check guards every ballot (BallotWriter.cast).
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
  already_voted: 'you have already voted in this election',
  not_open: 'the election is not open',
};

/**
 * Whether the access mode admits the caller: `open` admits anyone (a voter token is issued on
 * the way); `accounts` needs a signed-in account, on the allowlist where there is one. Each access
 * mode adds its own case here.
 */
export async function admission(
  db: Pool,
  e: { id: string; access: AccessMode },
  p: Principal | null,
): Promise<CannotVoteReason | null> {
  switch (e.access) {
    case 'open':
      return null;
    case 'accounts':
      if (p?.kind !== 'user') return 'sign_in_required';
      return (await admitsAccount(db, e.id, p.userId)) ? null : 'not_on_allowlist';
    case 'roll':
      // Merge of the roll and admin branches: the roll entry is looked up when the ballot is
      // written (roll/voters.ts rollVoterKey), which refuses callers not on the roll.
      return null;
  }
}

/** admission, as the error a refused ballot gets. */
export async function assertAdmitted(
  db: Pool,
  e: { id: string; access: AccessMode },
  p: Principal,
): Promise<void> {
  const reason = await admission(db, e, p);
  if (!reason) return;
  throw new DomainError(
    reason === 'not_on_allowlist' ? 'not_on_allowlist' : 'forbidden',
    messages[reason],
  );
}

/** `GET /api/elections/:id/me`. A draft does not exist for anyone but an admin. */
export async function voterStanding(
  deps: { master: Pool; participation: Participation },
  e: ElectionMeta,
  p: Principal | null,
): Promise<VoterStanding> {
  if (e.status === 'draft' && !isAdmin(p)) throw new DomainError('not_found', 'election not found');
  const [reasonOfAccess, voted] = await Promise.all([
    admission(deps.master, e, p),
    p ? deps.participation.hasVoted(voterKey(p), e.id) : Promise.resolve(false),
  ]);
  const reason = whyCannotVote({ status: e.status, admission: reasonOfAccess, voted });
  return { electionId: e.id, status: e.status, canVote: reason === null, reason, voted };
}
