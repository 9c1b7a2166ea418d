// How a tally reaches the sockets: the publishing node sends it to the other nodes as a
// server-side event through the adapter, and every node (the publisher too) hands it to its own
// sockets in the room only if it is newer than the last one it handed them there. The version
// floor sits with the receivers because a sender's floor cannot see the other senders: for half a
// second after Redis restarts empty, the old leader has not yet noticed its lease is gone while a
// new one publishes, and a node that served its own viewers while Redis was away is ahead of the
// leader's first read. Either way a receiver drops what its viewers already have.
import type { Tally } from '@tallyboard/shared';
import { VersionFloor } from '../live/coalescing';
import type { Scope } from '../live/ports';

/** What the nodes send one another (Socket.IO's server-side events). */
export interface InterNodeEvents {
  'tb:tally': (room: string, tally: Tally, force: boolean) => void;
}

/** The part of the Socket.IO server the relay uses. */
export interface RelayServer {
  /** This node's sockets in a room. */
  localEmit(room: string, tally: Tally): void;
  /** The other nodes (through the adapter; lost while Redis is away, as any broadcast is). */
  toOtherNodes(room: string, tally: Tally, force: boolean): void;
  onFromOtherNode(listener: (room: string, tally: Tally, force: boolean) => void): void;
}

/** A room that took no tally for this long is forgotten (its election went quiet). */
const FORGET_AFTER_MS = 10 * 60_000;
/** How often quiet rooms are looked for. */
const PRUNE_EVERY_MS = 60_000;

export class TallyRelay {
  private readonly delivered = new VersionFloor();
  private prunedAt = Date.now();

  constructor(private readonly io: RelayServer) {
    io.onFromOtherNode((room, tally, force) => this.deliver(room, tally, force));
  }

  send(room: string, tally: Tally, force: boolean, scope: Scope): void {
    if (scope === 'cluster') this.io.toOtherNodes(room, tally, force);
    this.deliver(room, tally, force);
  }

  /**
   * The floor moves even when no socket of this node is in the room: one that joins later gets a
   * fresh snapshot, and a late older tally must not follow it.
   */
  private deliver(room: string, tally: Tally, force: boolean): void {
    const now = Date.now();
    if (!this.delivered.accept(room, tally.version, force, now)) return;
    this.io.localEmit(room, tally);
    if (now - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now;
      this.delivered.forgetIdle(now, FORGET_AFTER_MS);
    }
  }
}
