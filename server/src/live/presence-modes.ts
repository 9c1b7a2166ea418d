// The two ways presence reaches viewers, side by side behind one interface; Presence picks one per
// call by whether Redis answers. ClusterPresence shares this node's counts through Redis, proves
// the node alive with a heartbeat, and lets the leader push the sums. LocalPresence has nothing to
// share: each node tells its own viewers what it sees, and Redis learns the counts again from the
// next cluster heartbeat.
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis';
import type { FrameBudget } from './frame-budget';
import type { Broadcaster, Scope } from './ports';
import { keys, runScript } from './redis-scripts';
import { viewersRoom } from './rooms';

/**
 * This node's side of presence, kept across mode switches: which elections have viewers here,
 * which counts changed since they were last written, what was last counted, and what viewers were
 * last told (and when: under the frame budget a crowd's pushes are spaced further apart).
 */
export class NodeViewers {
  /** Elections whose local count changed since the last write to Redis. */
  readonly changed = new Set<string>();
  /** Elections with viewers on this node (re-written on every heartbeat). */
  readonly watched = new Set<string>();
  private readonly counts = new Map<string, number>();
  /** Sum of `counts`: every viewer the pushes reach. */
  private total = 0;
  private readonly told = new Map<string, { viewers: number; at: number }>();

  constructor(
    private readonly out: Broadcaster,
    private readonly budget?: FrameBudget,
  ) {}

  /** Sockets on this node watching the election. */
  here(electionId: string): number {
    return this.out.localViewers(electionId);
  }

  touch(electionId: string): void {
    this.watched.add(electionId);
    this.changed.add(electionId);
  }

  /** Every watched count is to be written again (Redis may have restarted empty). */
  changedAll(): void {
    for (const id of this.watched) this.changed.add(id);
  }

  /**
   * Viewers of the election as last counted for a push: the cluster's total on the leader, this
   * node's own while degraded (the frame budget's input; 0 before the first count).
   */
  counted(electionId: string): number {
    return this.counts.get(electionId) ?? 0;
  }

  /**
   * Records the count and pushes `presence` unless viewers were already told it, or were told
   * another too recently for the frame budget (the next push, a spacing later, tells them).
   */
  pushIfChanged(id: string, viewers: number, scope: Scope): void {
    this.total += viewers - (this.counts.get(id) ?? 0);
    if (viewers === 0) this.counts.delete(id);
    else this.counts.set(id, viewers);
    const last = this.told.get(id);
    if (last?.viewers === viewers) return;
    const now = Date.now();
    if (last && this.budget && now - last.at < this.budget.presenceIntervalMs(this.total)) return;
    if (viewers === 0) this.told.delete(id);
    else this.told.set(id, { viewers, at: now });
    this.out.emit(viewersRoom(id), 'presence', { electionId: id, viewers }, scope);
  }
}

export interface PresenceMode {
  /** Viewers of the election as this mode can count them. */
  total(electionId: string): Promise<number>;
  /** Tells viewers every count that changed. */
  push(): Promise<void>;
  /** Shares the counts that changed since the last flush. */
  flush(): Promise<void>;
  /** Proves this node alive and shares every count again. */
  heartbeat(): Promise<void>;
  /** Takes this node's counts back on shutdown. */
  stop(): Promise<void>;
}

export class LocalPresence implements PresenceMode {
  constructor(private readonly viewers: NodeViewers) {}

  async total(electionId: string): Promise<number> {
    return this.viewers.here(electionId);
  }

  async push(): Promise<void> {
    for (const id of this.viewers.watched)
      this.viewers.pushIfChanged(id, this.viewers.here(id), 'local');
  }

  async flush(): Promise<void> {}

  async heartbeat(): Promise<void> {}

  async stop(): Promise<void> {}
}

export class ClusterPresence implements PresenceMode {
  /** This process's life: a restarted node does not inherit the counts of its previous one. */
  private readonly incarnation = randomBytes(6).toString('hex');

  constructor(
    private readonly o: {
      redis: RedisClient;
      nodeId: string;
      isLeader: () => boolean;
      viewers: NodeViewers;
      heartbeatTtlMs: number;
    },
  ) {}

  async total(electionId: string): Promise<number> {
    const local = this.o.viewers.here(electionId);
    try {
      await this.write([electionId]);
      return Number(
        await runScript(this.o.redis, 'presence', [keys.presence(electionId), keys.nodes], []),
      );
    } catch {
      return local;
    }
  }

  async push(): Promise<void> {
    if (!this.o.isLeader()) return;
    const ids = await this.o.redis.smembers(keys.presenceElections);
    await Promise.all(
      ids.map(async (id) => {
        const total = Number(
          await runScript(this.o.redis, 'presence', [keys.presence(id), keys.nodes], []),
        );
        if (total === 0) await this.o.redis.srem(keys.presenceElections, id);
        this.o.viewers.pushIfChanged(id, total, 'cluster');
      }),
    );
  }

  async flush(): Promise<void> {
    const { changed } = this.o.viewers;
    if (!changed.size) return;
    const ids = [...changed];
    changed.clear();
    try {
      await this.write(ids);
    } catch (e) {
      for (const id of ids) changed.add(id);
      throw e;
    }
  }

  async heartbeat(): Promise<void> {
    await runScript(
      this.o.redis,
      'heartbeat',
      [keys.nodes],
      [this.o.nodeId, this.incarnation, this.o.heartbeatTtlMs],
    );
    // Re-write every count: Redis may have restarted empty since.
    await this.write([...this.o.viewers.watched]);
  }

  async stop(): Promise<void> {
    // Only our own heartbeat: a successor with the same node id may already be running.
    await runScript(this.o.redis, 'leave', [keys.nodes], [this.o.nodeId, this.incarnation]).catch(
      () => undefined,
    );
    const m = this.o.redis.multi();
    for (const id of this.o.viewers.watched) m.hdel(keys.presence(id), this.o.nodeId);
    await m.exec().catch(() => undefined);
  }

  private async write(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const m = this.o.redis.multi();
    for (const id of ids) {
      const n = this.o.viewers.here(id);
      if (n > 0) {
        m.hset(keys.presence(id), this.o.nodeId, `${this.incarnation}:${n}`);
        m.sadd(keys.presenceElections, id);
      } else {
        m.hdel(keys.presence(id), this.o.nodeId);
        this.o.viewers.watched.delete(id);
      }
    }
    await m.exec();
  }
}
