// Operator command: applies pending schema migrations on the master, then the idempotent seed.
// Safe to run on every start. Exits nonzero with one clear line on stderr when anything fails.
// Runs as the migrator account (DB_MIGRATE_USER / DB_MIGRATE_PASSWORD, the only holder of DDL);
// the nodes' account (DB_USER) may only read and write rows.
//
//   node server/dist/cli/migrate.js [--wait SECONDS] [--no-seed] [--demo]
//
// `--wait` keeps retrying the first connection for that long (a master that is still starting).
// `--demo` (or SEED_DEMO=1) also seeds the open demo election DEMO42; nothing seeds it otherwise.
import { parseArgs } from 'node:util';
import type { Pool } from 'mysql2/promise';
import { migratorDbConfig, parseConfig } from '../config';
import { createLogger, type Logger } from '../log';
import { createMasterPool } from '../db/master';
import { migrate } from '../db/migrate';
import { migrations } from '../db/migrations';
import { seed } from './seed';

async function waitForMaster(pool: Pool, seconds: number, log: Logger): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      log.debug({ err }, 'master not reachable yet, retrying');
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      wait: { type: 'string', default: '0' },
      'no-seed': { type: 'boolean' },
      demo: { type: 'boolean' },
    },
  });
  const waitSeconds = Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new Error('--wait expects seconds');
  const config = parseConfig();
  const log = createLogger(config.nodeId, config.logLevel);
  const db = migratorDbConfig(config);
  const pool = createMasterPool(db);
  const where = `${config.db.master.host}:${config.db.master.port}/${config.db.database}`;
  try {
    try {
      await waitForMaster(pool, waitSeconds, log);
    } catch (err) {
      throw new Error(`cannot reach the master at ${where} as ${db.user}: ${String(err)}`);
    }
    const result = await migrate(pool, migrations, log);
    const demo = values.demo === true || process.env.SEED_DEMO === '1';
    if (!values['no-seed']) await seed(pool, config, { demo });
    log.info({ master: where, ...result, seeded: !values['no-seed'], demo }, 'migrations done');
  } finally {
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`migrate failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
