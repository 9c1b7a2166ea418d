// How a tally reaches the sockets: the publishing node sends it to the other nodes as a
// server-side event through the adapter, and every node (the publisher too) hands it to its own
// sockets in the room only if it is newer than the last one it handed them there. The version
// floor sits with the receivers because a sender's floor cannot see the other senders: for half a
// second after Redis restarts empty, the old leader has not yet noticed its lease is gone while a
// new one publishes, and a node that served its own viewers while Redis was away is ahead of the
// leader's first read. Either way a receiver drops what its viewers already have.
//
// A big room gets its tally a slice of sockets at a time, one slice per turn of the event loop:
// written in one go, 10,000 frames hold a node's loop for a good part of a second, and every
// ballot that arrives meanwhile waits for its ack. A newer tally that arrives while a room is
// still being served waits for that round to end (the newest one only), so no socket can get a
// newer tally before an older one.
import type { Tally } from '@tallyboard/shared';
import { VersionFloor } from '../live/coalescing';
import type { Scope } from '../live/ports';

/** What the nodes send one another (Socket.IO's server-side events). */
export interface InterNodeEvents {
  'tb:tally': (room: string, tally: Tally, force: boolean) => void;
}

/** The part of the Socket.IO server the relay uses. */
export interface RelayServer {
  /** This node's sockets in a room (their ids). */
  members(room: string): string[];
  /** To this node's sockets in a room. */
  toRoom(room: string, tally: Tally): void;
  /** To some of this node's sockets, by id. */
  toSockets(ids: string[], tally: Tally): void;
  /** The other nodes (through the adapter; lost while Redis is away, as any broadcast is). */
  toOtherNodes(room: string, tally: Tally, force: boolean): void;
  onFromOtherNode(listener: (room: string, tally: Tally, force: boolean) => void): void;
}

export interface TallyRelayOptions {
  /** Sockets written per turn of the event loop; 0 writes every room whole. @default 500 */
  sliceSize?: number;
}

/** A room that took no tally for this long is forgotten (its election went quiet). */
const FORGET_AFTER_MS = 10 * 60_000;
/** How often quiet rooms are looked for. */
const PRUNE_EVERY_MS = 60_000;

export class TallyRelay {
  private readonly delivered = new VersionFloor();
  private prunedAt = Date.now();
  private readonly sliceSize: number;
  /** Rooms being served a slice at a time → the tally to serve next, if a newer one came. */
  private readonly serving = new Map<string, { next: Tally | null }>();

  constructor(
    private readonly io: RelayServer,
    o: TallyRelayOptions = {},
  ) {
    this.sliceSize = o.sliceSize === 0 ? Infinity : Math.max(1, o.sliceSize ?? 500);
    io.onFromOtherNode((room, tally, force) => this.deliver(room, tally, force));
  }

  send(room: string, tally: Tally, force: boolean, scope: Scope): void {
    if (scope === 'cluster') this.io.toOtherNodes(room, tally, force);
    this.deliver(room, tally, force);
  }

  /** Rooms whose last tally is still being written. */
  get busyRooms(): number {
    return this.serving.size;
  }

  /**
   * The floor moves even when no socket of this node is in the room: one that joins later gets a
   * fresh snapshot, and a late older tally must not follow it.
   */
  private deliver(room: string, tally: Tally, force: boolean): void {
    const now = Date.now();
    if (!this.delivered.accept(room, tally.version, force, now)) return;
    if (now - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now;
      this.delivered.forgetIdle(now, FORGET_AFTER_MS);
    }
    const busy = this.serving.get(room);
    if (busy) busy.next = tally;
    else this.serve(room, tally);
  }

  private serve(room: string, tally: Tally): void {
    const ids = this.io.members(room);
    if (ids.length <= this.sliceSize) return this.io.toRoom(room, tally);
    const round = { next: null as Tally | null };
    this.serving.set(room, round);
    let from = 0;
    const slice = (): void => {
      this.io.toSockets(ids.slice(from, from + this.sliceSize), tally);
      from += this.sliceSize;
      if (from < ids.length) return void setImmediate(slice);
      this.serving.delete(room);
      if (round.next) this.serve(room, round.next);
    };
    slice();
  }
}
