// What the live engine needs from the domain and from the transport, as two small interfaces:
// live/domain.ts wires the real reads in, unit tests pass fakes; the Socket.IO transport provides
// the Broadcaster.
import type { ElectionStatusEvent, Results, ServerToClientEvents, Tally } from '@tallyboard/shared';
import type { RedisClient } from '../redis';
import type { ElectionMeta } from '../elections/rules';
import type { Logger } from '../log';

export interface LiveReads {
  /** The election as the master has it now, status by the clock; null when it does not exist. */
  getElection(electionId: string): Promise<ElectionMeta | null>;
  /** Results from a replica that has applied `gtid` (when given). */
  readResults(electionId: string, gtid: string | undefined): Promise<Results>;
}

export const statusEvent = (e: ElectionMeta): ElectionStatusEvent => ({
  electionId: e.id,
  status: e.status,
  opensAt: e.opensAt,
  closesAt: e.closesAt,
});

/** `cluster` goes through the Redis adapter to every node; `local` reaches this node's sockets. */
export type Scope = 'cluster' | 'local';

export interface Broadcaster {
  emit<E extends Exclude<keyof ServerToClientEvents, 'tally'>>(
    room: string,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
    scope: Scope,
  ): void;
  /**
   * A tally to rooms (one, or the election's tally groups). Every node that receives it (this one
   * alone when local) hands it to its sockets in each room only if it is newer than the last tally
   * it handed them there (equal passes when forced): viewers never see a tally go backwards, even
   * when two nodes publish for a moment (the lease changing hands after a Redis restart) or a node
   * served its own viewers while Redis was away (realtime/tally-relay.ts).
   */
  tally(rooms: string[], tally: Tally, force: boolean, scope: Scope): void;
  /** Sockets on this node watching the election. */
  localViewers(electionId: string): number;
}

/** What every part of the engine (publisher, presence) is built with. */
export interface EngineContext {
  /** The engine's command connection (no offline queue). */
  redis: RedisClient;
  /** Redis usable right now (every live connection ready); false means degraded mode. */
  up: () => boolean;
  out: Broadcaster;
  isLeader: () => boolean;
  log: Logger;
}
