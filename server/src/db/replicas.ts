// ReplicaRouter: reads (tallies and the like) go to the replicas, round-robin over every healthy one,
// never one pinned. A background probe decides which are healthy; a read that needs a fresh value
// waits for the replica to reach a master GTID and falls back to the next replica, then the master.
import mysql from 'mysql2/promise';
import type { Connection, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { ReplicaHealth as WireReplicaHealth } from '@tallyboard/shared';
import type { Logger } from '../log';
import { createPool, onConnection, poolOptions, type DbConfig, type Endpoint } from './master';
import { isConnectionError } from './errors';
import { waitForGtid, type DbFlavor } from './gtid';

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
  ioRunning: boolean;
  sqlRunning: boolean;
  lagSeconds: number | null;
  lastError: string | null;
}

/**
 * The replication status statement. MySQL 8.4 removed `SHOW SLAVE STATUS`; MariaDB 10.11 knows
 * both but documents the SLAVE form. Either needs only a monitoring privilege (MariaDB
 * `SLAVE MONITOR`, MySQL `REPLICATION CLIENT`) on a connection that names no database.
 */
export function replicaStatusSql(flavor: DbFlavor): string {
  return flavor === 'mariadb' ? 'SHOW SLAVE STATUS' : 'SHOW REPLICA STATUS';
}

/** Reads a status row of either flavor (`Slave_*`/`Seconds_Behind_Master` or `Replica_*`/`…_Source`). */
export function parseReplicaStatus(row: Record<string, unknown> | undefined): ReplicaStatus {
  if (!row)
    return { ioRunning: false, sqlRunning: false, lagSeconds: null, lastError: 'not a replica' };
  const pick = (...names: string[]): unknown => names.map((n) => row[n]).find((v) => v != null);
  const lag = pick('Seconds_Behind_Master', 'Seconds_Behind_Source');
  const errors = ['Last_IO_Error', 'Last_SQL_Error']
    .map((n) => row[n])
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
  return {
    ioRunning: pick('Slave_IO_Running', 'Replica_IO_Running') === 'Yes',
    sqlRunning: pick('Slave_SQL_Running', 'Replica_SQL_Running') === 'Yes',
    lagSeconds: lag == null || lag === '' ? null : Number(lag),
    lastError: errors.length ? errors.join('; ') : null,
  };
}

/** A replica serves reads only while both threads run and its lag is known and within bounds. */
export function judgeReplica(
  status: ReplicaStatus,
  maxLagSeconds: number,
): Pick<ReplicaHealth, 'ok' | 'replicating' | 'lagSeconds' | 'error'> {
  const replicating = status.ioRunning && status.sqlRunning;
  const lagSeconds = status.lagSeconds;
  let error: string | undefined;
  if (!status.ioRunning) error = `IO thread not running${suffix(status.lastError)}`;
  else if (!status.sqlRunning) error = `SQL thread not running${suffix(status.lastError)}`;
  else if (lagSeconds == null) error = 'lag unknown';
  else if (lagSeconds > maxLagSeconds) error = `lagging ${lagSeconds}s (max ${maxLagSeconds}s)`;
  return error === undefined
    ? { ok: true, replicating, lagSeconds }
    : { ok: false, replicating, lagSeconds, error };
}

const suffix = (e: string | null): string => (e ? `: ${e}` : '');

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface Replica {
  name: string;
  endpoint: Endpoint;
  pool: Pool;
  monitor: Connection | null;
  health: ReplicaHealth;
}

const PROBE_TIMEOUT_MS = 2000;

export class ReplicaRouter {
  private readonly replicas: Replica[];
  private turn = 0;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private stopped = false;
  private readonly reads: ReadStats = { master: 0 };

  constructor(
    private readonly cfg: DbConfig,
    private readonly log: Logger,
    private readonly master: Pool,
  ) {
    this.replicas = cfg.replicas.map((endpoint, i) => {
      const name = `replica${i + 1}`;
      const address = `${endpoint.host}:${endpoint.port}`;
      this.reads[name] = 0;
      return {
        name,
        endpoint,
        pool: createPool(poolOptions(cfg, endpoint, cfg.poolSize)),
        monitor: null,
        health: { name, address, ok: false, replicating: false, lagSeconds: null, checkedAt: null },
      };
    });
  }

  /** Probes once (so the first reads already know who is healthy), then every cfg.db.probeMs. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.probeNow();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.probing;
    await Promise.all(
      this.replicas.map(async (r) => {
        r.monitor?.destroy();
        r.monitor = null;
        await r.pool.end().catch(() => undefined);
      }),
    );
  }

  health(): ReplicaHealth[] {
    return this.replicas.map((r) => ({ ...r.health }));
  }

  stats(): ReadStats {
    return { ...this.reads };
  }

  /** Runs one probe round now (also what the timer does). */
  probeNow(): Promise<void> {
    this.probing ??= Promise.all(this.replicas.map((r) => this.probe(r)))
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
    const conn = await this.master.getConnection();
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

  private async probe(replica: Replica): Promise<void> {
    try {
      // No database named: a monitoring-only grant is refused on a connection that names one.
      replica.monitor ??= await this.connectMonitor(replica);
      const [rows] = await replica.monitor.query<RowDataPacket[]>({
        sql: replicaStatusSql(this.cfg.flavor),
        timeout: PROBE_TIMEOUT_MS,
      });
      const status = parseReplicaStatus(rows[0]);
      this.setHealth(replica, judgeReplica(status, this.cfg.maxLagSeconds));
    } catch (err) {
      replica.monitor?.destroy();
      replica.monitor = null;
      this.setHealth(replica, {
        ok: false,
        replicating: false,
        lagSeconds: null,
        error: `unreachable: ${message(err)}`,
      });
    }
  }

  private async connectMonitor(replica: Replica): Promise<Connection> {
    const conn = await mysql.createConnection({
      host: replica.endpoint.host,
      port: replica.endpoint.port,
      user: this.cfg.user,
      password: this.cfg.password,
      connectTimeout: PROBE_TIMEOUT_MS,
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
      name: replica.name,
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
