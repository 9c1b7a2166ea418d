// Response and event shapes: what the server sends, over REST and Socket.IO alike.
import type { accessModes, electionStatuses, resultsVisibilities } from './schemas';
import type { BallotCastRequest, JoinRequest } from './schemas';

export type AccessMode = (typeof accessModes)[number];
export type ResultsVisibility = (typeof resultsVisibilities)[number];
export type ElectionStatus = (typeof electionStatuses)[number];
export type Role = 'admin' | 'voter';

/** Every error body: `{"error":{"code","message","details"}}`. */
export const errorStatus = {
  bad_json: 400,
  bad_request: 400,
  unauthorized: 401,
  /** A ballot code that is unknown, used, revoked or of another election. */
  invalid_code: 401,
  forbidden: 403,
  account_blocked: 403,
  password_change_required: 403,
  not_on_allowlist: 403,
  not_open: 403,
  results_hidden: 403,
  not_found: 404,
  already_voted: 409,
  conflict: 409,
  not_draft: 409,
  last_admin: 409,
  payload_too_large: 413,
  invalid: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  /** The master database does not answer (or is read-only during a failover): retry later. */
  master_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof errorStatus;

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /**
   * Set by an admin's temporary password: until the user changes it (POST /api/auth/password)
   * the session can do nothing else (403 `password_change_required`).
   */
  mustChangePassword: boolean;
}

/** A user as the admin's account list shows it. */
export interface UserAccount extends User {
  blocked: boolean;
  createdAt: string;
}

/** `GET /api/users`: one page of the accounts matching the search, and how many match. */
export interface UserList {
  users: UserAccount[];
  total: number;
  offset: number;
  limit: number;
}

/** `POST /api/users/:id/password`: shown once to the admin, to pass on to the user. */
export interface TemporaryPasswordResponse {
  user: UserAccount;
  temporaryPassword: string;
}

/**
 * Why the caller cannot vote in an election now (`GET /api/elections/:id/me`), in the order they
 * are checked: who the caller is, whether they are admitted, whether they voted, the clock.
 */
export const cannotVoteReasons = [
  'sign_in_required',
  'not_on_allowlist',
  /** `roll`: a ballot code (or a signed-in account on the roll) is needed. */
  'code_required',
  /** `roll`: the signed-in account's email is on no entry of the roll. */
  'not_on_roll',
  'already_voted',
  'not_open',
] as const;
export type CannotVoteReason = (typeof cannotVoteReasons)[number];

/** `GET /api/elections/:id/me`: may the caller vote, and if not, why. */
export interface VoterStanding {
  electionId: string;
  status: ElectionStatus;
  canVote: boolean;
  /** Null when `canVote`. */
  reason: CannotVoteReason | null;
  /** This caller's ballot is in (read never older than the caller's own last ballot). */
  voted: boolean;
}

export interface LoginResponse {
  user: User;
  token: string;
}

export interface VoterTokenResponse {
  voterToken: string;
}

/** `POST /api/elections/:id/roll`: how many entries were added; refs already on the roll. */
export interface RollImportResponse {
  added: number;
  duplicates: string[];
}

/**
 * Where an entry's ballot code stands: none issued yet, one that can still be exchanged, or one
 * already exchanged for a voter token. Revoked codes are not shown.
 */
export type RollCodeState = 'none' | 'issued' | 'used';

/** One voter roll entry as admins see it: who they are and whether they voted, never how. */
export interface RollEntry {
  ref: string;
  name: string;
  email: string | null;
  voted: boolean;
  code: RollCodeState;
}

export interface RollListResponse {
  eligible: number;
  voted: number;
  entries: RollEntry[];
}

/** A ballot code, shown once when issued. `link` is a path on the client's origin. */
export interface IssuedCode {
  ref: string;
  code: string;
  link: string;
}

export interface RollCodesResponse {
  codes: IssuedCode[];
}

export interface Candidate {
  id: string;
  name: string;
  description: string | null;
  photoUrl: string | null;
}

export interface Position {
  id: string;
  title: string;
  description: string | null;
  maxSelections: number;
  winners: number;
  /** Whether the ballot offers an explicit "Abstain" for this position (sent as `ABSTAIN`). */
  allowAbstain: boolean;
  candidates: Candidate[];
}

export interface Election {
  id: string;
  joinCode: string;
  title: string;
  description: string | null;
  access: AccessMode;
  resultsVisibility: ResultsVisibility;
  status: ElectionStatus;
  /** ISO 8601 with offset, or null when not scheduled. */
  opensAt: string | null;
  closesAt: string | null;
  /**
   * Ballots commit in database transactions of at least this many (or after the server's longest
   * hold); above 1 a voter's submit may wait a few seconds ("sealing your ballot with others").
   */
  anonymitySet: number;
  /**
   * `accounts` elections: the allowlist (normalised emails and `@domains`; empty admits every
   * account). Sent to admins only; absent for everyone else.
   */
  allowlist?: string[];
  /** `roll` elections: how many people are on the voter roll (turnout's denominator); else null. */
  eligible: number | null;
  createdAt: string;
  updatedAt: string;
  positions: Position[];
}

/** `ballots` (turnout) follows the results' visibility: null where the caller may not see them. */
export type ElectionSummary = Omit<Election, 'positions'> & { ballots: number | null };

/**
 * `GET /api/elections/by-code/:joinCode/lobby`: what anyone holding a join code may know before
 * signing in, so a page can say what it is joining and whether to ask for a sign-in first.
 * `canEnter` is true when this caller may load the whole election.
 */
export interface ElectionLobby {
  id: string;
  joinCode: string;
  title: string;
  access: AccessMode;
  status: ElectionStatus;
  opensAt: string | null;
  closesAt: string | null;
  canEnter: boolean;
}

export interface BallotReceipt {
  receipt: string;
  /**
   * True when this voter's ballot was already in (an Idempotency-Key retry answered with the
   * first ballot's receipt): the selections sent now were not recorded; the first ballot stands.
   */
  replayed?: boolean;
}

export interface ReceiptCheck {
  receipt: string;
  electionId: string;
  counted: boolean;
}

export interface CandidateResult {
  id: string;
  votes: number;
  rank: number;
  winner: boolean;
  tied: boolean;
}

export interface PositionResult {
  id: string;
  candidates: CandidateResult[];
  /** Ballots that chose "Abstain" for this position. */
  abstained: number;
  /** Ballots that marked nothing for this position and did not abstain. */
  blank: number;
}

export interface Results {
  /** Grows with every committed batch that touched this election; clients drop older ones. */
  version: number;
  ballots: number;
  /** Ballots with nothing marked and no abstention in any position. */
  blank: number;
  /** True once the election is closed: winners are final. */
  final: boolean;
  /** `roll` elections: the number of entries on the voter roll (turnout = ballots / eligible). */
  eligible: number | null;
  positions: PositionResult[];
}

export interface Tally extends Results {
  electionId: string;
}

export interface AuditMismatch {
  positionId: string;
  candidateId: string;
  counter: number;
  recount: number;
}

export interface AuditReport {
  match: boolean;
  ballots: number;
  participation: number;
  mismatches: AuditMismatch[];
}

export interface DependencyHealth {
  ok: boolean;
  error?: string;
}

export interface ReplicaHealth extends DependencyHealth {
  name: string;
  replicating: boolean;
  lagSeconds: number | null;
}

export interface HealthReport {
  node: string;
  /** `down` only when nothing can be read; a master outage alone is `degraded` (reads go on). */
  status: 'ok' | 'degraded' | 'down';
  /** Whether this node can take ballots and other writes now (the master answers, writable). */
  writable: boolean;
  master: DependencyHealth;
  replicas: ReplicaHealth[];
  redis: DependencyHealth;
}

export interface PresenceEvent {
  electionId: string;
  viewers: number;
}

export interface ElectionStatusEvent {
  electionId: string;
  status: ElectionStatus;
  opensAt: string | null;
  closesAt: string | null;
}

export type JoinAck =
  | {
      ok: true;
      status: ElectionStatus;
      results: Tally | null;
      presence: number;
      election: ElectionStatusEvent;
    }
  | { ok: false; error: { code: ErrorCode; message: string } };

export type BallotCastAck =
  | { ok: true; receipt: string; replayed?: boolean }
  | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

export interface ServerToClientEvents {
  tally: (tally: Tally) => void;
  presence: (presence: PresenceEvent) => void;
  'election:status': (status: ElectionStatusEvent) => void;
}

export interface ClientToServerEvents {
  'election:join': (req: JoinRequest, ack: (res: JoinAck) => void) => void;
  'election:leave': (req: JoinRequest, ack?: (res: { ok: boolean }) => void) => void;
  'ballot:cast': (req: BallotCastRequest, ack: (res: BallotCastAck) => void) => void;
}
