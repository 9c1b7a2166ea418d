// TallyPublisher: turns committed ballot batches into `tally` broadcasts, coalesced for the whole
// cluster. Every node marks the elections a batch touched as dirty in Redis, with the batch GTID;
// the leader alone polls the marks, reads each election from a replica that has applied that
// GTID, and emits once per election per interval through the adapter. So a viewer gets at most
// 1000/intervalMs tallies per second whatever the vote rate or node count (fewer when the frame
// budget stretches the interval: frame-budget.ts, and then a group of viewers at a time:
// tally-groups.ts), and the last state always goes out (a mark is cleared only after its read was
// emitted to every viewer, and only if no newer batch arrived meanwhile).
//
// Degraded mode (Redis unreachable): each node publishes its own commits to its own sockets,
// spaced the same way, and remembers them; when Redis is back it re-marks them (and everything of
// the last minute, in case Redis restarted empty) so the leader brings every node up to date.
// The two are strategies (tally-modes.ts) over one emitter (tally-emitter.ts); this class only
// runs the poll loop, picks the strategy per call by `up()` and notices Redis coming back.
import type { CommittedBatch } from '../domain-events';
import type { FrameBudget } from './frame-budget';
import type { EngineContext, LiveReads, Scope } from './ports';
import { TallyEmitter } from './tally-emitter';
import { ClusterTallies, LocalTallies, type TallyMode } from './tally-modes';

export interface TallyPublisherOptions extends EngineContext {
  reads: LiveReads;
  /** Minimum spacing of two tallies of one election (live/defaults.ts). */
  intervalMs: number;
  /** Stretches that spacing when the cluster's viewers would take more frames than it allows. */
  budget?: FrameBudget;
  /** How long commits are remembered for re-marking after a Redis restart. */
  recentMs: number;
  /** How long a read election status and visibility is reused. */
  electionCacheMs: number;
  /** Tally groups per election, served in turn while the interval is stretched. @default 1 */
  groups?: number;
  /** Shortest spacing of two group slots. @default 50 */
  minSlotMs?: number;
  onEmit?: (scope: Scope) => void;
}

export class TallyPublisher {
  private readonly pollMs: number;
  private readonly emitter: TallyEmitter;
  private readonly local: LocalTallies;
  private readonly cluster: ClusterTallies;
  private timer: NodeJS.Timeout | undefined;
  private wasReady: boolean;

  constructor(private readonly o: TallyPublisherOptions) {
    this.pollMs = Math.max(10, Math.min(25, Math.floor(o.intervalMs / 4)));
    this.emitter = new TallyEmitter(o);
    this.local = new LocalTallies({ emitter: this.emitter, recentMs: o.recentMs });
    this.cluster = new ClusterTallies({ ...o, emitter: this.emitter, local: this.local });
    this.wasReady = o.up();
  }

  start(): void {
    const loop = (): void => {
      void this.tick()
        .catch((e: unknown) => this.o.log.warn({ err: e }, 'tally tick failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, this.pollMs).unref();
        });
    };
    this.timer = setTimeout(loop, this.pollMs).unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Called for every batch committed on this node. */
  committed(batch: CommittedBatch): void {
    this.mode().committed(batch);
  }

  /** A status or visibility change: publish once more even at the same version. */
  forcePublish(electionId: string): Promise<void> {
    return this.mode().forcePublish(electionId);
  }

  /** Newest GTID committed for the election (join acks read at least this far). */
  lastGtid(electionId: string): Promise<string | undefined> {
    return this.mode().lastGtid(electionId);
  }

  /** Redis reconnected (maybe restarted empty): mark again what we committed lately. */
  onRedisBack(): void {
    this.o.log.info(
      { elections: this.local.recentElections },
      'redis back: re-marking recent commits',
    );
    this.local.remarkRecent();
  }

  private mode(): TallyMode {
    return this.o.up() ? this.cluster : this.local;
  }

  private async tick(): Promise<void> {
    const ready = this.o.up();
    if (ready && !this.wasReady) this.onRedisBack();
    this.wasReady = ready;
    await (ready ? this.cluster : this.local).tick();
    this.prune(Date.now());
  }

  /** Both memories are walked only once either has grown. */
  private prune(now: number): void {
    if (this.local.recentElections < 64 && this.emitter.cachedElections < 256) return;
    this.local.pruneRecent(now);
    this.emitter.prune(now);
  }
}
