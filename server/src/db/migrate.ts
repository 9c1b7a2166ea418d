// Schema migrations: versioned, applied once each, in order, on the master only (replicas get
// them through replication).
//
// File format: one TypeScript module per migration in `db/migrations/`, named `NNN_what.ts`,
// exporting SQL strings so they ship in `dist/`:
//
//   import type { Migration } from '../migrate';
//   export const migration: Migration = {
//     id: '001_core',                       // same as the file name; never renamed once applied
//     up: ['CREATE TABLE …', 'CREATE INDEX …'], // one statement per string, no trailing `;`
//   };
//
// and listed, in order, in `db/migrations/index.ts`. An applied migration is never edited: add a
// new one. DDL commits implicitly on MySQL and MariaDB, so a migration that fails half way leaves
// its earlier statements applied and is not recorded: fix it and make its statements re-runnable
// (`IF NOT EXISTS`) before running again. The SQL must run on MariaDB 10.11 and MySQL 8.4.
//
// Bookkeeping: table `schema_migrations` (id, checksum of the statements, applied_at). A named
// lock (`GET_LOCK`) keeps two concurrent runners from applying the same migration twice.
import { createHash } from 'node:crypto';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Logger } from '../log';

export interface Migration {
  id: string;
  up: string[];
}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

const LOCK_NAME = 'tallyboard_migrate';
const LOCK_TIMEOUT_SECONDS = 60;

const BOOKKEEPING_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id VARCHAR(100) NOT NULL PRIMARY KEY,
  checksum CHAR(64) NOT NULL,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

export function checksum(m: Migration): string {
  return createHash('sha256').update(m.up.join('\n;\n')).digest('hex');
}

/** Rejects a list that cannot be applied safely: duplicate ids, ids out of order, empty steps. */
export function validateMigrations(list: readonly Migration[]): void {
  const seen = new Set<string>();
  let previous = '';
  for (const m of list) {
    if (!/^\d{3}_[a-z0-9_]+$/.test(m.id))
      throw new Error(`migration id ${m.id}: expected NNN_name`);
    if (seen.has(m.id)) throw new Error(`migration ${m.id} is listed twice`);
    if (m.id <= previous) throw new Error(`migration ${m.id} is listed after ${previous}`);
    if (m.up.length === 0 || m.up.some((s) => s.trim() === '')) {
      throw new Error(`migration ${m.id} has an empty statement`);
    }
    seen.add(m.id);
    previous = m.id;
  }
}

/** Applies every migration not yet recorded; safe to run again and from several processes. */
export async function migrate(
  pool: Pool,
  list: readonly Migration[],
  log: Logger,
): Promise<MigrateResult> {
  validateMigrations(list);
  const conn = await pool.getConnection();
  try {
    const [lock] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [
      LOCK_NAME,
      LOCK_TIMEOUT_SECONDS,
    ]);
    if (Number(lock[0]?.got) !== 1) {
      throw new Error(`another migration run holds the lock ${LOCK_NAME}`);
    }
    try {
      return await applyPending(conn, list, log);
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    conn.release();
  }
}

async function applyPending(
  conn: PoolConnection,
  list: readonly Migration[],
  log: Logger,
): Promise<MigrateResult> {
  await conn.query(BOOKKEEPING_SQL);
  const [rows] = await conn.query<RowDataPacket[]>('SELECT id, checksum FROM schema_migrations');
  const done = new Map(rows.map((r) => [String(r.id), String(r.checksum)]));
  const result: MigrateResult = { applied: [], skipped: [] };
  for (const m of list) {
    const sum = checksum(m);
    const recorded = done.get(m.id);
    if (recorded !== undefined) {
      if (recorded !== sum) {
        log.warn({ migration: m.id }, 'applied migration was edited since; add a new one instead');
      }
      result.skipped.push(m.id);
      continue;
    }
    for (const [i, sql] of m.up.entries()) {
      try {
        await conn.query(sql);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new Error(`migration ${m.id} failed at statement ${i + 1} of ${m.up.length}: ${why}`);
      }
    }
    await conn.query('INSERT INTO schema_migrations (id, checksum) VALUES (?, ?)', [m.id, sum]);
    log.info({ migration: m.id, statements: m.up.length }, 'migration applied');
    result.applied.push(m.id);
  }
  return result;
}
