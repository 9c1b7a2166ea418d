// Live viewers per election, across nodes. Each node writes its own count per election into
// Redis (`tb:presence:<id>` field <nodeId>) and keeps a heartbeat key with a TTL; a total counts
// only nodes whose heartbeat is alive, so a dead node's viewers drop out within the TTL plus one
// leader sweep (by default 10 s + 0.5 s, under the 15 s promise). The leader alone sweeps and pushes
// `presence`, at most every 500 ms per election and only on change: one frame per viewer per
// change cluster-wide instead of one per node. Without Redis each node pushes its own count.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log';
import type { Broadcaster } from './ports';
import { keys, runScript } from './redis-scripts';
import { viewersRoom } from './rooms';

export interface PresenceOptions {
  redis: Redis;
  /** Redis usable right now (every live connection ready); false means degraded mode. */
  up: () => boolean;
  nodeId: string;
  out: Broadcaster;
  isLeader: () => boolean;
  log: Logger;
  /** The rest: live/defaults.ts. */
  heartbeatTtlMs: number;
  heartbeatEveryMs: number;
  presenceFlushMs: number;
  presencePushMs: number;
}

export class Presence {
  /** Elections whose local count changed since the last write to Redis. */
  private readonly changed = new Set<string>();
  /** Elections with viewers on this node (re-written on every heartbeat). */
  private readonly watched = new Set<string>();
  private readonly lastPushed = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly ttl: number;
  /** This process's life: a restarted node does not inherit the counts of its previous one. */
  private readonly incarnation = randomBytes(6).toString('hex');

  constructor(private readonly o: PresenceOptions) {
    this.ttl = o.heartbeatTtlMs;
  }

  start(): void {
    const every = (ms: number, fn: () => Promise<void>): void => {
      this.timers.push(
        setInterval(() => {
          fn().catch((err: unknown) => this.o.log.debug({ err }, 'presence step failed'));
        }, ms).unref(),
      );
    };
    void this.heartbeat().catch(() => undefined);
    every(this.o.heartbeatEveryMs, () => this.heartbeat());
    every(this.o.presenceFlushMs, () => this.flush());
    every(this.o.presencePushMs, () => this.push());
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (!this.o.up()) return;
    // Only our own heartbeat: a successor with the same node id may already be running.
    const alive = await this.o.redis.get(keys.nodeAlive + this.o.nodeId).catch(() => null);
    const m = this.o.redis.multi();
    if (alive === this.incarnation) m.del(keys.nodeAlive + this.o.nodeId);
    for (const id of this.watched) m.hdel(keys.presence(id), this.o.nodeId);
    await m.exec().catch(() => undefined);
  }

  /** Writes every local count again (after a Redis restart). */
  rewrite(): void {
    for (const id of this.watched) this.changed.add(id);
    void this.heartbeat().catch(() => undefined);
  }

  /** A socket joined or left an election on this node. */
  touch(electionId: string): void {
    this.watched.add(electionId);
    this.changed.add(electionId);
  }

  /** Viewers of the election across live nodes (this node's own count without Redis). */
  async total(electionId: string): Promise<number> {
    const local = this.o.out.localViewers(electionId);
    if (!this.o.up()) return local;
    try {
      await this.write([electionId]);
      return Number(
        await runScript(this.o.redis, 'presence', [keys.presence(electionId)], [keys.nodeAlive]),
      );
    } catch {
      return local;
    }
  }

  private async heartbeat(): Promise<void> {
    if (!this.o.up()) return;
    await this.o.redis.set(keys.nodeAlive + this.o.nodeId, this.incarnation, 'PX', this.ttl);
    // Re-write every count: Redis may have restarted empty since.
    await this.write([...this.watched]);
  }

  private async flush(): Promise<void> {
    if (!this.changed.size || !this.o.up()) return;
    const ids = [...this.changed];
    this.changed.clear();
    try {
      await this.write(ids);
    } catch (e) {
      for (const id of ids) this.changed.add(id);
      throw e;
    }
  }

  private async write(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const m = this.o.redis.multi();
    for (const id of ids) {
      const n = this.o.out.localViewers(id);
      if (n > 0) {
        m.hset(keys.presence(id), this.o.nodeId, `${this.incarnation}:${n}`);
        m.sadd(keys.presenceElections, id);
      } else {
        m.hdel(keys.presence(id), this.o.nodeId);
        this.watched.delete(id);
      }
    }
    await m.exec();
  }

  private async push(): Promise<void> {
    if (!this.o.up()) {
      // Degraded: each node tells its own viewers what it sees.
      for (const id of this.watched) this.pushIfChanged(id, this.o.out.localViewers(id), 'local');
      return;
    }
    if (!this.o.isLeader()) return;
    const ids = await this.o.redis.smembers(keys.presenceElections);
    await Promise.all(
      ids.map(async (id) => {
        const total = Number(
          await runScript(this.o.redis, 'presence', [keys.presence(id)], [keys.nodeAlive]),
        );
        if (total === 0) await this.o.redis.srem(keys.presenceElections, id);
        this.pushIfChanged(id, total, 'cluster');
      }),
    );
  }

  private pushIfChanged(id: string, viewers: number, scope: 'cluster' | 'local'): void {
    if (this.lastPushed.get(id) === viewers) return;
    this.lastPushed.set(id, viewers);
    if (viewers === 0) this.lastPushed.delete(id);
    this.o.out.emit(viewersRoom(id), 'presence', { electionId: id, viewers }, scope);
  }
}
