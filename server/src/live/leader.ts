// One node leads the live layer (tally publishing, presence totals, the status clock): a lease in
// Redis taken with SET NX PX and renewed at a third of its TTL, so when the leader dies another
// node takes over within one TTL. Without Redis nobody leads; every node falls back to local work.
import type { RedisClient } from '../redis';
import type { Logger } from '../log';
import { keys, runScript } from './redis-scripts';

export interface LeaderLeaseOptions {
  redis: RedisClient;
  /** Redis usable right now (every live connection ready); false means degraded mode. */
  up: () => boolean;
  nodeId: string;
  log: Logger;
  /** Lease lifetime (live/defaults.ts `leaderTtlMs`). */
  ttlMs: number;
}

export class LeaderLease {
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly ttlMs: number;

  constructor(private readonly opts: LeaderLeaseOptions) {
    this.ttlMs = opts.ttlMs;
  }

  get isLeader(): boolean {
    return this.leading && this.opts.up();
  }

  start(): void {
    const loop = (): void => {
      void this.renew().finally(() => {
        if (this.timer) this.timer = setTimeout(loop, this.ttlMs / 3).unref();
      });
    };
    this.timer = setTimeout(loop, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.leading && this.opts.up()) {
      await runScript(this.opts.redis, 'release', [keys.leader], [this.opts.nodeId]).catch(
        () => undefined,
      );
    }
    this.leading = false;
  }

  private async renew(): Promise<void> {
    const was = this.leading;
    const started = Date.now();
    try {
      if (!this.opts.up()) {
        this.leading = false;
      } else {
        const r = await runScript(
          this.opts.redis,
          'lease',
          [keys.leader],
          [this.opts.nodeId, this.ttlMs],
        );
        // A renewal that took most of the TTL may have let someone else in meanwhile.
        this.leading = r === 1 && Date.now() - started < this.ttlMs / 2;
      }
    } catch {
      this.leading = false;
    }
    if (was !== this.leading) {
      this.opts.log.info({ leader: this.leading }, this.leading ? 'live leader' : 'live follower');
    }
  }
}
