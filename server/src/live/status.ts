// Election status pushes. The domain announces every change (`electionChanged`: open, close,
// schedule, edit, and the clock's flips); this node pushes `election:status` and a fresh tally to
// the election's viewers. The clock is driven by the leader, which flips due elections on the
// master once a second (each flip is guarded by the stored status, so it happens once even if two
// nodes briefly both lead).
import type { DomainEvents } from '../domain-events';
import type { Logger } from '../log';
import { statusEvent, type Broadcaster, type LiveReads, type Scope } from './ports';
import { viewersRoom } from './rooms';

export interface StatusPusherOptions {
  reads: Pick<LiveReads, 'getElection'>;
  events: DomainEvents;
  /** Opens and closes elections whose time has come (announcing each). */
  advanceClock: () => Promise<unknown>;
  out: Broadcaster;
  isLeader: () => boolean;
  scope: () => Scope;
  /** A tally must follow a status change (visibility or `final` may have changed). */
  republish: (electionId: string) => Promise<void>;
  log: Logger;
  clockEveryMs: number;
}

export class StatusPusher {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly o: StatusPusherOptions) {}

  start(): void {
    this.unsubscribe = this.o.events.subscribe('electionChanged', (id) => void this.push(id));
    this.timer = setInterval(() => void this.clock(), this.o.clockEveryMs).unref();
  }

  stop(): void {
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  async push(electionId: string): Promise<void> {
    try {
      const e = await this.o.reads.getElection(electionId);
      if (!e) return;
      this.o.out.emit(viewersRoom(electionId), 'election:status', statusEvent(e), this.o.scope());
      await this.o.republish(electionId);
    } catch (err) {
      this.o.log.warn({ err, electionId }, 'status push failed');
    }
  }

  private async clock(): Promise<void> {
    // Without Redis nobody leads; the stored status then waits, but every read already applies
    // the clock (effective status), so ballots and views stay right meanwhile.
    if (!this.o.isLeader()) return;
    try {
      await this.o.advanceClock(); // each flip is announced and pushed through `electionChanged`
    } catch (err) {
      this.o.log.warn({ err }, 'status clock failed');
    }
  }
}
