// The master pool: every write, and every read that must be authoritative (e.g. "is this election
// open?" inside a ballot transaction), goes through it.
//
// Type conventions for every pool (master and replicas), so counts are JSON numbers:
// - BIGINT comes back as a number (`supportBigNumbers`, `bigNumberStrings: false`); only values
//   beyond 2^53 would come back as strings, which no count or version reaches.
// - DECIMAL, e.g. `SUM(...)`, comes back as a number (`decimalNumbers`).
// - DATETIME/TIMESTAMP: stored in UTC (each connection sets `time_zone = '+00:00'`) and returned as
//   JS `Date` objects read as UTC (`timezone: 'Z'`, `dateStrings: false`); send them on the wire
//   with `toISOString()`.
// - Placeholders are positional `?` (`namedPlaceholders: false`).
import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2/promise';
import type { Config } from '../config';
import { dbSsl } from './tls';

export type DbConfig = Config['db'];
export type { Pool, PoolConnection };

export interface Endpoint {
  host: string;
  port: number;
}

/** Pool options shared by the master and replica pools. */
export function poolOptions(
  cfg: DbConfig,
  endpoint: Endpoint,
  connectionLimit: number,
): PoolOptions {
  return {
    host: endpoint.host,
    port: endpoint.port,
    user: cfg.user,
    password: cfg.password,
    database: cfg.database,
    connectionLimit,
    waitForConnections: true,
    queueLimit: 0,
    connectTimeout: 2000,
    enableKeepAlive: true,
    namedPlaceholders: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    dateStrings: false,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    ssl: dbSsl(cfg.tls),
  };
}

/** Creates a pool whose connections all speak UTC. */
export function createPool(options: PoolOptions): Pool {
  const pool = mysql.createPool(options);
  // The raw connection queues this before any query a caller sends on it.
  pool.pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'", () => undefined);
  });
  return pool;
}

export function createMasterPool(cfg: DbConfig): Pool {
  return createPool(poolOptions(cfg, cfg.master, cfg.poolSize));
}

/**
 * The ballot writer's own small pool on the master: multi-statement queries, so a batch takes
 * three round trips instead of a dozen. Only the writer uses it, with placeholders throughout.
 */
export function createBallotPool(cfg: DbConfig, connections: number): Pool {
  // No stack captured per query (mysql2's `trace`): two queries per batch carry it on the hot
  // path (1-1.6% of a node's busy time, docs/performance.md), and a failed batch is logged with
  // its own error and the writer's context, not a caller's stack.
  return createPool({
    ...poolOptions(cfg, cfg.master, connections),
    multipleStatements: true,
    trace: false,
  });
}

/** What a caller of `onConnection` tells it about the connection's state. */
export interface ConnectionState {
  /** A transaction is open: roll it back if `fn` throws. */
  inTransaction: boolean;
  /** The connection may be in a bad state: destroy it instead of pooling it. */
  broken: boolean;
}

/**
 * Runs `fn` on a pooled connection, then gives it back. If `fn` throws inside a transaction, the
 * transaction is rolled back; a connection that cannot roll back, or that `fn` marked broken, is
 * destroyed: it must never serve another caller.
 */
export async function onConnection<T>(
  pool: Pool,
  fn: (conn: PoolConnection, state: ConnectionState) => Promise<T>,
): Promise<T> {
  const conn = await pool.getConnection();
  const state: ConnectionState = { inTransaction: false, broken: false };
  try {
    return await fn(conn, state);
  } catch (err) {
    if (state.inTransaction) {
      try {
        await conn.query('ROLLBACK');
      } catch {
        state.broken = true;
      }
    }
    throw err;
  } finally {
    if (state.broken) conn.destroy();
    else conn.release();
  }
}

/** Runs `fn` in one transaction on a pooled connection: commit on success, rollback on throw. */
export function withTransaction<T>(
  pool: Pool,
  fn: (conn: PoolConnection) => Promise<T>,
): Promise<T> {
  return onConnection(pool, async (conn, state) => {
    await conn.beginTransaction();
    state.inTransaction = true;
    const result = await fn(conn);
    await conn.commit();
    state.inTransaction = false;
    return result;
  });
}
