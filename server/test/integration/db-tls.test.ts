// DB_TLS against a real MariaDB that refuses unencrypted connections (require_secure_transport),
// with certificates made at test time: the node's pools connect over TLS when verifying against
// the right CA, are refused in the clear, and refuse a server their CA did not sign; the migrate
// CLI's pool (the migrator's config) goes over TLS too.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { migratorDbConfig, parseConfig } from '../../src/config';
import { createMasterPool } from '../../src/db/master';
import { migrate } from '../../src/db/migrate';
import { migrations } from '../../src/db/migrations';
import { createLogger } from '../../src/log';
import { startTlsMariaDb, type TlsMariaDb } from '../support/tls-mariadb';

let db: TlsMariaDb;
const pools: Pool[] = [];

beforeAll(async () => {
  db = await startTlsMariaDb();
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  await db?.stop();
});

/** The config a node would parse from its environment, pointed at the TLS server. */
function config(env: Record<string, string>): ReturnType<typeof parseConfig> {
  return parseConfig({
    NODE_ENV: 'test',
    DB_MASTER: `127.0.0.1:${db.port}`,
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    DB_NAME: db.database,
    DB_MIGRATE_USER: db.user,
    DB_MIGRATE_PASSWORD: db.password,
    ...env,
  });
}

function masterPool(env: Record<string, string>): Pool {
  const pool = createMasterPool(config(env).db);
  pools.push(pool);
  return pool;
}

async function cipher(pool: Pool): Promise<string> {
  const [rows] = await pool.query<RowDataPacket[]>("SHOW STATUS LIKE 'Ssl_cipher'");
  return String(rows[0]?.Value ?? '');
}

describe('DB_TLS against a MariaDB with require_secure_transport=ON', () => {
  it('connects over TLS with DB_TLS=verify and the CA that signed the server', async () => {
    const pool = masterPool({ DB_TLS: 'verify', DB_TLS_CA_FILE: db.caFile });
    expect(await cipher(pool)).not.toBe('');
  });

  it('is refused in the clear with DB_TLS=off, and only because of the transport', async () => {
    const pool = masterPool({ DB_TLS: 'off' });
    // MariaDB 10.11 answers a plain connection under require_secure_transport with "Access
    // denied" (MySQL with ER_SECURE_TRANSPORT_REQUIRED)...
    await expect(pool.query('SELECT 1')).rejects.toThrow(/secure transport|Access denied/i);
    // ...and the same account in the clear gets in once the server allows plain connections.
    await db.root('SET GLOBAL require_secure_transport = OFF');
    try {
      const plain = masterPool({ DB_TLS: 'off' });
      expect(await cipher(plain)).toBe('');
      await plain.end();
    } finally {
      await db.root('SET GLOBAL require_secure_transport = ON');
    }
  });

  it('refuses a server its CA did not sign with DB_TLS=verify', async () => {
    const pool = masterPool({ DB_TLS: 'verify', DB_TLS_CA_FILE: db.wrongCaFile });
    await expect(pool.query('SELECT 1')).rejects.toThrow(/certificate/i);
  });

  it('encrypts without checking the certificate with DB_TLS=required', async () => {
    const pool = masterPool({ DB_TLS: 'required', DB_TLS_CA_FILE: db.wrongCaFile });
    expect(await cipher(pool)).not.toBe('');
  });

  it('runs the migrations over TLS with the migrate CLI’s config', async () => {
    const cfg = config({ DB_TLS: 'verify', DB_TLS_CA_FILE: db.caFile });
    const pool = createMasterPool(migratorDbConfig(cfg));
    pools.push(pool);
    const result = await migrate(pool, migrations, createLogger('db-tls-test', 'silent'));
    expect(result).toBeDefined();
    expect(await cipher(pool)).not.toBe('');
    const [tables] = await pool.query<RowDataPacket[]>('SHOW TABLES');
    expect(tables.length).toBeGreaterThan(3);
  });
});
