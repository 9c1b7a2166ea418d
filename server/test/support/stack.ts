// Test harness: starts the SAME deploy/local/stack.sh the operator uses, on free random ports, in
// a temporary folder with fresh secrets, and hands tests a typed handle with fault-injection
// helpers (kill a node, stop a replica or its SQL thread, restart Redis) and root SQL access.
import { execFile, type ExecFileOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const stackScript = path.join(repoRoot, 'deploy/local/stack.sh');

export interface StackPorts {
  nginx: number;
  /** nginx's HTTPS listener (`TB_TLS=1`, a self-signed certificate in `<dir>/tls/cert.pem`). */
  tls: number;
  client: number;
  nodes: number[];
  master: number;
  replicas: number[];
  redis: number;
}

/** Everything needed to reach a running stack; JSON-serialisable (global setup → test files). */
export interface StackHandle {
  dir: string;
  /** The environment stack.sh runs with (ports, secrets, TB_ENV_FILE, TB_STACK_DIR). */
  env: Record<string, string>;
  /** What a node sees: DB_MASTER, DB_REPLICAS, DB_USER, DB_PASSWORD, DB_NAME, REDIS_URL, … */
  nodeEnv: Record<string, string>;
  ports: StackPorts;
  baseUrl: string;
  admin: { email: string; password: string };
}

export type Row = Record<string, string | null>;

/** A running stack. Node and replica indexes are 0-based (`killNode(0)` is node-1). */
export interface TestStack extends StackHandle {
  /**
   * `stack.sh down`, then removes the folder unless TB_KEEP_STACK=1 (or down failed). Returns
   * what the nodes logged that no test should cause (`nodeFaults`), read before the folder goes.
   */
  stop(): Promise<string[]>;
  /** `stack.sh <cmd>` with this stack's environment (and `extraEnv` over it). */
  run(
    cmd: 'up' | 'down' | 'status' | 'restart-app' | 'rotate-logs',
    extraEnv?: Record<string, string>,
  ): Promise<string>;
  /** `stack.sh ARGS…` (any subcommand, e.g. `['promote', 'replica1']`); stdout and stderr. */
  exec(args: string[], extraEnv?: Record<string, string>): Promise<string>;
  /** The pid of a MariaDB instance (`master`, `replica1`, …) from its pid file. */
  dbPid(name: string): number;
  /** SQL as root on any instance by name (`master`, `replica1`, …), whatever its role now. */
  dbQuery(name: string, sql: string): Promise<Row[]>;
  /** The pid pm2 reports for node i, or 0 when it has none (restarting). */
  nodePid(i: number): Promise<number>;
  /** kill -9 of node i's process; pm2 brings it back. Returns the killed pid. */
  killNode(i: number): Promise<number>;
  /** Stops replica i's mariadbd (clean shutdown) and waits until it is gone. */
  stopReplica(i: number): Promise<void>;
  /** Starts whatever is down (`stack.sh up`), replica i included, and waits until it caught up. */
  startReplica(i: number): Promise<void>;
  stopReplicaSqlThread(i: number): Promise<void>;
  startReplicaSqlThread(i: number): Promise<void>;
  /**
   * SQL as root through the CURRENT master's own socket (after a promote, the promoted replica):
   * the last result set's rows, values as strings.
   */
  masterQuery(sql: string): Promise<Row[]>;
  replicaQuery(i: number, sql: string): Promise<Row[]>;
  /** redis-cli against the stack's Redis with its password; stdout (ignores reply errors). */
  redisCli(...args: string[]): Promise<string>;
  /** Shuts Redis down (nothing is persisted) and starts it again through `stack.sh up`. */
  restartRedis(): Promise<void>;
}

function run(
  file: string,
  args: string[],
  opts: ExecFileOptions & { input?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', ...opts },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as Error & { stdout?: string; stderr?: string };
          e.message = `${file} ${args.join(' ')} failed: ${e.message}\n${String(stdout)}\n${String(stderr)}`;
          reject(e);
        } else resolve({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** `count` distinct ports, free on every interface, below the ephemeral range (32768+). */
export async function freePorts(count: number): Promise<number[]> {
  const chosen = new Set<number>();
  for (let tries = 0; chosen.size < count && tries < 1000; tries++) {
    const p = 20000 + Math.floor(Math.random() * 12000);
    if (chosen.has(p)) continue;
    if ((await portIsFree(p, '0.0.0.0')) && (await portIsFree(p, '127.0.0.1'))) chosen.add(p);
  }
  if (chosen.size < count) throw new Error(`could not find ${count} free ports`);
  return [...chosen];
}

const secret = (bytes = 24) => randomBytes(bytes).toString('hex');

const xmlText = (v: string) =>
  v
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');

/**
 * Parses `mariadb --xml` output into the rows of its LAST result set (a script may run several
 * statements in one session, e.g. an INSERT then `SELECT @@last_gtid`). NULL becomes null.
 */
export function parseXmlRows(out: string): Row[] {
  const sets = out.split('<resultset ').slice(1);
  const last = sets[sets.length - 1];
  if (!last) return [];
  return [...last.matchAll(/<row>([\s\S]*?)<\/row>/g)].map((m) => {
    const row: Row = {};
    for (const f of m[1]!.matchAll(
      /<field name="([^"]*)"(?: xsi:nil="true" \/>|>([\s\S]*?)<\/field>)/g,
    )) {
      row[xmlText(f[1]!)] = f[2] === undefined ? null : xmlText(f[2]);
    }
    return row;
  });
}

/** Rebuilds the full helper object around a handle (used in test files from the JSON file). */
export function attachStack(h: StackHandle): TestStack {
  const env = { ...process.env, ...h.env };
  const sock = (name: string) => path.join(h.dir, 'mariadb', name, 'mariadb.sock');
  const replicaName = (i: number) => {
    if (i < 0 || i >= h.ports.replicas.length) throw new Error(`no replica ${i}`);
    return `replica${i + 1}`;
  };
  const query = async (name: string, sql: string): Promise<Row[]> => {
    const { stdout } = await run(
      'mariadb',
      ['--no-defaults', '--protocol=socket', `--socket=${sock(name)}`, '-uroot', '--xml'],
      { input: sql },
    );
    return parseXmlRows(stdout);
  };
  const pm2 = path.join(repoRoot, 'node_modules/.bin/pm2');
  const nodePid = async (i: number): Promise<number> => {
    // Any pm2 command starts a daemon when none runs (after down): ask only a live one.
    try {
      process.kill(Number(readFileSync(path.join(h.dir, 'pm2', 'pm2.pid'), 'utf8')), 0);
    } catch {
      return 0;
    }
    const { stdout } = await run(pm2, ['pid', `tb-node-${i + 1}`], {
      env: { ...env, PM2_HOME: path.join(h.dir, 'pm2') },
    });
    return Number(stdout.trim()) || 0;
  };
  const stack: TestStack = {
    ...h,
    async run(cmd, extraEnv = {}) {
      return stack.exec([cmd], extraEnv);
    },
    async exec(args, extraEnv = {}) {
      const { stdout, stderr } = await run(stackScript, args, {
        env: { ...env, ...extraEnv },
        cwd: repoRoot,
      });
      return stdout + stderr;
    },
    dbPid: (name) =>
      Number(readFileSync(path.join(h.dir, 'mariadb', name, 'mariadbd.pid'), 'utf8').trim()),
    dbQuery: (name, sql) => query(name, sql),
    async stop() {
      // A failed down keeps the folder: its pid files are how the leftovers can be found.
      await stack.run('down');
      const faults = nodeFaults(h.dir);
      if (process.env.TB_KEEP_STACK !== '1') rmSync(h.dir, { recursive: true, force: true });
      return faults;
    },
    nodePid,
    async killNode(i) {
      const pid = await nodePid(i);
      if (!pid) throw new Error(`node ${i + 1} has no process to kill`);
      process.kill(pid, 'SIGKILL');
      return pid;
    },
    async stopReplica(i) {
      const pidFile = path.join(h.dir, 'mariadb', replicaName(i), 'mariadbd.pid');
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      process.kill(pid, 'SIGTERM');
      for (let t = 0; t < 600; t++) {
        try {
          process.kill(pid, 0);
        } catch {
          return;
        }
        await sleep(100);
      }
      throw new Error(`replica ${i + 1} (pid ${pid}) did not stop within 60 s`);
    },
    async startReplica(i) {
      replicaName(i);
      await stack.run('up');
    },
    async stopReplicaSqlThread(i) {
      await query(replicaName(i), 'STOP SLAVE SQL_THREAD');
    },
    async startReplicaSqlThread(i) {
      await query(replicaName(i), 'START SLAVE SQL_THREAD');
    },
    // The instance that is the master now: `master` until a promote wrote another name.
    masterQuery: (sql) => {
      const role = path.join(h.dir, 'mariadb', 'current-master');
      return query(existsSync(role) ? readFileSync(role, 'utf8').trim() : 'master', sql);
    },
    replicaQuery: (i, sql) => query(replicaName(i), sql),
    async redisCli(...args) {
      const { stdout } = await run(
        'redis-cli',
        ['--no-auth-warning', '-p', String(h.ports.redis), ...args],
        { env: { ...process.env, REDISCLI_AUTH: h.env.REDIS_PASSWORD ?? '' } },
      );
      return stdout;
    },
    async restartRedis() {
      await stack.redisCli('shutdown', 'nosave').catch(() => {});
      for (let t = 0; t < 100; t++) {
        const free = await portIsFree(h.ports.redis, '127.0.0.1');
        if (free) break;
        await sleep(100);
      }
      await stack.run('up');
    },
  };
  return stack;
}

export interface StartOptions {
  /** Extra environment for the stack and its nodes (e.g. RATE_* limits, TB_NODE_SCRIPT). */
  env?: Record<string, string>;
  /**
   * The stack.sh command that brings it up: `['up']`, or e.g. `['restore', FILE]` for a stack
   * whose data comes from a backup. @default ['up']
   */
  command?: string[];
}

/** Starts a complete stack on free ports under a fresh /tmp folder. Needs the build to exist. */
export async function startStack(opts: StartOptions = {}): Promise<TestStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-stack-'));
  const [nginx, client, n1, n2, n3, master, r1, r2, redis, tls] = (await freePorts(10)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const admin = { email: `admin-${secret(4)}@tallyboard.test`, password: secret(12) };
  const secrets: Record<string, string> = {
    NODE_ENV: 'production',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    DB_PASSWORD: secret(),
    DB_MIGRATE_PASSWORD: secret(),
    REPL_PASSWORD: secret(),
    SESSION_SECRET: secret(32),
    REDIS_PASSWORD: secret(),
  };
  const envFile = path.join(dir, '.env');
  writeFileSync(
    envFile,
    Object.entries(secrets)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
    { mode: 0o600 },
  );
  const env: Record<string, string> = {
    ...secrets,
    ...opts.env,
    TB_ENV_FILE: envFile,
    TB_STACK_DIR: dir,
    TB_NGINX_PORT: String(nginx),
    TB_CLIENT_PORT: String(client),
    TB_TLS: '1',
    TB_TLS_PORT: String(tls),
    TB_NODE_PORTS: `${n1} ${n2} ${n3}`,
    TB_MASTER_PORT: String(master),
    TB_REPLICA1_PORT: String(r1),
    TB_REPLICA2_PORT: String(r2),
    TB_REDIS_PORT: String(redis),
  };
  const handle: StackHandle = {
    dir,
    env,
    nodeEnv: {
      NODE_ENV: secrets.NODE_ENV!,
      DB_FLAVOR: 'mariadb',
      DB_MASTER: `127.0.0.1:${master}`,
      DB_REPLICAS: `127.0.0.1:${r1},127.0.0.1:${r2}`,
      DB_NAME: 'tallyboard',
      DB_USER: 'tallyboard',
      DB_PASSWORD: secrets.DB_PASSWORD!,
      REDIS_URL: `redis://:${secrets.REDIS_PASSWORD}@127.0.0.1:${redis}`,
      SESSION_SECRET: secrets.SESSION_SECRET!,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    },
    ports: { nginx, tls, client, nodes: [n1, n2, n3], master, replicas: [r1, r2], redis },
    baseUrl: `http://127.0.0.1:${nginx}`,
    admin,
  };
  const stack = attachStack(handle);
  try {
    await stack.exec(opts.command ?? ['up']);
  } catch (err) {
    await stack.stop().catch(() => {});
    throw err;
  }
  return stack;
}

/** Writes a handle for other processes (global setup → test files). */
export function writeHandle(file: string, stack: StackHandle): void {
  const h: StackHandle = {
    dir: stack.dir,
    env: stack.env,
    nodeEnv: stack.nodeEnv,
    ports: stack.ports,
    baseUrl: stack.baseUrl,
    admin: stack.admin,
  };
  writeFileSync(file, JSON.stringify(h, null, 2), { mode: 0o600 });
}

export function readHandle(file: string): StackHandle {
  return JSON.parse(readFileSync(file, 'utf8')) as StackHandle;
}

/** The messages main.ts logs for an unhandled rejection and an uncaught exception. */
const FAULTS = ['unhandled rejection', 'uncaught exception'];

/**
 * What the nodes logged that no test should ever cause: unhandled rejections and uncaught
 * exceptions (pino lines at level error or fatal with those messages), from the stack's logs.
 */
export function nodeFaults(dir: string): string[] {
  const logs = path.join(dir, 'logs');
  if (!existsSync(logs)) return [];
  const faults: string[] = [];
  for (const file of readdirSync(logs).filter((f) => /^tb-node-\d+\.(out|err)\.log$/.test(f))) {
    for (const line of readFileSync(path.join(logs, file), 'utf8').split('\n')) {
      if (!FAULTS.some((f) => line.includes(f))) continue;
      let entry: { level?: number; msg?: string; err?: { message?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue; // not a pino line (a stack trace pm2 captured from stderr): the JSON one counts
      }
      if ((entry.level ?? 0) >= 50 && FAULTS.includes(entry.msg ?? '')) {
        faults.push(`${file}: ${entry.msg}: ${entry.err?.message ?? ''}`);
      }
    }
  }
  return faults;
}
