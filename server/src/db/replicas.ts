// ReplicaRouter: reads (tallies and the like) go to the replicas, round-robin over every healthy one,
// never one pinned. A background probe decides which are healthy; a read that needs a fresh value
// waits for the replica to reach a master GTID and falls back to the next replica, then the master.
// The replica list follows the topology file (DB_MASTER_FILE) on `follow()` (SIGHUP): a promoted
// replica leaves it, a rejoined old master enters it, without a restart.
import mysql from 'mysql2/promise';
import type { Connection, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { ReplicaHealth as WireReplicaHealth } from '@tallyboard/shared';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import { createPool, onConnection, poolOptions, type DbConfig, type Endpoint } from './master';
import { dbSsl } from './tls';
import { isConnectionError, timeoutStreak } from './errors';
import { waitForGtid, type DbFlavor } from './gtid';
import { masterPositionSql } from './replication';
import { RetiredPools, type ReplicaEntry, type Topology } from './topology';

/** What `/api/health` shows per replica; `ok` means the router currently sends reads to it. */
export interface ReplicaHealth extends WireReplicaHealth {
  /** host:port */
  address: string;
  /** ISO time of the last probe, null before the first one. */
  checkedAt: string | null;
}

export interface ReadOptions {
  /** Master GTID the read must reflect; the replica waits for it (cfg.db.gtidWaitTimeoutMs). */
  gtid?: string;
}

/** Where reads went, by replica name and `master`, since start. */
export type ReadStats = Record<string, number>;

export interface ReplicaStatus {
  /** Both replication threads run (MariaDB `Slave_running`, MySQL both service states ON). */
  running: boolean;
  /** Seconds since the master first had a position this replica has not applied; null unknown. */
  lagSeconds: number | null;
}

/**
 * The replication status statement, for operators' scripts that run as root (deploy/local). MySQL
 * 8.4 removed `SHOW SLAVE STATUS`; MariaDB 10.11 knows both but documents the SLAVE form. The
 * nodes never run it: it needs SLAVE MONITOR, which their account does not hold (see below).
 */
export function replicaStatusSql(flavor: DbFlavor): string {
  return flavor === 'mariadb' ? 'SHOW SLAVE STATUS' : 'SHOW REPLICA STATUS';
}

/*
 * How the probe sees a replica without any replication privilege. `SHOW SLAVE STATUS` needs
 * SLAVE MONITOR (MariaDB), and SLAVE MONITOR also allows `SHOW RELAYLOG EVENTS`, whose row events
 * pair a voter's participation with their ballot: the nodes' account must not hold it. So:
 *  - "replicating" is MariaDB's `Slave_running` global status (ON while both the IO and the SQL
 *    thread run), readable by every account; MySQL 8.4 dropped it, and there the app account
 *    holds SELECT on the two performance_schema tables of the threads' service state only
 *    (db/replication.ts `probeGrants`), which show no event.
 *  - lag comes from GTIDs: each probe round samples the master's position (a variable anyone may
 *    read) with the node's clock, and asks each replica whether it applied a sample (the GTID
 *    wait with a zero timeout, no privilege). The lag is the age of the oldest sample the replica
 *    has not applied, so its resolution is the probe interval (REPLICA_PROBE_MS) and it is 0
 *    while the replica keeps up. No heartbeat writes, no table, no clock shared between servers.
 */

/** The flavor's "are both replication threads running" query: one row, column `running` 0/1. */
export function replicaRunningSql(flavor: DbFlavor): string {
  return flavor === 'mariadb'
    ? `SELECT VARIABLE_VALUE = 'ON' AS running FROM information_schema.GLOBAL_STATUS
       WHERE VARIABLE_NAME = 'SLAVE_RUNNING'`
    : `SELECT (SELECT COUNT(*) FROM performance_schema.replication_connection_status
                WHERE SERVICE_STATE = 'ON') > 0
          AND (SELECT COUNT(*) FROM performance_schema.replication_applier_status
                WHERE SERVICE_STATE = 'ON') > 0 AS running`;
}

/** The flavor's "has this replica applied GTID position ?" query, answering at once: `reached`. */
export function replicaReachedSql(flavor: DbFlavor): string {
  return flavor === 'mariadb'
    ? 'SELECT MASTER_GTID_WAIT(?, 0) = 0 AS reached'
    : 'SELECT GTID_SUBSET(?, @@GLOBAL.gtid_executed) AS reached';
}

/** A master position and when (node clock, ms) the probe first saw it. */
export interface PositionSample {
  gtid: string;
  at: number;
}

/** Samples kept per node: at one a second, lag up to this many seconds is measured exactly. */
export const MAX_POSITION_SAMPLES = 300;

/** Adds a sample unless the master's position did not move (its first sighting is kept). */
export function addSample(samples: PositionSample[], sample: PositionSample): void {
  if (samples.at(-1)?.gtid === sample.gtid) return;
  samples.push(sample);
  if (samples.length > MAX_POSITION_SAMPLES) {
    samples.splice(0, samples.length - MAX_POSITION_SAMPLES);
  }
}

/**
 * The replica's lag from `samples` (oldest first): 0 when it applied the newest, else the age of
 * the oldest it has not applied. Positions only grow, so "applied" is monotone and a binary
 * search asks `reached` about log2(n) samples (one while the replica keeps up).
 */
export async function lagFromSamples(
  samples: readonly PositionSample[],
  reached: (gtid: string) => Promise<boolean>,
  now: number,
): Promise<number | null> {
  const newest = samples.at(-1);
  if (!newest) return null;
  if (await reached(newest.gtid)) return 0;
  let lo = 0; // the first sample that may be unapplied
  let hi = samples.length - 1; // known unapplied
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (await reached(samples[mid]!.gtid)) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, Math.floor((now - samples[lo]!.at) / 1000));
}

/** A replica serves reads only while replicating and its lag is known and within bounds. */
export function judgeReplica(
  status: ReplicaStatus,
  maxLagSeconds: number,
): Pick<ReplicaHealth, 'ok' | 'replicating' | 'lagSeconds' | 'error'> {
  const replicating = status.running;
  // Like Seconds_Behind_Master, no lag is shown while replication is stopped.
  const lagSeconds = replicating ? status.lagSeconds : null;
  let error: string | undefined;
  if (!replicating) error = 'replication not running (IO or SQL thread stopped)';
  else if (lagSeconds == null) error = 'lag unknown';
  else if (lagSeconds > maxLagSeconds) error = `lagging ${lagSeconds}s (max ${maxLagSeconds}s)`;
  return error === undefined
    ? { ok: true, replicating, lagSeconds }
    : { ok: false, replicating, lagSeconds, error };
}

/**
 * A replica whose master does not answer: it serves while it has applied the master's last known
 * position (lag 0), since nothing newer can be written anywhere meanwhile.
 */
export function judgeOrphan(
  lagSeconds: number | null,
): Pick<ReplicaHealth, 'ok' | 'replicating' | 'lagSeconds' | 'error'> {
  return lagSeconds === 0
    ? { ok: true, replicating: false, lagSeconds: 0, error: 'master unreachable; caught up' }
    : {
        ok: false,
        replicating: false,
        lagSeconds,
        error: 'master unreachable and this replica is behind its last known position',
      };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface Replica {
  /** The replica's one name: a reload may rename it, and health() and the logs read it here. */
  name: string;
  endpoint: Endpoint;
  pool: Pool;
  monitor: Connection | null;
  health: Omit<ReplicaHealth, 'name'>;
  /** Probe timeouts in a row (errors.ts PROBE_TIMEOUTS_TO_FAIL). */
  timeoutsInRow: number;
}

const PROBE_TIMEOUT_MS = 2000;

const addressOf = (e: Endpoint): string => `${e.host}:${e.port}`;

export class ReplicaRouter {
  private replicas: Replica[] = [];
  private turn = 0;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  /** Until start(), and after stop(): no probe runs (following the file only records the list). */
  private stopped = true;
  /** Per replica name and `master`; a name dropped from the list keeps its count (a counter). */
  private readonly reads: ReadStats = { master: 0 };
  /** The master's positions as the probe saw them, oldest first (see lagFromSamples). */
  private readonly samples: PositionSample[] = [];
  /** Whether the last probe round reached the master (its position sample). */
  private masterAnswered = true;
  /** Replicas dropped from the list: their pools close once the reads running on them had time. */
  private readonly retired = new RetiredPools<Replica>((replica) => void this.close(replica));

  constructor(
    private readonly cfg: DbConfig & { masterFile?: string | undefined },
    private readonly log: Logger,
    private readonly master: Pool,
  ) {
    this.replicas = this.place(cfg.replicas.map((endpoint) => ({ endpoint })));
  }

  /** The replicas serving reads now, by name and address (what `reload` last applied). */
  list(): { name: string; address: string }[] {
    return this.replicas.map((r) => ({ name: r.name, address: r.health.address }));
  }

  /**
   * Applies the replica list of a read of the topology file (when it lists them): a replica that
   * stays keeps its pool, health and name; a new one is probed before it serves; a dropped one
   * takes no new reads and its pool closes after RETIRE_AFTER_MS (topology.ts).
   */
  async follow(topology: Topology): Promise<void> {
    const entries = topology.replicas;
    if (!entries) return;
    const before = this.list();
    const next = this.place(entries);
    const kept = new Set(next);
    const dropped = this.replicas.filter((r) => !kept.has(r));
    this.replicas = next;
    const after = this.list();
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    this.log.warn({ from: before, to: after }, 'replica list changed');
    for (const r of dropped) this.retired.add(r);
    if (!this.stopped) await this.probeNow();
  }

  /** The Replica objects for `entries`: existing ones by address, new ones created. */
  private place(entries: ReplicaEntry[]): Replica[] {
    const byAddress = new Map(this.replicas.map((r) => [r.health.address, r]));
    const taken = new Set<string>();
    const placed: Replica[] = [];
    for (const entry of entries) {
      const address = addressOf(entry.endpoint);
      const existing = byAddress.get(address);
      if (existing && !placed.includes(existing)) {
        if (entry.name) existing.name = entry.name;
        placed.push(existing);
        taken.add(existing.name);
        continue;
      }
      placed.push({
        name: entry.name ?? '',
        endpoint: entry.endpoint,
        pool: createPool(poolOptions(this.cfg, entry.endpoint, this.cfg.poolSize)),
        monitor: null,
        timeoutsInRow: 0,
        health: {
          address,
          ok: false,
          replicating: false,
          lagSeconds: null,
          checkedAt: null,
        },
      });
      if (entry.name) taken.add(entry.name);
    }
    // Unnamed new ones: the first `replicaN` no other replica in the list uses.
    let n = 1;
    for (const r of placed) {
      if (r.name) continue;
      while (taken.has(`replica${n}`)) n++;
      r.name = `replica${n}`;
      taken.add(r.name);
    }
    for (const r of placed) this.reads[r.name] ??= 0;
    return placed;
  }

  private async close(replica: Replica): Promise<void> {
    replica.monitor?.destroy();
    replica.monitor = null;
    await replica.pool.end().catch(() => undefined);
  }

  /**
   * Follows the topology file as read at start (when there is one), probes once (so the first
   * reads already know who is healthy), then every cfg.db.probeMs.
   */
  async start(atStart: Topology | null = null): Promise<void> {
    this.stopped = false;
    if (atStart) await this.follow(atStart);
    await this.probeNow();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.probing;
    const retired = this.retired.cancel();
    await Promise.all([...this.replicas, ...retired].map((r) => this.close(r)));
  }

  health(): ReplicaHealth[] {
    return this.replicas.map((r) => ({ name: r.name, ...r.health }));
  }

  stats(): ReadStats {
    return { ...this.reads };
  }

  /** Runs one probe round now (also what the timer does). */
  probeNow(): Promise<void> {
    this.probing ??= this.sampleMaster()
      .then(() => {
        const now = Date.now();
        const replicas = this.replicas;
        return Promise.all(replicas.map((r) => this.probe(r, now)));
      })
      .then(() => undefined)
      .finally(() => {
        this.probing = null;
      });
    return this.probing;
  }

  /**
   * Runs `fn` on a healthy replica, taking turns between them; with `gtid`, first waits until that
   * replica has applied it. On a GTID timeout or a connection failure it tries the next healthy
   * replica, then the master. Errors thrown by `fn` itself (bad SQL, domain errors) propagate.
   * `fn` may run more than once, so it must only read.
   */
  async read<T>(fn: (conn: PoolConnection) => Promise<T>, opts: ReadOptions = {}): Promise<T> {
    for (const replica of this.rotation()) {
      const attempt = await this.tryReplica(replica, fn, opts.gtid);
      if (attempt.done) return attempt.value;
    }
    let conn: PoolConnection;
    try {
      conn = await this.master.getConnection();
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      throw new DomainError('unavailable', 'no database answers reads right now; retry shortly', {
        retryAfterSeconds: 2,
      });
    }
    try {
      const value = await fn(conn);
      this.reads.master = (this.reads.master ?? 0) + 1;
      return value;
    } finally {
      conn.release();
    }
  }

  private rotation(): Replica[] {
    const healthy = this.replicas.filter((r) => r.health.ok);
    if (healthy.length === 0) return [];
    const start = this.turn++ % healthy.length;
    if (this.turn >= Number.MAX_SAFE_INTEGER) this.turn = 0;
    return [...healthy.slice(start), ...healthy.slice(0, start)];
  }

  private async tryReplica<T>(
    replica: Replica,
    fn: (conn: PoolConnection) => Promise<T>,
    gtid: string | undefined,
  ): Promise<{ done: true; value: T } | { done: false }> {
    let connected = false;
    let reached = true;
    try {
      const value = await onConnection(replica.pool, async (conn, state) => {
        connected = true;
        try {
          if (gtid) {
            reached = await waitForGtid(conn, this.cfg.flavor, gtid, this.cfg.gtidWaitTimeoutMs);
          }
          return reached ? await fn(conn) : undefined;
        } catch (err) {
          state.broken = isConnectionError(err);
          throw err;
        }
      });
      if (!reached) {
        this.log.debug({ replica: replica.name, gtid }, 'replica did not reach GTID in time');
        return { done: false };
      }
      this.reads[replica.name] = (this.reads[replica.name] ?? 0) + 1;
      return { done: true, value: value as T };
    } catch (err) {
      // No connection at all, or a connection lost mid-read: try elsewhere; a bad query throws.
      if (connected && !isConnectionError(err)) throw err;
      this.markDown(replica, err);
      return { done: false };
    }
  }

  /** Takes a replica out of rotation until the next probe finds it healthy again. */
  private markDown(replica: Replica, err: unknown): void {
    this.setHealth(replica, {
      ok: false,
      replicating: replica.health.replicating,
      lagSeconds: replica.health.lagSeconds,
      error: message(err),
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.probeNow().finally(() => this.schedule());
    }, this.cfg.probeMs);
    this.timer.unref();
  }

  private async probe(replica: Replica, now: number): Promise<void> {
    try {
      replica.monitor ??= await this.connectMonitor(replica);
      const monitor = replica.monitor;
      const ask = async (sql: string, values: string[] = []): Promise<number> => {
        const [rows] = await monitor.query<RowDataPacket[]>({
          sql,
          values,
          timeout: PROBE_TIMEOUT_MS,
        });
        const first = rows[0];
        return first ? Number(Object.values(first)[0] ?? 0) : 0;
      };
      const running = (await ask(replicaRunningSql(this.cfg.flavor))) === 1;
      const reachedSql = replicaReachedSql(this.cfg.flavor);
      // With the master away the IO thread only reconnects, so `running` is false on every
      // replica; one that applied everything the master was last seen to have still serves.
      const orphaned = !running && !this.masterAnswered;
      const lagSeconds =
        running || orphaned
          ? await lagFromSamples(this.samples, async (g) => (await ask(reachedSql, [g])) === 1, now)
          : null;
      replica.timeoutsInRow = 0;
      this.setHealth(
        replica,
        orphaned
          ? judgeOrphan(lagSeconds)
          : judgeReplica({ running, lagSeconds }, this.cfg.maxLagSeconds),
      );
    } catch (err) {
      replica.monitor?.destroy();
      replica.monitor = null;
      // A lone timeout keeps the replica as it was: on a starved node it is often our own loop.
      const streak = timeoutStreak(err, replica.timeoutsInRow);
      replica.timeoutsInRow = streak.inRow;
      if (streak.tolerated) {
        this.log.warn(
          { replica: replica.name, inRow: replica.timeoutsInRow },
          'replica probe timed out',
        );
        return;
      }
      this.setHealth(replica, {
        ok: false,
        replicating: false,
        lagSeconds: null,
        error: `unreachable: ${message(err)}`,
      });
    }
  }

  /** Notes the master's position now; a master that does not answer adds no sample. */
  private async sampleMaster(): Promise<void> {
    try {
      const [rows] = await this.master.query<RowDataPacket[]>({
        sql: `${masterPositionSql(this.cfg.flavor)} AS gtid`,
        timeout: PROBE_TIMEOUT_MS,
      });
      addSample(this.samples, { gtid: String(rows[0]?.gtid ?? ''), at: Date.now() });
      this.masterAnswered = true;
    } catch (err) {
      this.masterAnswered = false;
      this.log.debug({ err }, 'master position not sampled');
    }
  }

  private async connectMonitor(replica: Replica): Promise<Connection> {
    const conn = await mysql.createConnection({
      host: replica.endpoint.host,
      port: replica.endpoint.port,
      user: this.cfg.user,
      password: this.cfg.password,
      connectTimeout: PROBE_TIMEOUT_MS,
      ssl: dbSsl(this.cfg.tls),
      supportBigNumbers: true,
      bigNumberStrings: false,
    });
    conn.on('error', () => {
      if (replica.monitor === conn) replica.monitor = null;
    });
    return conn;
  }

  private setHealth(
    replica: Replica,
    next: Pick<ReplicaHealth, 'ok' | 'replicating' | 'lagSeconds' | 'error'>,
  ): void {
    const was = replica.health;
    replica.health = {
      address: was.address,
      ok: next.ok,
      replicating: next.replicating,
      lagSeconds: next.lagSeconds,
      checkedAt: new Date().toISOString(),
      ...(next.error === undefined ? {} : { error: next.error }),
    };
    if (was.ok && !next.ok) {
      this.log.warn({ replica: replica.name, error: next.error }, 'replica out of rotation');
    } else if (!was.ok && next.ok) {
      this.log.info({ replica: replica.name, lagSeconds: next.lagSeconds }, 'replica in rotation');
    }
  }
}
