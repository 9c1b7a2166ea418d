// What happened in the domain, for whoever needs to react: the one event mechanism of a node.
// The domain emits (the ballot writer after each commit, the election lifecycle after each
// change, accounts when sessions are revoked); the live engine subscribes and turns events into
// broadcasts, the socket transport closes revoked users' sockets. Transports never emit.
import { EventEmitter } from 'node:events';

/** A group-commit transaction that recorded ballots of these elections. */
export interface CommittedBatch {
  electionIds: string[];
  /** The commit's GTID: a read that waits for it sees the batch. */
  gtid: string;
}

export interface DomainEventMap {
  /** Ballots of these elections committed on the master (emitted on the node that wrote them). */
  committed: [CommittedBatch];
  /**
   * A manual close was asked for and is about to happen: every node's BallotWriter commits the
   * ballots it holds for the election's anonymity set (the live engine relays this to the other
   * nodes) so none is left behind the close.
   */
  closing: [electionId: string];
  /** An election's status, schedule or visibility changed (open, close, schedule, edit, clock). */
  electionChanged: [electionId: string];
  /**
   * This user's sessions stopped working (logout, blocked, deleted, temporary password, password
   * change) or its rights changed (promoted, demoted): whoever holds live connections
   * authenticated by one of them closes them, on every node.
   */
  sessionsRevoked: [userId: string];
}

export class DomainEvents extends EventEmitter<DomainEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Subscribes `listener` to `event`; returns the unsubscribe. */
  subscribe<K extends keyof DomainEventMap>(
    event: K,
    listener: (...args: DomainEventMap[K]) => void,
  ): () => void {
    // Node's typed EventEmitter wants its own listener type; the map above is the contract.
    const l = listener as Parameters<EventEmitter<DomainEventMap>['on']>[1];
    this.on(event, l);
    return () => void this.off(event, l);
  }
}
