// Prints replication SQL from db/ (accounts, replica setup, and the checks around them), so shell
// scripts (the local stack, the generated MySQL init files) run the same code the tests cover and
// type no SQL of their own.
//
//   node server/dist/cli/replication-sql.js --flavor mariadb --what users \
//     [--database tallyboard] [--app-user tallyboard] [--app-host 127.0.0.1] \
//     [--migrate-user tallyboard_migrate] [--repl-user repl] [--repl-host 127.0.0.1]
//   node server/dist/cli/replication-sql.js --flavor mariadb --what replica \
//     --source-host 127.0.0.1 --source-port 3307 [--repl-user repl] [--connect-retry 1]
//   node server/dist/cli/replication-sql.js --flavor mariadb --what replica-status
//   node server/dist/cli/replication-sql.js --flavor mariadb --what master-position
//   node server/dist/cli/replication-sql.js --flavor mariadb --what wait-gtid \
//     --gtid 0-1-42 --timeout 60
//   node server/dist/cli/replication-sql.js --what gtid-positions | read-only --on | read-only \
//     | promote | rejoin --source-port 3308 --gtid 0-1-42 | unlogged | replica-position --gtid 0-1-42
//     (failover and rebuilds, MariaDB: deploy/local/operations.sh)
//
// Passwords come from --app-password / --migrate-password / --repl-password or, better (argv is
// visible in `ps`), from the DB_PASSWORD / DB_MIGRATE_PASSWORD / REPL_PASSWORD environment
// variables. Only `users` and `replica` need them. `users` runs on EVERY instance, binlog off.
import { parseArgs } from 'node:util';
import { replicaStatusSql } from '../db/replicas';
import {
  type DbFlavor,
  gtidPositionsSql,
  instanceAccountsSql,
  masterPositionSql,
  promoteSql,
  readOnlySql,
  rejoinSql,
  replicaCatchUpSql,
  replicaSetupSql,
  setReplicaPositionSql,
  toScript,
  unlogged,
} from '../db/replication';

const options = {
  flavor: { type: 'string', default: 'mariadb' },
  what: { type: 'string' },
  database: { type: 'string', default: 'tallyboard' },
  'app-user': { type: 'string', default: 'tallyboard' },
  'app-host': { type: 'string', default: '127.0.0.1' },
  'app-password': { type: 'string' },
  'migrate-user': { type: 'string', default: 'tallyboard_migrate' },
  'migrate-password': { type: 'string' },
  'repl-user': { type: 'string', default: 'repl' },
  'repl-host': { type: 'string', default: '127.0.0.1' },
  'repl-password': { type: 'string' },
  'source-host': { type: 'string', default: '127.0.0.1' },
  'source-port': { type: 'string' },
  'connect-retry': { type: 'string', default: '1' },
  gtid: { type: 'string' },
  timeout: { type: 'string' },
  on: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

function mariadbOnly(flavor: DbFlavor, statement: string): string {
  if (flavor !== 'mariadb') throw new Error('failover statements are for MariaDB only');
  return statement;
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new Error(`missing ${what}`);
  return value;
}

/** What each `--what` prints, as statements. */
const modes: Record<string, (f: DbFlavor, v: Values, env: NodeJS.ProcessEnv) => readonly string[]> =
  {
    /**
     * The app's database, the app, migrator and replication accounts, with the binlog off: run on
     * every instance (master and each replica), since nothing of it replicates.
     */
    users: (f, v, env) =>
      instanceAccountsSql(f, {
        database: v.database,
        app: {
          user: v['app-user'],
          host: v['app-host'],
          password: need(v['app-password'] ?? env.DB_PASSWORD, 'DB_PASSWORD'),
        },
        migrator: {
          user: v['migrate-user'],
          host: v['app-host'],
          password: need(v['migrate-password'] ?? env.DB_MIGRATE_PASSWORD, 'DB_MIGRATE_PASSWORD'),
        },
        replication: {
          user: v['repl-user'],
          host: v['repl-host'],
          password: need(v['repl-password'] ?? env.REPL_PASSWORD, 'REPL_PASSWORD'),
        },
      }),
    /** Points a replica at the master and starts it (run on the replica). */
    replica: (f, v, env) =>
      replicaSetupSql(f, {
        host: v['source-host'],
        port: Number(need(v['source-port'], '--source-port')),
        user: v['repl-user'],
        password: need(v['repl-password'] ?? env.REPL_PASSWORD, 'REPL_PASSWORD'),
        connectRetry: Number(v['connect-retry']),
      }),
    /** The replica's status row; none on an instance never pointed at a master. */
    'replica-status': (f) => [replicaStatusSql(f)],
    /** The master's whole GTID position, for a replica to wait on. */
    'master-position': (f) => [masterPositionSql(f)],
    /** On a replica: 0 once it applied --gtid, else (after --timeout seconds) not 0. */
    'wait-gtid': (f, v) => {
      if (v.gtid === undefined) throw new Error('missing --gtid');
      return [replicaCatchUpSql(f, v.gtid, Number(need(v.timeout, '--timeout')))];
    },
    /** binlog_pos, slave_pos, current_pos of an instance (failover compares them). */
    'gtid-positions': (f) => [mariadbOnly(f, gtidPositionsSql())],
    /** `--on`: refuse the app's writes (an old master being switched away from); else allow. */
    'read-only': (f, v) => readOnlySql(v.on).map((s) => mariadbOnly(f, s)),
    /** On the replica being promoted: forget its master, take writes. */
    promote: (f) => promoteSql().map((s) => mariadbOnly(f, s)),
    /** First line of a dump loaded into one instance only (a rebuild): not binlogged. */
    unlogged: (f) => [mariadbOnly(f, unlogged)],
    /** On a rebuilt replica: start replicating from --gtid (the dump's position). */
    'replica-position': (f, v) =>
      setReplicaPositionSql(need(v.gtid, '--gtid')).map((s) => mariadbOnly(f, s)),
    /** On an old master: become a replica of --source-port from its own position --gtid. */
    rejoin: (f, v, env) =>
      rejoinSql(
        {
          host: v['source-host'],
          port: Number(need(v['source-port'], '--source-port')),
          user: v['repl-user'],
          password: need(v['repl-password'] ?? env.REPL_PASSWORD, 'REPL_PASSWORD'),
          connectRetry: Number(v['connect-retry']),
        },
        v.gtid ?? '',
      ).map((s) => mariadbOnly(f, s)),
  };

export function replicationSqlFromArgs(argv: string[], env: NodeJS.ProcessEnv): string {
  const { values: v } = parseArgs({ args: argv, options, strict: true });
  const flavor = v.flavor;
  if (flavor !== 'mariadb' && flavor !== 'mysql') {
    throw new Error(`--flavor must be mariadb or mysql, not ${flavor}`);
  }
  const mode = v.what !== undefined && Object.hasOwn(modes, v.what) ? modes[v.what] : undefined;
  if (!mode) throw new Error(`--what must be one of ${Object.keys(modes).join(', ')}`);
  return toScript(mode(flavor, v, env));
}

if (require.main === module) {
  try {
    process.stdout.write(replicationSqlFromArgs(process.argv.slice(2), process.env));
  } catch (err) {
    console.error(`replication-sql: ${(err as Error).message}`);
    process.exit(2);
  }
}
