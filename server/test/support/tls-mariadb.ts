// A MariaDB that takes TLS connections only, for the DB_TLS tests: certificates made with openssl
// at test time (a CA, a server certificate it signs naming 127.0.0.1 and localhost, and an
// unrelated CA), then one mariadbd started like the stack's (its own --defaults-file FIRST,
// user=root, its own socket, port and data folder) with require_secure_transport=ON.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { until } from './drill';
import { freePorts } from './stack';

const run = promisify(execFile);

export interface TlsMariaDb {
  port: number;
  /** The CA that signed the server's certificate. */
  caFile: string;
  /** A CA that signed nothing this server presents. */
  wrongCaFile: string;
  /** An account allowed everything on `database`, from 127.0.0.1. */
  user: string;
  password: string;
  database: string;
  /** SQL as root through the instance's socket. */
  root(sql: string): Promise<void>;
  stop(): Promise<void>;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

/** `<name>.pem` and `<name>.key`: a self-signed certificate authority with subject `subject`. */
function selfSignedCa(dir: string, name: string, subject: string, days: string[]): Promise<void> {
  return openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-subj',
    subject,
    ...days,
  ]);
}

/** ca.pem/ca.key, server.pem/server.key signed by it, and wrong-ca.pem. */
async function makeCertificates(dir: string): Promise<void> {
  const days = ['-days', '2'];
  await selfSignedCa(dir, 'ca', '/CN=tallyboard test CA', days);
  await selfSignedCa(dir, 'wrong-ca', '/CN=some other CA', days);
  await openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  ]);
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-extfile',
    'san.ext',
    ...days,
  ]);
}

export async function startTlsMariaDb(): Promise<TlsMariaDb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-db-tls-'));
  const [port] = (await freePorts(1)) as [number];
  let mariadbd: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    const p = mariadbd;
    if (p && p.exitCode === null && p.signalCode === null) {
      await new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        p.kill('SIGKILL');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await makeCertificates(dir);
    const cnf = path.join(dir, 'my.cnf');
    writeFileSync(
      cnf,
      [
        '[mariadbd]',
        'user = root',
        `datadir = ${dir}/data`,
        `socket = ${dir}/mariadb.sock`,
        `pid-file = ${dir}/mariadbd.pid`,
        `log-error = ${dir}/error.log`,
        'bind-address = 127.0.0.1',
        `port = ${port}`,
        'skip-name-resolve',
        'character-set-server = utf8mb4',
        'collation-server = utf8mb4_unicode_ci',
        'innodb_buffer_pool_size = 32M',
        'innodb_log_file_size = 16M',
        `ssl_ca = ${dir}/ca.pem`,
        `ssl_cert = ${dir}/server.pem`,
        `ssl_key = ${dir}/server.key`,
        'require_secure_transport = ON',
        '',
      ].join('\n'),
    );
    await run('mariadb-install-db', [
      `--defaults-file=${cnf}`,
      '--user=root',
      '--skip-test-db',
      '--skip-name-resolve',
      '--auth-root-authentication-method=socket',
    ]);
    mariadbd = spawn('mariadbd', [`--defaults-file=${cnf}`], { stdio: 'ignore' });
    const root = (sql: string): Promise<{ stdout: string }> =>
      run('mariadb', [
        '--no-defaults',
        '--protocol=socket',
        `--socket=${dir}/mariadb.sock`,
        '-uroot',
        '-N',
        '-B',
        '-e',
        sql,
      ]);
    await until('mariadbd with TLS to answer on its socket', 30_000, async () => {
      if (mariadbd?.exitCode !== null) {
        throw new Error(
          `mariadbd exited: ${readFileSync(`${dir}/error.log`, 'utf8').slice(-2000)}`,
        );
      }
      await root('SELECT 1');
      return true;
    });
    const user = 'tb_tls';
    const password = 'tls-test-password';
    const database = 'tallyboard';
    await root(
      `CREATE DATABASE ${database}; CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'; ` +
        `GRANT ALL ON ${database}.* TO '${user}'@'127.0.0.1';`,
    );
    return {
      port,
      caFile: path.join(dir, 'ca.pem'),
      wrongCaFile: path.join(dir, 'wrong-ca.pem'),
      user,
      password,
      database,
      root: async (sql) => {
        await root(sql);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
