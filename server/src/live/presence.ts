// Live viewers per election, across nodes. Each node writes its own count per election into
// Redis (`{tb:live}:presence:<id>` field <nodeId>) and keeps a heartbeat with a TTL; a total counts
// only nodes whose heartbeat is alive, so a dead node's viewers drop out within the TTL plus one
// leader sweep (by default 10 s + 0.5 s, under the 15 s promise). The leader alone sweeps and pushes
// `presence`, at most every 500 ms per election and only on change: one frame per viewer per
// change cluster-wide instead of one per node. Past a tenth of the frame budget (1,200 viewers at
// the default) a crowd's pushes are spaced further apart, up to 10 s (frame-budget.ts), the last
// count always told. Without Redis each node pushes its own count.
// The two are strategies (presence-modes.ts) over one record of this node's viewers; this class
// runs the timers and picks the strategy per call by `up()`.
import type { FrameBudget } from './frame-budget';
import type { EngineContext } from './ports';
import { ClusterPresence, LocalPresence, NodeViewers, type PresenceMode } from './presence-modes';

export interface PresenceOptions extends EngineContext {
  nodeId: string;
  /** Spaces a crowd's presence pushes so they take at most a share of the frame budget. */
  budget?: FrameBudget;
  /** The rest: live/defaults.ts. */
  heartbeatTtlMs: number;
  heartbeatEveryMs: number;
  presenceFlushMs: number;
  presencePushMs: number;
}

export class Presence {
  private readonly viewers: NodeViewers;
  private readonly local: LocalPresence;
  private readonly cluster: ClusterPresence;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: PresenceOptions) {
    this.viewers = new NodeViewers(o.out, o.budget);
    this.local = new LocalPresence(this.viewers);
    this.cluster = new ClusterPresence({ ...o, viewers: this.viewers });
  }

  start(): void {
    const every = (ms: number, fn: () => Promise<void>): void => {
      this.timers.push(
        setInterval(() => {
          fn().catch((err: unknown) => this.o.log.debug({ err }, 'presence step failed'));
        }, ms).unref(),
      );
    };
    void this.mode()
      .heartbeat()
      .catch(() => undefined);
    every(this.o.heartbeatEveryMs, () => this.mode().heartbeat());
    every(this.o.presenceFlushMs, () => this.mode().flush());
    every(this.o.presencePushMs, () => this.mode().push());
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.mode().stop();
  }

  /** Writes every local count again (after a Redis restart). */
  rewrite(): void {
    this.viewers.changedAll();
    void this.mode()
      .heartbeat()
      .catch(() => undefined);
  }

  /** A socket joined or left an election on this node. */
  touch(electionId: string): void {
    this.viewers.touch(electionId);
  }

  /** Viewers of the election across live nodes (this node's own count without Redis). */
  total(electionId: string): Promise<number> {
    return this.mode().total(electionId);
  }

  /** Viewers of the election as the last push counted them (cluster-wide on the leader). */
  counted(electionId: string): number {
    return this.viewers.counted(electionId);
  }

  private mode(): PresenceMode {
    return this.o.up() ? this.cluster : this.local;
  }
}
