// Replication and account setup SQL for both database flavors, as pure functions, and the checks
// an operator's script runs around it. The local stack (deploy/local/stack.sh, through
// cli/replication-sql.ts) and the MySQL Docker init scripts (deploy/mysql/, generated from here)
// run exactly this text, so the two paths cannot drift.
//
// MariaDB 10.11 speaks `CHANGE MASTER TO … MASTER_USE_GTID=slave_pos` / `START SLAVE`;
// MySQL 8.4 removed those and speaks `CHANGE REPLICATION SOURCE TO … SOURCE_AUTO_POSITION=1` /
// `START REPLICA`.

import { waitGtidSql, type DbFlavor } from './gtid';

// The flavor is gtid.ts's fact; re-exported so callers of this module need only one import.
export type { DbFlavor };

/** A SQL string literal. Escapes backslash, quote and control bytes so any value is safe inside. */
export function quoteString(value: string): string {
  // eslint-disable-next-line no-control-regex -- escaping control bytes is the point
  const escaped = value.replace(/[\0\n\r\b\t\x1a'"\\]/g, (c) => {
    switch (c) {
      case '\0':
        return '\\0';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\b':
        return '\\b';
      case '\t':
        return '\\t';
      case '\x1a':
        return '\\Z';
      default:
        return `\\${c}`;
    }
  });
  return `'${escaped}'`;
}

/** A quoted identifier (database, table) with embedded backticks doubled. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('empty identifier');
  return `\`${name.replace(/`/g, '``')}\``;
}

/** An account name `'user'@'host'`. */
export function account(user: string, host: string): string {
  if (user.length === 0) throw new Error('empty user name');
  return `${quoteString(user)}@${quoteString(host)}`;
}

function port(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`bad port ${n}`);
  return n;
}

export interface ReplicationUser {
  user: string;
  password: string;
  /** Host part of the account: '127.0.0.1' for local processes, '%' inside a Docker network. */
  host: string;
}

/**
 * Account statements never reach a binlog: `SET sql_log_bin=0` keeps passwords (and the
 * statements' existence) out of it, so every instance (master and each replica) runs the account
 * script itself instead of receiving it by replication. It also keeps replicas free of local
 * GTIDs, which gtid_strict_mode would refuse later. Root runs it (sql_log_bin needs SUPER).
 */
export const unlogged = 'SET SESSION sql_log_bin = 0';
export const logged = 'SET SESSION sql_log_bin = 1';

/**
 * An account with exactly `grants`: created if missing, password set, every earlier privilege
 * revoked first (so an upgrade from a broader grant shrinks it), then granted. Re-runnable.
 */
function accountSql(who: string, password: string, grants: readonly string[]): string[] {
  return [
    `CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY ${quoteString(password)}`,
    `ALTER USER ${who} IDENTIFIED BY ${quoteString(password)}`,
    `REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${who}`,
    ...grants.map((g) => `GRANT ${g} TO ${who}`),
  ];
}

/** The account replicas connect with: REPLICATION SLAVE only. Re-running updates the password. */
export function replicationUserSql(_flavor: DbFlavor, u: ReplicationUser): string[] {
  return accountSql(account(u.user, u.host), u.password, ['REPLICATION SLAVE ON *.*']);
}

export interface AppUser {
  user: string;
  password: string;
  host: string;
  database: string;
}

/**
 * What the nodes' account may do on its own database: read and write rows, nothing else. No DDL
 * (migrations run as the migrator), and no global privilege: BINLOG MONITOR would let it read
 * `SHOW BINLOG EVENTS`, SLAVE MONITOR `SHOW RELAYLOG EVENTS`, both of which pair a voter's
 * participation row with their ballot.
 */
export const appDatabasePrivileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

/** The migrator's: the app's rows (the seed) plus the schema. Used by cli/migrate.ts only. */
export const migratorDatabasePrivileges = [
  ...appDatabasePrivileges,
  'CREATE',
  'ALTER',
  'INDEX',
  'DROP',
  'REFERENCES',
] as const;

/**
 * What the replica probe (db/replicas.ts) reads beyond variables every account may read. MariaDB:
 * nothing (the `Slave_running` status and `@@gtid_slave_pos` are readable by anyone). MySQL 8.4
 * has no `Slave_running` status: the probe reads the service state of the two replication
 * threads from performance_schema, one table each, which shows no event of any log.
 */
export function probeGrants(flavor: DbFlavor): string[] {
  return flavor === 'mariadb'
    ? []
    : [
        'SELECT ON performance_schema.replication_connection_status',
        'SELECT ON performance_schema.replication_applier_status',
      ];
}

/** The application's account: DML on its database, and what the probe reads. */
export function appUserSql(flavor: DbFlavor, u: AppUser): string[] {
  return accountSql(account(u.user, u.host), u.password, [
    `${appDatabasePrivileges.join(', ')} ON ${quoteIdent(u.database)}.*`,
    ...probeGrants(flavor),
  ]);
}

/** The migrator's account: schema changes and rows on the app's database, nothing global. */
export function migratorUserSql(_flavor: DbFlavor, u: AppUser): string[] {
  return accountSql(account(u.user, u.host), u.password, [
    `${migratorDatabasePrivileges.join(', ')} ON ${quoteIdent(u.database)}.*`,
  ]);
}

/** The app's database. Unlogged like the accounts: every instance creates it before replicating. */
export function databaseSql(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
}

export interface Accounts {
  database: string;
  app: Omit<AppUser, 'database'>;
  migrator: Omit<AppUser, 'database'>;
  replication: ReplicationUser;
}

/**
 * Everything one instance needs before it serves or replicates: the database and the three
 * accounts, with the binlog off for the whole script. Run as root on EVERY instance.
 */
export function instanceAccountsSql(flavor: DbFlavor, a: Accounts): string[] {
  return [
    unlogged,
    databaseSql(a.database),
    ...appUserSql(flavor, { ...a.app, database: a.database }),
    ...migratorUserSql(flavor, { ...a.migrator, database: a.database }),
    ...replicationUserSql(flavor, a.replication),
    logged,
  ];
}

export interface ReplicaSource {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Seconds between reconnect attempts; the server default (60) stalls a replica started early. */
  connectRetry: number;
}

/** Points a replica at its master by GTID and starts it. Safe to re-run on a configured replica. */
export function replicaSetupSql(flavor: DbFlavor, s: ReplicaSource): string[] {
  const retry = Math.max(1, Math.floor(s.connectRetry));
  if (flavor === 'mariadb') {
    return [
      'STOP SLAVE',
      [
        'CHANGE MASTER TO',
        `MASTER_HOST=${quoteString(s.host)},`,
        `MASTER_PORT=${port(s.port)},`,
        `MASTER_USER=${quoteString(s.user)},`,
        `MASTER_PASSWORD=${quoteString(s.password)},`,
        'MASTER_USE_GTID=slave_pos,',
        `MASTER_CONNECT_RETRY=${retry}`,
      ].join(' '),
      'START SLAVE',
    ];
  }
  return [
    'STOP REPLICA',
    [
      'CHANGE REPLICATION SOURCE TO',
      `SOURCE_HOST=${quoteString(s.host)},`,
      `SOURCE_PORT=${port(s.port)},`,
      `SOURCE_USER=${quoteString(s.user)},`,
      `SOURCE_PASSWORD=${quoteString(s.password)},`,
      'SOURCE_AUTO_POSITION=1,',
      `SOURCE_CONNECT_RETRY=${retry},`,
      // Over TLS (the MySQL 8.4 server's own certificate, made at its first start): the
      // replication password and every row event are encrypted on the network.
      'SOURCE_SSL=1,',
      'GET_SOURCE_PUBLIC_KEY=1',
    ].join(' '),
    'START REPLICA',
  ];
}

/** Statements as one script, each terminated by `;` on its own line. */
export function toScript(statements: readonly string[]): string {
  return statements.map((s) => `${s};\n`).join('');
}

/**
 * The master's whole GTID position (one row, one column): everything it has logged so far. A
 * setup script waits for replicas to reach it; per-commit read-your-writes uses gtid.ts instead.
 * MariaDB: `@@gtid_binlog_pos` (empty on a fresh install); MySQL: `@@GLOBAL.gtid_executed`.
 */
export function masterPositionSql(flavor: DbFlavor): string {
  return flavor === 'mariadb' ? 'SELECT @@gtid_binlog_pos' : 'SELECT @@GLOBAL.gtid_executed';
}

/**
 * Waits on a replica until it applied `gtid` or `timeoutSeconds` passed; the one value it returns
 * is 0 when reached. gtid.ts's wait with its placeholders filled in, for a client that cannot bind
 * parameters (the mariadb command line).
 */
export function replicaCatchUpSql(flavor: DbFlavor, gtid: string, timeoutSeconds: number): string {
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new Error(`bad timeout ${timeoutSeconds}`);
  }
  const values = [quoteString(gtid), String(timeoutSeconds)];
  let next = 0;
  // One pass over the template, so a '?' inside the quoted GTID is never taken for a placeholder.
  return waitGtidSql(flavor).replace(/\?/g, () => values[next++]!);
}

/*
 * Failover (deploy/local/operations.sh): the statements an operator's promote and rejoin run as
 * root on the instances, MariaDB only (the Docker path's MySQL is not failed over by a script).
 */

/** One row: what an instance has logged, applied as a replica, and both (MariaDB GTID lists). */
export function gtidPositionsSql(): string {
  return 'SELECT @@gtid_binlog_pos AS binlog_pos, @@gtid_slave_pos AS slave_pos, @@gtid_current_pos AS current_pos';
}

/**
 * Turns writes off (on) for every account without READ ONLY ADMIN: the app's account is refused
 * with ER_OPTION_PREVENTS_STATEMENT, which the nodes answer as `master_unavailable`.
 */
export function readOnlySql(on: boolean): string[] {
  return [`SET GLOBAL read_only = ${on ? 'ON' : 'OFF'}`];
}

/** Makes a replica the master: forget its master, take writes. */
export function promoteSql(): string[] {
  return ['STOP SLAVE', 'RESET SLAVE ALL', ...readOnlySql(false)];
}

/**
 * Makes an old master (or any instance with its own binlog history) a replica of `s`, starting
 * from `position`, its own GTID position (`@@gtid_current_pos`): what it logged itself counts as
 * applied, so the wait for it to catch up sees it at once. Under gtid_strict_mode the new master
 * refuses it if it holds transactions the new master never got.
 */
export function rejoinSql(s: ReplicaSource, position: string): string[] {
  return [
    ...readOnlySql(true),
    'STOP SLAVE',
    'RESET SLAVE ALL',
    ...(position === '' ? [] : setReplicaPositionSql(position)),
    ...replicaSetupSql('mariadb', s).slice(1),
  ];
}

/** Where a replica rebuilt from a dump starts replicating: the dump's GTID position. */
export function setReplicaPositionSql(gtid: string): string[] {
  if (!/^(\d+-\d+-\d+)(,\d+-\d+-\d+)*$/.test(gtid)) throw new Error(`not a GTID position: ${gtid}`);
  return [`SET GLOBAL gtid_slave_pos = ${quoteString(gtid)}`];
}
