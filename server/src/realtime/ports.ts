// What the live layer needs from the domain, as one small interface: index.ts wires the real
// accounts/elections/ballots/tallies functions into it, unit tests pass fakes.
import type {
  AccessMode,
  ElectionStatus,
  ElectionStatusEvent,
  ResultsVisibility,
  Results,
  Selections,
  ServerToClientEvents,
} from '@tallyboard/shared';
import type { Principal } from '../accounts/tokens';

/** The slice of an election the live layer decides on; `status` is the effective one by clock. */
export interface LiveElection {
  id: string;
  status: ElectionStatus;
  access: AccessMode;
  resultsVisibility: ResultsVisibility;
  opensAt: string | null;
  closesAt: string | null;
}

/** Who is on the other end of a socket, as far as the live layer cares. */
export interface Viewer {
  /** null for an anonymous viewer. */
  principal: Principal | null;
  isAdmin: boolean;
}

export interface CommittedBatch {
  electionIds: string[];
  gtid: string;
}

export interface LiveDomain {
  /** Token → viewer; throws DomainError('unauthorized') when the token is invalid. */
  authenticate(token: string): Promise<Viewer>;
  /** Throws not_found / unauthorized / forbidden as the REST read of the election would. */
  assertCanView(e: LiveElection, viewer: Viewer): void;
  canSeeResults(e: LiveElection, viewer: Viewer): boolean;
  getElection(electionId: string): Promise<LiveElection | null>;
  /** Results from a replica that has applied `gtid` (when given). */
  readResults(electionId: string, gtid: string | undefined): Promise<Results>;
  castBallot(input: {
    principal: Principal | null;
    electionId: string;
    selections: Selections;
    idempotencyKey?: string | undefined;
  }): Promise<{ receipt: string; replayed: boolean }>;
  /** Subscribes to committed ballot batches on this node; returns the unsubscribe. */
  onCommitted(listener: (batch: CommittedBatch) => void): () => void;
  /**
   * Flips scheduled→open and open→closed for elections whose time has come, on the master, each
   * at most once cluster-wide; returns the ids it changed.
   */
  advanceClock(now: Date): Promise<string[]>;
}

export const statusEvent = (e: LiveElection): ElectionStatusEvent => ({
  electionId: e.id,
  status: e.status,
  opensAt: e.opensAt,
  closesAt: e.closesAt,
});

/** `cluster` goes through the Redis adapter to every node; `local` reaches this node's sockets. */
export type Scope = 'cluster' | 'local';

export interface Broadcaster {
  emit<E extends keyof ServerToClientEvents>(
    room: string,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    scope: Scope,
  ): void;
  /** Sockets on this node watching the election. */
  localViewers(electionId: string): number;
}
