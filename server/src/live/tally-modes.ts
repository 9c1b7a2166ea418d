// The two ways a node gets its commits to viewers, side by side behind one interface; the
// publisher picks one per call by whether Redis answers. ClusterTallies marks commits in Redis and,
// on the leader, publishes every node's marks through the adapter. LocalTallies serves this node's
// own commits to its own sockets and remembers them, so the cluster mode can mark them once Redis
// is back; that memory is also where the cluster mode falls back whenever a Redis call fails.
import type { RedisClient } from '../redis';
import type { CommittedBatch } from '../domain-events';
import { newerGtid } from './gtid-order';
import { keys, runScript } from './redis-scripts';
import type { TallyEmitter, TallyRoute } from './tally-emitter';

export interface TallyMode {
  /** A batch committed on this node. */
  committed(batch: CommittedBatch): void;
  /** A status or visibility change: publish once more even at the same version. */
  forcePublish(electionId: string): Promise<void>;
  /** Newest GTID committed for the election, as far as this mode can know. */
  lastGtid(electionId: string): Promise<string | undefined>;
  /** One poll: start the emits that are due. */
  tick(): Promise<void>;
}

export class LocalTallies implements TallyMode {
  /** Commits this node must publish itself (Redis away). */
  private readonly dirty = new Map<string, string>();
  /** Commits not yet marked in Redis. */
  private readonly unsynced = new Map<string, string>();
  /** Recent commits, re-marked when Redis comes back (it may have restarted empty). */
  private readonly recent = new Map<string, { gtid: string; at: number }>();
  private readonly route: TallyRoute = {
    scope: 'local',
    done: async (id, gtid) => {
      if (this.dirty.get(id) === gtid) this.dirty.delete(id);
    },
  };

  constructor(private readonly o: { emitter: TallyEmitter; recentMs: number }) {}

  committed(batch: CommittedBatch): void {
    this.note(batch);
    this.remember(batch);
  }

  async forcePublish(electionId: string): Promise<void> {
    this.o.emitter.forget(electionId);
    this.republish(electionId);
  }

  async lastGtid(electionId: string): Promise<string | undefined> {
    return this.recentGtid(electionId);
  }

  async tick(): Promise<void> {
    const now = Date.now();
    for (const [id, gtid] of this.dirty) {
      if (this.o.emitter.ready(id, now, false))
        void this.o.emitter.publish(id, gtid, false, this.route);
    }
  }

  // The memory the cluster mode reads and falls back on.

  /** Every commit, in either mode: the last minute is re-marked when Redis comes back. */
  note(batch: CommittedBatch): void {
    const now = Date.now();
    for (const id of batch.electionIds) {
      const prev = this.recent.get(id)?.gtid;
      this.recent.set(id, { gtid: newerGtid(prev, batch.gtid), at: now });
    }
  }

  /** A commit Redis has not seen: serve it here, and mark it once Redis answers. */
  remember(batch: CommittedBatch): void {
    for (const id of batch.electionIds) {
      this.dirty.set(id, newerGtid(this.dirty.get(id), batch.gtid));
      this.unsynced.set(id, newerGtid(this.unsynced.get(id), batch.gtid));
    }
  }

  /** Publish once more, at the GTID already waiting if any. */
  republish(electionId: string): void {
    this.dirty.set(electionId, this.dirty.get(electionId) ?? '');
  }

  recentGtid(electionId: string): string | undefined {
    return this.recent.get(electionId)?.gtid;
  }

  get recentElections(): number {
    return this.recent.size;
  }

  /** Redis is back, maybe restarted empty: everything committed lately is to be marked again. */
  remarkRecent(): void {
    for (const [id, r] of this.recent)
      this.unsynced.set(id, newerGtid(this.unsynced.get(id), r.gtid));
  }

  unsyncedMarks(): Array<[string, string]> {
    return [...this.unsynced];
  }

  /** The mark is in Redis, unless a newer commit came meanwhile. */
  synced(electionId: string, gtid: string): void {
    if (this.unsynced.get(electionId) === gtid) this.unsynced.delete(electionId);
  }

  /**
   * Redis is up: what this node still held for its own viewers is the leader's to publish now.
   * An entry goes only when it could have been published itself, so nothing in flight is lost.
   */
  handOver(now: number): void {
    for (const id of this.dirty.keys()) {
      if (this.o.emitter.due(id, now)) this.dirty.delete(id);
    }
  }

  pruneRecent(now: number): void {
    for (const [id, r] of this.recent) if (now - r.at > this.o.recentMs) this.recent.delete(id);
  }
}

export class ClusterTallies implements TallyMode {
  private readonly route: TallyRoute;

  constructor(
    private readonly o: {
      redis: RedisClient;
      isLeader: () => boolean;
      emitter: TallyEmitter;
      /** Where commits go when Redis fails mid-call. */
      local: LocalTallies;
    },
  ) {
    const { redis } = o;
    this.route = {
      scope: 'cluster',
      done: async (id, gtid) => {
        await runScript(redis, 'clear', [keys.dirty], [id, gtid]);
        await redis.srem(keys.force, id);
      },
    };
  }

  committed(batch: CommittedBatch): void {
    this.o.local.note(batch);
    runScript(this.o.redis, 'mark', [keys.dirty, keys.lastGtid], [batch.gtid, ...batch.electionIds])
      .then(() => undefined)
      .catch(() => this.o.local.remember(batch));
  }

  async forcePublish(electionId: string): Promise<void> {
    this.o.emitter.forget(electionId);
    try {
      const gtid = (await this.o.redis.hget(keys.lastGtid, electionId)) ?? '';
      await this.o.redis
        .multi()
        .sadd(keys.force, electionId)
        .hsetnx(keys.dirty, electionId, gtid)
        .exec();
    } catch {
      this.o.local.republish(electionId);
    }
  }

  async lastGtid(electionId: string): Promise<string | undefined> {
    const local = this.o.local.recentGtid(electionId);
    try {
      const g = await this.o.redis.hget(keys.lastGtid, electionId);
      return g ? newerGtid(local, g) : local;
    } catch {
      return local;
    }
  }

  async tick(): Promise<void> {
    // Marks first: the leader's poll below then sees what this node committed during the outage.
    for (const [id, gtid] of this.o.local.unsyncedMarks()) {
      await runScript(this.o.redis, 'mark', [keys.dirty, keys.lastGtid], [gtid, id]);
      this.o.local.synced(id, gtid);
    }
    const now = Date.now();
    if (this.o.isLeader()) {
      const [dirty, forced] = await Promise.all([
        this.o.redis.hgetall(keys.dirty),
        this.o.redis.smembers(keys.force),
      ]);
      const force = new Set(forced);
      for (const [id, gtid] of Object.entries(dirty)) {
        if (this.o.emitter.ready(id, now, force.has(id)))
          void this.o.emitter.publish(id, gtid, force.has(id), this.route);
      }
    }
    this.o.local.handOver(now);
  }
}
