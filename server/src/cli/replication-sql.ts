// Prints the account or replica setup SQL from db/replication.ts, so shell scripts (the local
// stack, the generated MySQL init files) run the same code as the tests cover.
//
//   node server/dist/cli/replication-sql.js --flavor mariadb --what users \
//     [--database tallyboard] [--app-user tallyboard] [--app-host 127.0.0.1] \
//     [--repl-user repl] [--repl-host 127.0.0.1]
//   node server/dist/cli/replication-sql.js --flavor mariadb --what replica \
//     --source-host 127.0.0.1 --source-port 3307 [--repl-user repl] [--connect-retry 1]
//
// Passwords come from --app-password / --repl-password or, better (argv is visible in `ps`),
// from the DB_PASSWORD / REPL_PASSWORD environment variables.
import { parseArgs } from 'node:util';
import {
  appUserSql,
  type DbFlavor,
  replicaSetupSql,
  replicationUserSql,
  toScript,
} from '../db/replication';

export function replicationSqlFromArgs(argv: string[], env: NodeJS.ProcessEnv): string {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      flavor: { type: 'string', default: 'mariadb' },
      what: { type: 'string' },
      database: { type: 'string', default: 'tallyboard' },
      'app-user': { type: 'string', default: 'tallyboard' },
      'app-host': { type: 'string', default: '127.0.0.1' },
      'app-password': { type: 'string' },
      'repl-user': { type: 'string', default: 'repl' },
      'repl-host': { type: 'string', default: '127.0.0.1' },
      'repl-password': { type: 'string' },
      'source-host': { type: 'string', default: '127.0.0.1' },
      'source-port': { type: 'string' },
      'connect-retry': { type: 'string', default: '1' },
    },
    strict: true,
  });
  const flavor = v.flavor;
  if (flavor !== 'mariadb' && flavor !== 'mysql') {
    throw new Error(`--flavor must be mariadb or mysql, not ${flavor}`);
  }
  const need = (value: string | undefined, what: string): string => {
    if (value === undefined || value === '') throw new Error(`missing ${what}`);
    return value;
  };
  const replPassword = () => need(v['repl-password'] ?? env.REPL_PASSWORD, 'REPL_PASSWORD');
  const f: DbFlavor = flavor;
  if (v.what === 'users') {
    return toScript([
      ...appUserSql(f, {
        user: v['app-user'],
        host: v['app-host'],
        password: need(v['app-password'] ?? env.DB_PASSWORD, 'DB_PASSWORD'),
        database: v.database,
      }),
      ...replicationUserSql(f, {
        user: v['repl-user'],
        host: v['repl-host'],
        password: replPassword(),
      }),
    ]);
  }
  if (v.what === 'replica') {
    return toScript(
      replicaSetupSql(f, {
        host: v['source-host'],
        port: Number(need(v['source-port'], '--source-port')),
        user: v['repl-user'],
        password: replPassword(),
        connectRetry: Number(v['connect-retry']),
      }),
    );
  }
  throw new Error('--what must be users or replica');
}

if (require.main === module) {
  try {
    process.stdout.write(replicationSqlFromArgs(process.argv.slice(2), process.env));
  } catch (err) {
    console.error(`replication-sql: ${(err as Error).message}`);
    process.exit(2);
  }
}
