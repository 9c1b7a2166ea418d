// Starts and stops the bare reference cluster (loadtest/reference/): its own Redis, three
// Socket.IO nodes and its own nginx with 4 workers, on free ports under a fresh /tmp folder, so
// `--compare-reference` can put the same load on it and on Tallyboard in one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { requestJson } from './http';
import { withChildren, type ProcessGroups } from './rss';

const referenceDir = path.resolve(__dirname, '../reference');

export interface Reference {
  url: string;
  joinCode: string;
  processes(): ProcessGroups;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  what: string,
  up: () => Promise<boolean>,
  child?: ChildProcess,
): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode})`);
    if (await up().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not start within 10 s`);
}

export async function startReference(): Promise<Reference> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-reference-'));
  const children: ChildProcess[] = [];
  // If this process dies without stop() (an uncaught error), its cluster must not outlive it.
  // SIGTERM, not SIGKILL: nginx's master then takes its workers down with it.
  const orphans = (): void => {
    children.forEach((c) => c.exitCode === null && c.kill('SIGTERM'));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', orphans);
  const stop = async (): Promise<void> => {
    process.off('exit', orphans);
    for (const c of [...children].reverse()) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGTERM');
        await Promise.race([new Promise((r) => c.once('exit', r)), sleep(3000)]);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [nginxPort, redisPort, ...nodePorts] = await Promise.all(
      Array.from({ length: 5 }, () => freePort()),
    );
    const log = (name: string): number => openSync(path.join(dir, `${name}.log`), 'a');
    const redis = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(redisPort),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: ['ignore', log('redis'), log('redis')] },
    );
    children.push(redis);
    await waitFor('redis', () => connects(redisPort!), redis);
    const secret = randomBytes(16).toString('hex');
    for (const [i, port] of nodePorts.entries()) {
      const node = spawn(
        process.execPath,
        [...process.execArgv, path.join(referenceDir, 'node.ts')],
        {
          env: {
            ...process.env,
            REF_PORT: String(port),
            REF_NODE_ID: `ref-${i + 1}`,
            REF_SECRET: secret,
            REF_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
            REF_PUBLISHER: i === 0 ? '1' : '0',
          },
          stdio: ['ignore', log(`node-${i + 1}`), log(`node-${i + 1}`)],
        },
      );
      children.push(node);
    }
    for (const [i, port] of nodePorts.entries()) {
      await waitFor(`reference node ${i + 1}`, () => connects(port), children[i + 1]);
    }
    mkdirSync(path.join(dir, 'tmp'), { recursive: true });
    const conf = readFileSync(path.join(referenceDir, 'nginx.conf.template'), 'utf8')
      .replaceAll('@DIR@', dir)
      .replaceAll('@PORT@', String(nginxPort))
      .replaceAll('@UPSTREAMS@', nodePorts.map((p) => `    server 127.0.0.1:${p};`).join('\n'));
    // As root, nginx's workers would run as nobody and could not use the temp folders.
    const user = process.getuid?.() === 0 ? 'user root;\n' : '';
    writeFileSync(path.join(dir, 'nginx.conf'), user + conf);
    const nginx = spawn(
      'nginx',
      ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
      { stdio: ['ignore', log('nginx'), log('nginx')] },
    );
    children.push(nginx);
    const url = `http://127.0.0.1:${nginxPort}`;
    await waitFor(
      'reference nginx',
      async () => (await requestJson('POST', `${url}/api/voters`)).status === 201,
      nginx,
    );
    return {
      url,
      joinCode: 'REFLOAD',
      processes: () => ({
        nodes: children.slice(1, 4).map((c) => c.pid ?? 0),
        nginx: withChildren([nginx.pid ?? 0]),
        redis: [redis.pid ?? 0],
      }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
