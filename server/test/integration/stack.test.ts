// The topology itself (issue 2): health of every dependency, sticky Socket.IO routing through
// nginx, GTID replication, and recovery from failures. Read-only checks use the run's shared
// stack; the destructive ones (stopped replica, killed node, reset, down) start their own.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { getStack, startStack, type TestStack } from '../support';
import { repoRoot } from '../support/stack';
import { sleep, until } from '../support/until';

// Per-project testTimeout in jest.config.js is not applied by Jest 30; set it here.
jest.setTimeout(180000);

interface ReplicaHealth {
  name?: string;
  ok: boolean;
  replicating?: boolean;
  lagSeconds?: number | null;
}
interface Health {
  node: string;
  master: { ok: boolean };
  replicas: ReplicaHealth[];
  redis: { ok: boolean };
}

const cid = () => randomBytes(8).toString('hex');

/** /api/health of node `i`, on its own port: nginx keeps it from the public (404). */
async function health(stack: TestStack, i = 0): Promise<Health> {
  const res = await fetch(`http://127.0.0.1:${stack.ports.nodes[i]}/api/health`);
  return (await res.json()) as Health;
}

/** The node that answers an engine.io polling handshake for this cid (X-Served-By). */
async function handshakeNode(stack: TestStack, id: string): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/socket.io/?EIO=4&transport=polling&cid=${id}`);
  await res.text();
  if (res.status !== 200) throw new Error(`handshake answered ${res.status}`);
  return res.headers.get('x-served-by') ?? '(none)';
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  }
  return out;
}

/** Writes a row on the master and returns the GTID of that commit. */
async function writeProbe(stack: TestStack, value: string): Promise<string> {
  const rows = await stack.masterQuery(
    'CREATE DATABASE IF NOT EXISTS tb_probe; ' +
      'CREATE TABLE IF NOT EXISTS tb_probe.rows (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64)); ' +
      `INSERT INTO tb_probe.rows (v) VALUES ('${value}'); SELECT @@last_gtid AS gtid;`,
  );
  return rows[0]!.gtid!;
}

async function readProbeOnReplica(stack: TestStack, i: number, gtid: string, value: string) {
  const [wait] = await stack.replicaQuery(i, `SELECT MASTER_GTID_WAIT('${gtid}', 20) AS waited`);
  const [count] = await stack.replicaQuery(
    i,
    `SELECT COUNT(*) AS n FROM tb_probe.rows WHERE v = '${value}'`,
  );
  return [{ ...wait, ...count }];
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1' }, () => srv.close(() => resolve(true)));
  });
}

describe('the shared stack', () => {
  const stack = getStack();

  it('reports the master, both replicas replicating with their lag, and Redis in /api/health', async () => {
    const h = await until('both replicas replicating', 15000, async () => {
      const v = await health(stack);
      return v.replicas.every((r) => r.replicating) ? v : undefined;
    });
    expect(h.master.ok).toBe(true);
    expect(h.redis.ok).toBe(true);
    expect(h.replicas).toHaveLength(2);
    for (const r of h.replicas) {
      expect(r).toMatchObject({ ok: true, replicating: true });
      expect(typeof r.lagSeconds).toBe('number');
    }
  });

  it('spreads 300 handshakes with their own cid over all three nodes, none under 20%', async () => {
    const ids = Array.from({ length: 300 }, cid);
    const nodes = await inBatches(ids, 50, (id) => handshakeNode(stack, id));
    const counts = new Map<string, number>();
    for (const n of nodes) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['node-1', 'node-2', 'node-3']);
    for (const [node, n] of counts) {
      expect({ node, share: n / 300 >= 0.2 }).toEqual({ node, share: true });
    }
  });

  it('sends the same cid to the same node every time', async () => {
    for (const id of Array.from({ length: 20 }, cid)) {
      const seen = new Set(await Promise.all([1, 2, 3, 4, 5].map(() => handshakeNode(stack, id))));
      expect(seen.size).toBe(1);
    }
  });

  it('connects 300 Socket.IO clients from one process by polling, then upgrades all to WebSocket', async () => {
    const sockets: Socket[] = [];
    const errors: string[] = [];
    try {
      await Promise.all(
        Array.from({ length: 300 }, async () => {
          const s = io(stack.baseUrl, {
            forceNew: true,
            reconnection: false,
            transports: ['polling', 'websocket'],
            query: { cid: cid() },
          });
          sockets.push(s);
          s.on('connect_error', (e) => errors.push(e.message));
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no upgrade within 20 s')), 20000);
            const done = () => {
              clearTimeout(timer);
              resolve();
            };
            s.io.engine?.on('upgrade', done);
            s.on('connect', () => {
              if (s.io.engine.transport.name === 'websocket') done();
              else s.io.engine.on('upgrade', done);
            });
            s.on('connect_error', (e) => {
              clearTimeout(timer);
              reject(e);
            });
          });
        }),
      );
      expect(errors).toEqual([]);
      expect(sockets.filter((s) => s.io.engine.transport.name === 'websocket')).toHaveLength(300);
      expect(errors.filter((e) => /Session ID unknown/i.test(e))).toHaveLength(0);
    } finally {
      for (const s of sockets) s.close();
    }
  });

  it('reads a row written on the master back from each replica', async () => {
    const value = cid();
    const gtid = await writeProbe(stack, value);
    for (const i of [0, 1]) {
      expect(await readProbeOnReplica(stack, i, gtid, value)).toEqual([{ waited: '0', n: '1' }]);
    }
  });

  it('answers API errors from nginx itself as JSON (413 over 1 MB)', async () => {
    const res = await fetch(`${stack.baseUrl}/api/elections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ big: 'x'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('payload_too_large');
  });

  it('gives each request through nginx an X-Request-Id that nginx and the answering node both log', async () => {
    const res = await fetch(`${stack.baseUrl}/api/elections/by-code/NOPE00`);
    await res.text();
    const id = res.headers.get('x-request-id') ?? '';
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    // nginx sets its own id: one a client sends is not what the node sees.
    const forged = await fetch(`${stack.baseUrl}/api/elections/by-code/NOPE00`, {
      headers: { 'X-Request-Id': 'forged-by-client' },
    });
    await forged.text();
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const node = res.headers.get('x-served-by') ?? '';
    const nodeLog = path.join(stack.dir, 'logs', `tb-${node}.out.log`);
    const line = await until('the node log line', 10000, async () =>
      readFileSync(nodeLog, 'utf8')
        .split('\n')
        .find((l) => l.includes(`"reqId":"${id}"`)),
    );
    expect(JSON.parse(line)).toMatchObject({
      msg: 'request',
      method: 'GET',
      route: '/api/elections/by-code/:joinCode',
      status: 404,
    });
    expect(line).not.toContain('NOPE00');
    const accessLog = path.join(stack.dir, 'nginx', 'logs', 'access.log');
    await until(
      'the nginx access log line',
      10000,
      async () => readFileSync(accessLog, 'utf8').includes(`rid=${id}`) || undefined,
    );
  });

  it('serves the built client at / with a fallback to index.html for client routes', async () => {
    for (const url of [`${stack.baseUrl}/`, `${stack.baseUrl}/vote/ABC123`]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<div id="root">|<!doctype html>/i);
    }
    const client = await fetch(`http://127.0.0.1:${stack.ports.client}/admin`);
    expect(client.status).toBe(200);
  });
});

describe('failures and lifecycle (a stack of its own)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  }, 240000);
  afterAll(async () => {
    // Already stopped by the last test unless it failed earlier.
    if (stack) await stack.stop().catch(() => {});
  }, 120000);

  it('goes on reading with one replica stopped, shows it down, and catches it up when started', async () => {
    await stack.stopReplica(0);
    const h = await until('replica1 reported down', 15000, async () => {
      const v = await health(stack);
      return v.replicas[0]?.ok === false ? v : undefined;
    });
    expect(h.replicas[1]).toMatchObject({ ok: true, replicating: true });

    // Reads go on: the other replica answers, and the app's replica reads keep working.
    const value = cid();
    const gtid = await writeProbe(stack, value);
    expect(await readProbeOnReplica(stack, 1, gtid, value)).toEqual([{ waited: '0', n: '1' }]);
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`http://127.0.0.1:${stack.ports.nodes[i % 3]}/api/health`);
      expect(res.status).toBe(200);
      await res.text();
    }

    await stack.startReplica(0);
    expect(await readProbeOnReplica(stack, 0, gtid, value)).toEqual([{ waited: '0', n: '1' }]);
    await until('replica1 replicating again', 15000, async () => {
      const v = await health(stack);
      return v.replicas[0]?.replicating ? v : undefined;
    });
  });

  it('brings a kill -9ed node back within 10 s while nginx routes around it', async () => {
    const nodePort = stack.ports.nodes[1]!;
    const before = await stack.nodePid(1);
    const t0 = Date.now();
    await stack.killNode(1);
    const statuses: number[] = [];
    let backAfter = 0;
    while (Date.now() - t0 < 12000) {
      const res = await fetch(`${stack.baseUrl}/readyz`).catch(() => undefined);
      statuses.push(res?.status ?? 0);
      await res?.text();
      if (!backAfter) {
        const direct = await fetch(`http://127.0.0.1:${nodePort}/healthz`).catch(() => undefined);
        if (direct?.ok) backAfter = Date.now() - t0;
      }
      if (backAfter && statuses.length > 20) break;
      await sleep(50);
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(backAfter).toBeGreaterThan(0);
    expect(backAfter).toBeLessThan(10000);
    expect(await stack.nodePid(1)).not.toBe(before);
  });

  it('keeps the data through ./reset.sh (nodes and nginx restarted)', async () => {
    const value = cid();
    await writeProbe(stack, value);
    const pidsBefore = await Promise.all([0, 1, 2].map((i) => stack.nodePid(i)));
    await new Promise<void>((resolve, reject) =>
      execFile(
        path.join(repoRoot, 'reset.sh'),
        ['--no-build'],
        { env: { ...process.env, ...stack.env }, cwd: repoRoot },
        (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(),
      ),
    );
    const pidsAfter = await Promise.all([0, 1, 2].map((i) => stack.nodePid(i)));
    pidsAfter.forEach((p, i) => expect(p).not.toBe(pidsBefore[i]));
    expect(
      await stack.masterQuery(`SELECT COUNT(*) AS n FROM tb_probe.rows WHERE v = '${value}'`),
    ).toEqual([{ n: '1' }]);
    const users = await stack.masterQuery('SELECT COUNT(*) AS n FROM tallyboard.users');
    expect(Number(users[0]!.n)).toBeGreaterThan(0);
    expect((await fetch(`${stack.baseUrl}/readyz`)).status).toBe(200);
    expect((await health(stack)).master.ok).toBe(true);
  });

  it('rotates the node, nginx, MariaDB and Redis logs by size, and nginx goes on logging', async () => {
    const accessLog = path.join(stack.dir, 'nginx', 'logs', 'access.log');
    await fetch(`${stack.baseUrl}/healthz`).then((r) => r.text());
    await until('an access log line', 10000, async () =>
      existsSync(accessLog) && statSync(accessLog).size > 0 ? true : undefined,
    );
    // One byte is the limit: every log that has anything in it rotates.
    await stack.run('rotate-logs', { TB_LOG_MAX_SIZE: '1' });
    for (const rotated of [
      'logs/tb-node-1.out.log.1',
      'nginx/logs/access.log.1',
      'mariadb/master/error.log.1',
      'redis/redis.log.1',
    ]) {
      expect([rotated, existsSync(path.join(stack.dir, rotated))]).toEqual([rotated, true]);
    }
    // nginx reopened its file (USR1): a new request lands in the new access.log.
    await fetch(`${stack.baseUrl}/healthz`).then((r) => r.text());
    await until('a line in the new access log', 10000, async () =>
      existsSync(accessLog) && readFileSync(accessLog, 'utf8').includes('/healthz')
        ? true
        : undefined,
    );
    // The rotator itself runs under pm2 beside the nodes, for this stack's folder.
    const rotators = await new Promise<string>((resolve) =>
      execFile('pgrep', ['-f', 'logrotate.sh --every'], (_err, stdout) => resolve(stdout)),
    );
    const ours = rotators
      .split('\n')
      .filter(Boolean)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/environ`, 'utf8')
            .split('\0')
            .includes(`TB_STACK_DIR=${stack.dir}`);
        } catch {
          return false;
        }
      });
    expect(ours).toHaveLength(1);
  });

  it('leaves no process and no port behind after down', async () => {
    const { dir, ports } = stack;
    await stack.run('down');
    const all = [
      ports.nginx,
      ports.client,
      ...ports.nodes,
      ports.master,
      ...ports.replicas,
      ports.redis,
    ];
    const busy: number[] = [];
    for (const p of all) if (!(await portFree(p))) busy.push(p);
    expect(busy).toEqual([]);
    const procs = await new Promise<string>((resolve) =>
      execFile('pgrep', ['-af', dir], (_err, stdout) => resolve(String(stdout))),
    );
    expect(procs.split('\n').filter((l) => l && !l.includes('pgrep'))).toEqual([]);
    await stack.stop();
  });
});
