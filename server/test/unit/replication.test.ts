// Replication and account setup SQL for MariaDB 10.11 and MySQL 8.4 (db/replication.ts), and the
// generated MySQL init templates staying identical to what the generator prints.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { replicationSqlFromArgs } from '../../src/cli/replication-sql';
import {
  account,
  appUserSql,
  instanceAccountsSql,
  masterPositionSql,
  migratorUserSql,
  quoteIdent,
  quoteString,
  replicaCatchUpSql,
  replicaSetupSql,
  replicationUserSql,
  toScript,
} from '../../src/db/replication';

const source = { host: '127.0.0.1', port: 3307, user: 'repl', password: 'pw', connectRetry: 1 };

describe('quoting', () => {
  it('escapes quotes, backslashes and control bytes in string literals', () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString('a\\b')).toBe("'a\\\\b'");
    expect(quoteString('"x"')).toBe('\'\\"x\\"\'');
    expect(quoteString('l1\nl2\r\t\0\x1a')).toBe("'l1\\nl2\\r\\t\\0\\Z'");
  });

  it('cannot be broken out of by a hostile password', () => {
    const sql = replicaSetupSql('mariadb', { ...source, password: "x', MASTER_HOST='evil" })[1]!;
    expect(sql).toContain("MASTER_PASSWORD='x\\', MASTER_HOST=\\'evil'");
    expect(sql.match(/MASTER_HOST=/g)).toHaveLength(2); // ours and the inert one inside the literal
    expect(sql.startsWith("CHANGE MASTER TO MASTER_HOST='127.0.0.1',")).toBe(true);
  });

  it('doubles backticks in identifiers and quotes both parts of an account', () => {
    expect(quoteIdent('tally`board')).toBe('`tally``board`');
    expect(account('app', '%')).toBe("'app'@'%'");
    expect(() => quoteIdent('')).toThrow();
    expect(() => account('', 'h')).toThrow();
  });
});

describe('replica setup', () => {
  it('speaks MariaDB: CHANGE MASTER TO with MASTER_USE_GTID=slave_pos and START SLAVE', () => {
    expect(replicaSetupSql('mariadb', source)).toEqual([
      'STOP SLAVE',
      "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=3307, MASTER_USER='repl', " +
        "MASTER_PASSWORD='pw', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1",
      'START SLAVE',
    ]);
  });

  it('speaks MySQL 8.4: CHANGE REPLICATION SOURCE TO with auto-position and START REPLICA', () => {
    expect(replicaSetupSql('mysql', { ...source, host: 'mysql-master', port: 3306 })).toEqual([
      'STOP REPLICA',
      "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-master', SOURCE_PORT=3306, " +
        "SOURCE_USER='repl', SOURCE_PASSWORD='pw', SOURCE_AUTO_POSITION=1, " +
        'SOURCE_CONNECT_RETRY=1, SOURCE_SSL=1, GET_SOURCE_PUBLIC_KEY=1',
      'START REPLICA',
    ]);
  });

  it('never uses the removed MySQL statements on 8.4, nor MySQL ones on MariaDB', () => {
    const mysql = replicaSetupSql('mysql', source).join('\n');
    expect(mysql).not.toMatch(/MASTER|SLAVE/);
    const maria = replicaSetupSql('mariadb', source).join('\n');
    expect(maria).not.toMatch(/SOURCE|REPLICA\b/);
  });

  it('rejects a bad port and keeps the retry at least one second', () => {
    expect(() => replicaSetupSql('mariadb', { ...source, port: 0 })).toThrow(/bad port/);
    expect(replicaSetupSql('mariadb', { ...source, connectRetry: 0 })[1]).toContain(
      'MASTER_CONNECT_RETRY=1',
    );
  });
});

describe('accounts', () => {
  const accounts = {
    database: 'tallyboard',
    app: { user: 'tallyboard', host: '127.0.0.1', password: 'p' },
    migrator: { user: 'tallyboard_migrate', host: '127.0.0.1', password: 'm' },
    replication: { user: 'repl', host: '127.0.0.1', password: 'r' },
  };
  const grantsOf = (sql: string[], who: string) =>
    sql.filter((s) => s.startsWith('GRANT ') && s.endsWith(` TO ${who}`));

  it('gives the replication account REPLICATION SLAVE only, after revoking anything older', () => {
    const sql = replicationUserSql('mysql', { user: 'repl', host: '%', password: 'p' });
    expect(sql).toEqual([
      "CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'p'",
      "ALTER USER 'repl'@'%' IDENTIFIED BY 'p'",
      "REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'repl'@'%'",
      "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'",
    ]);
  });

  it('gives the app account DML on its database and nothing that reads a log or changes the schema', () => {
    const u = { user: 'tallyboard', host: '127.0.0.1', password: 'p', database: 'tallyboard' };
    const maria = appUserSql('mariadb', u);
    expect(grantsOf(maria, "'tallyboard'@'127.0.0.1'")).toEqual([
      "GRANT SELECT, INSERT, UPDATE, DELETE ON `tallyboard`.* TO 'tallyboard'@'127.0.0.1'",
    ]);
    expect(maria).toContain("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'tallyboard'@'127.0.0.1'");
    for (const flavor of ['mariadb', 'mysql'] as const) {
      const text = appUserSql(flavor, u).join('\n');
      expect(text).not.toMatch(
        /BINLOG|MONITOR|REPLICATION|SLAVE|SUPER|CREATE,|ALTER,|DROP|INDEX|ALL PRIVILEGES ON|GRANT OPTION ON/,
      );
    }
    // MySQL 8.4 has no Slave_running status: the probe reads the threads' service state.
    expect(grantsOf(appUserSql('mysql', u), "'tallyboard'@'127.0.0.1'")).toEqual([
      "GRANT SELECT, INSERT, UPDATE, DELETE ON `tallyboard`.* TO 'tallyboard'@'127.0.0.1'",
      "GRANT SELECT ON performance_schema.replication_connection_status TO 'tallyboard'@'127.0.0.1'",
      "GRANT SELECT ON performance_schema.replication_applier_status TO 'tallyboard'@'127.0.0.1'",
    ]);
  });

  it('gives the migrator DDL on the app database only', () => {
    const sql = migratorUserSql('mariadb', { ...accounts.migrator, database: 'tallyboard' });
    expect(grantsOf(sql, "'tallyboard_migrate'@'127.0.0.1'")).toEqual([
      'GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON `tallyboard`.* ' +
        "TO 'tallyboard_migrate'@'127.0.0.1'",
    ]);
  });

  it('writes the whole instance script with the binlog off, so no password reaches a binlog', () => {
    for (const flavor of ['mariadb', 'mysql'] as const) {
      const sql = instanceAccountsSql(flavor, accounts);
      expect(sql[0]).toBe('SET SESSION sql_log_bin = 0');
      expect(sql.at(-1)).toBe('SET SESSION sql_log_bin = 1');
      const withPassword = sql.filter((s) => s.includes('IDENTIFIED BY'));
      expect(withPassword).toHaveLength(6);
      expect(sql.slice(1, -1).some((s) => /sql_log_bin/.test(s))).toBe(false);
      expect(sql[1]).toMatch(/^CREATE DATABASE IF NOT EXISTS `tallyboard`/);
    }
  });

  it('joins statements into a script, one per line', () => {
    expect(toScript(['A', 'B'])).toBe('A;\nB;\n');
  });
});

describe('checks around replica setup', () => {
  it('reads the master position from the binlog on MariaDB and the executed set on MySQL', () => {
    expect(masterPositionSql('mariadb')).toBe('SELECT @@gtid_binlog_pos');
    expect(masterPositionSql('mysql')).toBe('SELECT @@GLOBAL.gtid_executed');
  });

  it('waits for a GTID with the flavor’s wait function, values inlined as literals', () => {
    expect(replicaCatchUpSql('mariadb', '0-1-42', 60)).toBe(
      "SELECT MASTER_GTID_WAIT('0-1-42', 60) AS r",
    );
    expect(replicaCatchUpSql('mysql', 'uuid:1-5', 0.5)).toBe(
      "SELECT WAIT_FOR_EXECUTED_GTID_SET('uuid:1-5', 0.5) AS r",
    );
  });

  it('keeps a hostile GTID inside its literal, a ? in it included', () => {
    expect(replicaCatchUpSql('mariadb', "x?', 0) OR ('", 5)).toBe(
      "SELECT MASTER_GTID_WAIT('x?\\', 0) OR (\\'', 5) AS r",
    );
  });

  it('waits on an empty position (a master that logged nothing) but never without a timeout', () => {
    expect(replicaCatchUpSql('mariadb', '', 1)).toBe("SELECT MASTER_GTID_WAIT('', 1) AS r");
    expect(() => replicaCatchUpSql('mariadb', '0-1-1', 0)).toThrow(/bad timeout/);
    expect(() => replicaCatchUpSql('mariadb', '0-1-1', Number.NaN)).toThrow(/bad timeout/);
  });
});

describe('replication-sql CLI', () => {
  it('takes passwords from the environment and prints users or replica SQL', () => {
    const env = { DB_PASSWORD: 'dbp', DB_MIGRATE_PASSWORD: 'mp', REPL_PASSWORD: 'rp' };
    const users = replicationSqlFromArgs(['--flavor', 'mariadb', '--what', 'users'], env);
    expect(users).toContain("'tallyboard'@'127.0.0.1' IDENTIFIED BY 'dbp'");
    expect(users).toContain("'tallyboard_migrate'@'127.0.0.1' IDENTIFIED BY 'mp'");
    expect(users.startsWith('SET SESSION sql_log_bin = 0;\n')).toBe(true);
    const replica = replicationSqlFromArgs(
      ['--flavor', 'mariadb', '--what', 'replica', '--source-port', '3307'],
      env,
    );
    expect(replica).toBe(
      toScript(replicaSetupSql('mariadb', { ...source, password: 'rp', user: 'repl' })),
    );
  });

  it('prints the status and GTID checks without asking for any password', () => {
    const sql = (...args: string[]) => replicationSqlFromArgs(args, {});
    expect(sql('--what', 'replica-status')).toBe('SHOW SLAVE STATUS;\n');
    expect(sql('--flavor', 'mysql', '--what', 'replica-status')).toBe('SHOW REPLICA STATUS;\n');
    expect(sql('--what', 'master-position')).toBe('SELECT @@gtid_binlog_pos;\n');
    expect(sql('--what', 'wait-gtid', '--gtid', '0-1-7,1-2-3', '--timeout', '60')).toBe(
      "SELECT MASTER_GTID_WAIT('0-1-7,1-2-3', 60) AS r;\n",
    );
    expect(sql('--what', 'wait-gtid', '--gtid', '', '--timeout', '60')).toContain("WAIT('', 60)");
  });

  it('names what wait-gtid is missing and every mode it knows', () => {
    const sql =
      (...args: string[]) =>
      () =>
        replicationSqlFromArgs(args, {});
    expect(sql('--what', 'wait-gtid', '--timeout', '60')).toThrow(/missing --gtid/);
    expect(sql('--what', 'wait-gtid', '--gtid', '0-1-1')).toThrow(/missing --timeout/);
    expect(sql('--what', 'nothing')).toThrow(
      /one of users, replica, replica-status, master-position, wait-gtid/,
    );
    expect(sql('--what', 'constructor')).toThrow(/one of/);
    expect(sql()).toThrow(/one of/);
  });

  it('fails clearly without a password or with an unknown flavor', () => {
    expect(() => replicationSqlFromArgs(['--what', 'users'], {})).toThrow(/DB_PASSWORD/);
    expect(() =>
      replicationSqlFromArgs(['--what', 'users'], { DB_PASSWORD: 'a', REPL_PASSWORD: 'b' }),
    ).toThrow(/DB_MIGRATE_PASSWORD/);
    expect(() => replicationSqlFromArgs(['--flavor', 'pg', '--what', 'users'], {})).toThrow(
      /mariadb or mysql/,
    );
  });
});

describe('generated MySQL init templates (deploy/mysql)', () => {
  const dir = path.resolve(__dirname, '../../../deploy/mysql');
  const body = (file: string) =>
    readFileSync(path.join(dir, file), 'utf8').split('\n').slice(1).join('\n');
  const stale = 'out of date: run deploy/mysql/generate.sh';

  // The same arguments as deploy/mysql/generate.sh.
  it('master-users.sql.template is the generator output', () => {
    const expected = replicationSqlFromArgs(
      ['--flavor', 'mysql', '--what', 'users', '--app-host', '%', '--repl-host', '%'],
      {
        DB_PASSWORD: '__DB_PASSWORD__',
        DB_MIGRATE_PASSWORD: '__DB_MIGRATE_PASSWORD__',
        REPL_PASSWORD: '__REPL_PASSWORD__',
      },
    );
    expect({ file: body('master-users.sql.template'), stale }).toEqual({ file: expected, stale });
  });

  it('replica-source.sql.template is the generator output', () => {
    const expected = replicationSqlFromArgs(
      [
        '--flavor',
        'mysql',
        '--what',
        'replica',
        '--source-host',
        'mysql-master',
        '--source-port',
        '3306',
        '--connect-retry',
        '1',
      ],
      { REPL_PASSWORD: '__REPL_PASSWORD__' },
    );
    expect({ file: body('replica-source.sql.template'), stale }).toEqual({ file: expected, stale });
  });
});

describe('MySQL init scripts (deploy/mysql/init)', () => {
  const dir = path.resolve(__dirname, '../../../deploy/mysql/init');
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  it('creates the accounts on the master from the generated SQL, and exports their hashes', () => {
    expect(read('master/01-accounts.sh')).toContain(
      'tb_render /tb-mysql/master-users.sql.template | docker_process_sql',
    );
    const exported = read('master/02-export-accounts.sh');
    expect(exported).toContain('print_identified_with_as_hex = ON; SHOW CREATE USER');
    expect(exported).toContain('SET SESSION sql_log_bin = 0;');
  });

  it('gives a replica the master’s hashes, not the passwords, before it points at the master', () => {
    const accounts = read('replica/01-accounts.sh');
    expect(accounts).toContain('docker_process_sql </tb-accounts/accounts.sql');
    expect(accounts).not.toMatch(/tb_render|DB_PASSWORD|DB_MIGRATE_PASSWORD/);
    expect(read('replica/02-source.sh')).toContain('replica-source.sql.template');
    expect(read('replica/03-super-read-only.sh')).toContain('SET PERSIST super_read_only = ON;');
  });
});

describe('failover statements', () => {
  const sql = (...args: string[]) => replicationSqlFromArgs(args, { REPL_PASSWORD: 'rp' });

  it('promotes a replica: forget its master, then take writes', () => {
    expect(sql('--what', 'promote')).toBe(
      'STOP SLAVE;\nRESET SLAVE ALL;\nSET GLOBAL read_only = OFF;\n',
    );
    expect(sql('--what', 'read-only', '--on')).toBe('SET GLOBAL read_only = ON;\n');
    expect(sql('--what', 'read-only')).toBe('SET GLOBAL read_only = OFF;\n');
  });

  it('rejoins an old master read-only, from its own position, then as a replica (slave_pos)', () => {
    const rejoin = sql('--what', 'rejoin', '--source-port', '3308', '--gtid', '0-1-22');
    expect(rejoin).toBe(
      [
        'SET GLOBAL read_only = ON;',
        'STOP SLAVE;',
        'RESET SLAVE ALL;',
        "SET GLOBAL gtid_slave_pos = '0-1-22';",
        "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=3308, MASTER_USER='repl', MASTER_PASSWORD='rp', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;",
        'START SLAVE;',
        '',
      ].join('\n'),
    );
    // An instance that never logged anything has no position to set.
    expect(sql('--what', 'rejoin', '--source-port', '3308')).not.toContain('gtid_slave_pos');
  });

  it('starts a rebuilt replica at the position of its dump, and refuses anything else', () => {
    expect(sql('--what', 'replica-position', '--gtid', '0-1-42,1-2-3')).toBe(
      "SET GLOBAL gtid_slave_pos = '0-1-42,1-2-3';\n",
    );
    expect(() => sql('--what', 'replica-position', '--gtid', "0-1-1'; DROP")).toThrow(/GTID/);
    expect(sql('--what', 'unlogged')).toBe('SET SESSION sql_log_bin = 0;\n');
  });

  it('refuses failover SQL for MySQL', () => {
    expect(() => sql('--flavor', 'mysql', '--what', 'promote')).toThrow(/MariaDB only/);
  });
});
