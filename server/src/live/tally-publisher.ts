// TallyPublisher: turns committed ballot batches into `tally` broadcasts, coalesced for the whole
// cluster. Every node marks the elections a batch touched as dirty in Redis, with the batch GTID;
// the leader alone polls the marks, reads each election from a replica that has applied that
// GTID, and emits once per election per interval through the adapter. So a viewer gets at most
// 1000/intervalMs tallies per second whatever the vote rate or node count, and the last state
// always goes out (a mark is cleared only after its read was emitted, and only if no newer batch
// arrived meanwhile).
//
// Degraded mode (Redis unreachable): each node publishes its own commits to its own sockets,
// spaced the same way, and remembers them; when Redis is back it re-marks them (and everything of
// the last minute, in case Redis restarted empty) so the leader brings every node up to date.
import type { Redis } from 'ioredis';
import type { Logger } from '../log';
import { EmitSpacing, VersionFloor } from './coalescing';
import { newerGtid } from './gtid-order';
import type { CommittedBatch } from '../domain-events';
import type { ElectionMeta } from '../elections/rules';
import type { Broadcaster, LiveReads, Scope } from './ports';
import { keys, runScript } from './redis-scripts';
import { tallyRoom } from './rooms';

export interface TallyPublisherOptions {
  redis: Redis;
  /** Redis usable right now (every live connection ready); false means degraded mode. */
  up: () => boolean;
  reads: LiveReads;
  out: Broadcaster;
  isLeader: () => boolean;
  log: Logger;
  /** Minimum spacing of two tallies of one election (live/defaults.ts). */
  intervalMs: number;
  /** How long commits are remembered for re-marking after a Redis restart. */
  recentMs: number;
  /** How long a read election status and visibility is reused. */
  electionCacheMs: number;
  onEmit?: (scope: Scope) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TallyPublisher {
  private readonly intervalMs: number;
  private readonly pollMs: number;
  private readonly spacing: EmitSpacing;
  private readonly floors = new VersionFloor();
  private readonly inflight = new Set<string>();
  /** Commits this node must publish itself (Redis away). */
  private readonly localDirty = new Map<string, string>();
  /** Commits not yet marked in Redis. */
  private readonly unsynced = new Map<string, string>();
  /** Recent commits, re-marked when Redis comes back (it may have restarted empty). */
  private readonly recent = new Map<string, { gtid: string; at: number }>();
  private readonly meta = new Map<string, { e: ElectionMeta | null; at: number }>();
  private timer: NodeJS.Timeout | undefined;
  private wasReady: boolean;
  /** Recent read time (moving average, capped at the interval): reads start this much early. */
  private readMs = 0;

  constructor(private readonly o: TallyPublisherOptions) {
    this.intervalMs = o.intervalMs;
    this.pollMs = Math.max(10, Math.min(25, Math.floor(this.intervalMs / 4)));
    this.spacing = new EmitSpacing(this.intervalMs);
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
    const now = Date.now();
    for (const id of batch.electionIds) {
      const prev = this.recent.get(id)?.gtid;
      this.recent.set(id, { gtid: newerGtid(prev, batch.gtid), at: now });
    }
    if (this.o.up()) {
      runScript(
        this.o.redis,
        'mark',
        [keys.dirty, keys.lastGtid],
        [batch.gtid, ...batch.electionIds],
      )
        .then(() => undefined)
        .catch(() => this.remember(batch));
    } else {
      this.remember(batch);
    }
  }

  /** A status or visibility change: publish once more even at the same version. */
  async forcePublish(electionId: string): Promise<void> {
    this.meta.delete(electionId);
    if (this.o.up()) {
      try {
        const gtid = (await this.o.redis.hget(keys.lastGtid, electionId)) ?? '';
        await this.o.redis
          .multi()
          .sadd(keys.force, electionId)
          .hsetnx(keys.dirty, electionId, gtid)
          .exec();
        return;
      } catch {
        // fall through to the local path
      }
    }
    this.localDirty.set(electionId, this.localDirty.get(electionId) ?? '');
  }

  /** Newest GTID committed for the election (join acks read at least this far). */
  async lastGtid(electionId: string): Promise<string | undefined> {
    const local = this.recent.get(electionId)?.gtid;
    if (!this.o.up()) return local;
    try {
      const g = await this.o.redis.hget(keys.lastGtid, electionId);
      return g ? newerGtid(local, g) : local;
    } catch {
      return local;
    }
  }

  private remember(batch: CommittedBatch): void {
    for (const id of batch.electionIds) {
      this.localDirty.set(id, newerGtid(this.localDirty.get(id), batch.gtid));
      this.unsynced.set(id, newerGtid(this.unsynced.get(id), batch.gtid));
    }
  }

  private async tick(): Promise<void> {
    const ready = this.o.up();
    if (ready && !this.wasReady) this.onRedisBack();
    this.wasReady = ready;
    if (ready && this.unsynced.size) await this.sync();
    const now = Date.now();
    if (ready && this.o.isLeader()) {
      const [dirty, forced] = await Promise.all([
        this.o.redis.hgetall(keys.dirty),
        this.o.redis.smembers(keys.force),
      ]);
      const force = new Set(forced);
      for (const [id, gtid] of Object.entries(dirty)) {
        if (this.inflight.has(id) || this.spacing.remaining(id, now) > this.readMs) continue;
        void this.publish(id, gtid, force.has(id), 'cluster');
      }
    }
    if (!ready || this.localDirty.size) {
      // Redis away (or it just came back and the leader has not caught up yet): serve our own.
      for (const [id, gtid] of this.localDirty) {
        if (this.inflight.has(id) || this.spacing.remaining(id, now) > this.readMs) continue;
        if (ready) {
          this.localDirty.delete(id); // the leader publishes it cluster-wide now
          continue;
        }
        void this.publish(id, gtid, false, 'local');
      }
    }
    this.prune(now);
  }

  /** Redis reconnected (maybe restarted empty): mark again what we committed lately. */
  onRedisBack(): void {
    this.o.log.info({ elections: this.recent.size }, 'redis back: re-marking recent commits');
    for (const [id, r] of this.recent)
      this.unsynced.set(id, newerGtid(this.unsynced.get(id), r.gtid));
  }

  private async sync(): Promise<void> {
    for (const [id, gtid] of [...this.unsynced]) {
      await runScript(this.o.redis, 'mark', [keys.dirty, keys.lastGtid], [gtid, id]);
      if (this.unsynced.get(id) === gtid) this.unsynced.delete(id);
    }
  }

  private async publish(id: string, gtid: string, force: boolean, scope: Scope): Promise<void> {
    this.inflight.add(id);
    try {
      const e = await this.election(id, force);
      if (!e) {
        await this.done(id, gtid, scope);
        return;
      }
      const t0 = Date.now();
      const results = await this.o.reads.readResults(id, gtid || undefined);
      const took = Date.now() - t0;
      this.readMs = Math.min(this.intervalMs, 0.8 * this.readMs + 0.2 * took);
      const room = tallyRoom(id, e);
      // Floors per scope: what this node showed its own viewers while degraded must not stop the
      // same version from going to everyone once Redis is back.
      let ok = this.floors.accept(`${scope}:${room}`, results.version, force);
      if (ok && scope === 'cluster') {
        ok =
          (await runScript(
            this.o.redis,
            'guard',
            [keys.versions],
            [room, results.version, force ? 1 : 0],
          )) === 1;
      }
      if (ok) {
        // The read started early to hide its latency; the emit itself keeps the spacing.
        const wait = this.spacing.remaining(id, Date.now());
        if (wait > 0) await sleep(wait);
        this.o.out.emit(room, 'tally', { ...results, electionId: id }, scope);
        this.spacing.emitted(id, Date.now());
        this.o.onEmit?.(scope);
      }
      await this.done(id, gtid, scope);
    } catch (err) {
      // Keep the mark: the next tick retries, no sooner than one interval from now.
      this.spacing.emitted(id, Date.now());
      this.o.log.warn({ err, electionId: id }, 'tally publish failed; kept dirty');
    } finally {
      this.inflight.delete(id);
    }
  }

  private async done(id: string, gtid: string, scope: Scope): Promise<void> {
    if (scope === 'local') {
      if (this.localDirty.get(id) === gtid) this.localDirty.delete(id);
      return;
    }
    await runScript(this.o.redis, 'clear', [keys.dirty], [id, gtid]);
    await this.o.redis.srem(keys.force, id);
  }

  private async election(id: string, fresh: boolean): Promise<ElectionMeta | null> {
    const hit = this.meta.get(id);
    if (!fresh && hit && Date.now() - hit.at < this.o.electionCacheMs) return hit.e;
    const e = await this.o.reads.getElection(id);
    this.meta.set(id, { e, at: Date.now() });
    return e;
  }

  private prune(now: number): void {
    if (this.recent.size < 64 && this.meta.size < 256) return;
    for (const [id, r] of this.recent) {
      if (now - r.at > this.o.recentMs) this.recent.delete(id);
    }
    for (const [id, m] of this.meta) if (now - m.at > this.o.electionCacheMs) this.meta.delete(id);
  }
}
