// ReplicaRouter against the real MariaDB master and two GTID replicas of the test stack.
import pino from 'pino';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { HealthReport } from '@tallyboard/shared';
import { parseConfig, type Config } from '../../src/config';
import { readCommittedGtid } from '../../src/db/gtid';
import { createMasterPool } from '../../src/db/master';
import { ReplicaRouter, type ReadStats } from '../../src/db/replicas';
import { getStack, type TestStack } from '../support';

const TABLE = 'router_test_rows';
const log = pino({ level: 'silent' });

let stack: TestStack;
let config: Config;
let master: Pool;
const routers: ReplicaRouter[] = [];

function configFor(env: Record<string, string> = {}): Config {
  return parseConfig({ ...stack.nodeEnv, LOG_LEVEL: 'silent', ...env });
}

async function newRouter(env: Record<string, string> = {}): Promise<ReplicaRouter> {
  const router = new ReplicaRouter(configFor(env).db, log, master);
  routers.push(router);
  await router.start();
  return router;
}

/** Writes one row on the master; returns its id and the commit's GTID. */
async function writeRow(): Promise<{ id: string; gtid: string }> {
  const id = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const conn = await master.getConnection();
  try {
    await conn.query(`INSERT INTO ${TABLE} (id) VALUES (?)`, [id]); // autocommit
    return { id, gtid: await readCommittedGtid(conn, config.db.flavor) };
  } finally {
    conn.release();
  }
}

const readRow = (router: ReplicaRouter, id: string, gtid?: string): Promise<boolean> =>
  router.read(
    async (conn) => {
      const [rows] = await conn.query<RowDataPacket[]>(`SELECT id FROM ${TABLE} WHERE id = ?`, [
        id,
      ]);
      return rows.length === 1;
    },
    gtid ? { gtid } : {},
  );

const delta = (before: ReadStats, after: ReadStats, key: string): number =>
  (after[key] ?? 0) - (before[key] ?? 0);

async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  stack = getStack();
  config = configFor();
  master = createMasterPool(config.db);
  // As root: the nodes' account holds no DDL (docs/security.md).
  await stack.masterQuery(
    `CREATE TABLE IF NOT EXISTS tallyboard.${TABLE} (id VARCHAR(40) NOT NULL PRIMARY KEY) ENGINE=InnoDB`,
  );
});

afterEach(async () => {
  // Leave replication running for the next test, whatever happened in this one.
  await stack.startReplicaSqlThread(0).catch(() => undefined);
  await stack.startReplicaSqlThread(1).catch(() => undefined);
});

afterAll(async () => {
  await Promise.all(routers.map((r) => r.stop()));
  await master?.end();
});

describe('ReplicaRouter', () => {
  it('reads a row written on the master back from each replica', async () => {
    const { id } = await writeRow();
    for (const i of [0, 1]) {
      await eventually(async () => {
        const rows = await stack.replicaQuery(
          i,
          `SELECT id FROM tallyboard.${TABLE} WHERE id='${id}'`,
        );
        return rows.length === 1;
      });
    }
    const router = await newRouter();
    expect(router.health().map((h) => [h.name, h.ok, h.replicating])).toEqual([
      ['replica1', true, true],
      ['replica2', true, true],
    ]);
    const before = router.stats();
    expect(await readRow(router, id)).toBe(true);
    expect(await readRow(router, id)).toBe(true);
    const after = router.stats();
    expect(delta(before, after, 'replica1')).toBe(1);
    expect(delta(before, after, 'replica2')).toBe(1);
  });

  it('spreads reads over both replicas, never one pinned', async () => {
    const router = await newRouter();
    const before = router.stats();
    await Promise.all(
      Array.from({ length: 40 }, () => router.read(async (c) => c.query('SELECT 1'))),
    );
    const after = router.stats();
    expect(delta(before, after, 'replica1')).toBe(20);
    expect(delta(before, after, 'replica2')).toBe(20);
    expect(delta(before, after, 'master')).toBe(0);
  });

  it('reads its own write from a replica right after the commit when given the GTID', async () => {
    const router = await newRouter();
    const before = router.stats();
    for (let i = 0; i < 50; i++) {
      const { id, gtid } = await writeRow();
      expect(gtid).toMatch(/^\d+-\d+-\d+$/);
      expect(await readRow(router, id, gtid)).toBe(true);
    }
    const after = router.stats();
    expect(delta(before, after, 'replica1') + delta(before, after, 'replica2')).toBeGreaterThan(40);
  });

  it('skips a replica whose SQL thread stopped and shows it not replicating', async () => {
    const router = await newRouter({ REPLICA_PROBE_MS: '200' });
    await stack.stopReplicaSqlThread(0);
    await router.probeNow();
    const [r1, r2] = router.health();
    expect(r1).toMatchObject({ name: 'replica1', ok: false, replicating: false, lagSeconds: null });
    expect(r1?.error).toMatch(/SQL thread/);
    expect(r2).toMatchObject({ ok: true, replicating: true });

    const before = router.stats();
    for (let i = 0; i < 10; i++) {
      const { id, gtid } = await writeRow();
      expect(await readRow(router, id, gtid)).toBe(true);
    }
    const after = router.stats();
    expect(delta(before, after, 'replica1')).toBe(0);
    expect(delta(before, after, 'replica2')).toBe(10);

    // Every node's /api/health (on its own port: not public through nginx) shows it too.
    await eventually(async () => {
      const reports = await Promise.all(
        stack.ports.nodes.map(async (port) => {
          const res = await fetch(`http://127.0.0.1:${port}/api/health`);
          return (await res.json()) as HealthReport;
        }),
      );
      return reports.every(
        (r) => r.replicas[0]?.replicating === false && r.replicas[1]?.replicating === true,
      );
    });

    await stack.startReplicaSqlThread(0);
    await eventually(async () => {
      await router.probeNow();
      return router.health().every((h) => h.ok);
    });
  });

  it('falls back to the other replica when one times out on the GTID before the probe notices', async () => {
    const router = await newRouter({ REPLICA_PROBE_MS: '600000', GTID_WAIT_TIMEOUT_MS: '200' });
    await stack.stopReplicaSqlThread(0);
    expect(router.health().every((h) => h.ok)).toBe(true); // not probed since
    const before = router.stats();
    for (let i = 0; i < 6; i++) {
      const { id, gtid } = await writeRow();
      expect(await readRow(router, id, gtid)).toBe(true);
    }
    const after = router.stats();
    expect(delta(before, after, 'replica1')).toBe(0);
    expect(delta(before, after, 'replica2')).toBe(6);
  });

  it('falls back to the master when no replica is replicating', async () => {
    const router = await newRouter();
    await stack.stopReplicaSqlThread(0);
    await stack.stopReplicaSqlThread(1);
    await router.probeNow();
    expect(router.health().some((h) => h.ok)).toBe(false);
    const before = router.stats();
    const { id, gtid } = await writeRow();
    expect(await readRow(router, id, gtid)).toBe(true);
    expect(await readRow(router, id)).toBe(true);
    expect(delta(before, router.stats(), 'master')).toBe(2);
  });
});
