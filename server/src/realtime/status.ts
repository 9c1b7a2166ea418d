// Election status pushes. Admin actions announce a change through `announceElectionStatus` (the
// REST handlers call it after open/close/schedule/patch); the clock is driven by the leader, which
// flips due elections on the master once a second (advanceClock is guarded by the stored status,
// so a flip happens once even if two nodes briefly both lead).
import { EventEmitter } from 'node:events';
import type { Logger } from '../log';
import { statusEvent, type Broadcaster, type LiveDomain, type Scope } from './ports';
import { viewersRoom } from './visibility';

const announcements = new EventEmitter();
announcements.setMaxListeners(0);

/**
 * Tells the live layer that an election's status or schedule changed on this node (open, close,
 * schedule, reschedule, visibility). Safe to call when no realtime server is attached.
 */
export function announceElectionStatus(electionId: string): void {
  announcements.emit('changed', electionId);
}

export interface StatusPusherOptions {
  domain: Pick<LiveDomain, 'getElection' | 'advanceClock'>;
  out: Broadcaster;
  isLeader: () => boolean;
  scope: () => Scope;
  /** A tally must follow a status change (visibility or `final` may have changed). */
  republish: (electionId: string) => Promise<void>;
  log: Logger;
  /** @default 1000 */
  clockEveryMs?: number;
}

export class StatusPusher {
  private timer: NodeJS.Timeout | undefined;
  private readonly listener = (id: string): void => void this.push(id);

  constructor(private readonly o: StatusPusherOptions) {}

  start(): void {
    announcements.on('changed', this.listener);
    this.timer = setInterval(() => void this.clock(), this.o.clockEveryMs ?? 1000).unref();
  }

  stop(): void {
    announcements.off('changed', this.listener);
    clearInterval(this.timer);
  }

  async push(electionId: string): Promise<void> {
    try {
      const e = await this.o.domain.getElection(electionId);
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
      const changed = await this.o.domain.advanceClock(new Date());
      await Promise.all(changed.map((id) => this.push(id)));
    } catch (err) {
      this.o.log.warn({ err }, 'status clock failed');
    }
  }
}
