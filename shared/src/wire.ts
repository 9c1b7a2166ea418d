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
  forbidden: 403,
  not_open: 403,
  results_hidden: 403,
  not_found: 404,
  already_voted: 409,
  conflict: 409,
  not_draft: 409,
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
}

/** A user as the admin's account list shows it. */
export interface UserAccount extends User {
  blocked: boolean;
}

export interface LoginResponse {
  user: User;
  token: string;
}

export interface VoterTokenResponse {
  voterToken: string;
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
