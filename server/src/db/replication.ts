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

/** The account replicas connect with: REPLICATION SLAVE only. Re-running updates the password. */
export function replicationUserSql(_flavor: DbFlavor, u: ReplicationUser): string[] {
  const who = account(u.user, u.host);
  return [
    `CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY ${quoteString(u.password)}`,
    `ALTER USER ${who} IDENTIFIED BY ${quoteString(u.password)}`,
    `GRANT REPLICATION SLAVE ON *.* TO ${who}`,
  ];
}

export interface AppUser {
  user: string;
  password: string;
  host: string;
  database: string;
}

/** Privileges the node needs on its own database, migrations included; nothing elsewhere. */
export const appDatabasePrivileges = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'ALTER',
  'INDEX',
  'DROP',
  'REFERENCES',
] as const;

/**
 * Global privileges for replica health and lag: `SHOW SLAVE STATUS` needs SLAVE MONITOR on
 * MariaDB 10.5.9+ (`SHOW MASTER STATUS` needs BINLOG MONITOR); MySQL's equivalent is
 * REPLICATION CLIENT. GTID variables and the GTID wait functions need none.
 */
export function monitorPrivileges(flavor: DbFlavor): string {
  return flavor === 'mariadb' ? 'SLAVE MONITOR, BINLOG MONITOR' : 'REPLICATION CLIENT';
}

/** The application's database and account. Run on the master; replicas get it by replication. */
export function appUserSql(flavor: DbFlavor, u: AppUser): string[] {
  const who = account(u.user, u.host);
  const db = quoteIdent(u.database);
  return [
    `CREATE DATABASE IF NOT EXISTS ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    `CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY ${quoteString(u.password)}`,
    `ALTER USER ${who} IDENTIFIED BY ${quoteString(u.password)}`,
    `GRANT ${appDatabasePrivileges.join(', ')} ON ${db}.* TO ${who}`,
    `GRANT ${monitorPrivileges(flavor)} ON *.* TO ${who}`,
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
