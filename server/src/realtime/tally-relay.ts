// How a tally reaches the sockets: the publishing node sends it to the other nodes as a
// server-side event through the adapter, and every node (the publisher too) hands it to its own
// sockets in the room only if it is newer than the last one it handed them there. The version
// floor sits with the receivers because a sender's floor cannot see the other senders: for half a
// second after Redis restarts empty, the old leader has not yet noticed its lease is gone while a
// new one publishes, and a node that served its own viewers while Redis was away is ahead of the
// leader's first read. Either way a receiver drops what its viewers already have.
//
// A tally may go to several rooms at once (the tally groups of live/tally-groups.ts): one message
// between nodes, one floor per room, and one write to the union of the rooms that take it. A node
// that puts its sockets in no group (TALLY_GROUPS=1, or a version without groups beside newer
// nodes) takes a group's tally for the whole room, before the floor, so its viewers still get
// every tally and never an older one.
import type { Tally } from '@tallyboard/shared';
import { VersionFloor } from '../live/coalescing';
import type { Scope } from '../live/ports';

/** What the nodes send one another (Socket.IO's server-side events). */
export interface InterNodeEvents {
  'tb:tally': (rooms: string[], tally: Tally, force: boolean) => void;
}

/** The part of the Socket.IO server the relay uses. */
export interface RelayServer {
  /** This node's sockets in any of the rooms (each socket once). */
  localEmit(rooms: string[], tally: Tally): void;
  /** The other nodes (through the adapter; lost while Redis is away, as any broadcast is). */
  toOtherNodes(rooms: string[], tally: Tally, force: boolean): void;
  onFromOtherNode(listener: (rooms: string[], tally: Tally, force: boolean) => void): void;
  /** The room that stands for `room` among this node's sockets. @default the room itself */
  ownRoom?(room: string): string;
}

/** A room that took no tally for this long is forgotten (its election went quiet). */
const FORGET_AFTER_MS = 10 * 60_000;
/** How often quiet rooms are looked for. */
const PRUNE_EVERY_MS = 60_000;

export class TallyRelay {
  private readonly delivered = new VersionFloor();
  private prunedAt = Date.now();

  constructor(private readonly io: RelayServer) {
    io.onFromOtherNode((rooms, tally, force) => this.deliver(rooms, tally, force));
  }

  send(rooms: string[], tally: Tally, force: boolean, scope: Scope): void {
    if (scope === 'cluster') this.io.toOtherNodes(rooms, tally, force);
    this.deliver(rooms, tally, force);
  }

  /**
   * The floor moves even when no socket of this node is in the room: one that joins later gets a
   * fresh snapshot, and a late older tally must not follow it.
   */
  private deliver(rooms: string[], tally: Tally, force: boolean): void {
    const now = Date.now();
    const own = this.io.ownRoom ? [...new Set(rooms.map((r) => this.io.ownRoom!(r)))] : rooms;
    const taken = own.filter((room) => this.delivered.accept(room, tally.version, force, now));
    if (taken.length) this.io.localEmit(taken, tally);
    if (now - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now;
      this.delivered.forgetIdle(now, FORGET_AFTER_MS);
    }
  }
}
