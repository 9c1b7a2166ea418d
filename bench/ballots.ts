// Ballot benchmark: acknowledged ballots per second through nginx with 64 concurrent clients, and
// ack latency at a fixed 1,000 ballots/s. A ballot is acknowledged (201) only after its batch
// committed on the master, so this measures durable writes. Every ballot carries a fresh
// Idempotency-Key, as the web client's do.
//
//   npx tsx bench/ballots.ts --url http://127.0.0.1:8080   # a running stack (reads .env)
//   npx tsx bench/ballots.ts --stack handle.json           # a test stack (startStack handle)
//   npx tsx bench/ballots.ts --own-stack                   # group commit, single-insert baseline
//                                                          # and the HTTP floor, side by side
//   … --configs group,single,floor,express-floor           # which ones (--own-stack; the
//                                                          # default leaves out express-floor)
//   … --only throughput | --only rate                      # one phase (after the warm-up)
//   … --cast socket [--voters 2000]                        # cast over Socket.IO (`ballot:cast`)
//                                                          # from voters connected beforehand
//                                                          # (bench/socket-cast.ts); default rest
//
// With --url, voter tokens are signed locally with SESSION_SECRET (from the environment or .env)
// so the per-address token limit is not what is measured; the stack must allow the ballot rate
// from one address (RATE_BALLOTS_PER_IP_PER_MIN, e.g. 1000000). --own-stack starts throwaway
// stacks (deploy/local/stack.sh) with those limits: one with the configured group commit, one
// with BALLOT_BATCH_MS=0 BALLOT_BATCH_MAX=1 (every ballot its own transaction).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { issueVoterToken } from '../server/src/accounts/tokens';
import { startStack, type TestStack } from '../server/test/support/stack';
import { cpuReport, sampleCpu, type CpuReport, type CpuSample } from './cpu';
import { connectVoters, socketCaster, type Cast } from './socket-cast';
import { arg, flag, openBenchElection, target, type BenchElection, type Target } from './target';

const CLIENTS = Number(arg('clients', '64'));
const SECONDS = Number(arg('seconds', '10'));
const RATE = Number(arg('rate', '1000'));
/** `throughput` or `rate` runs only that phase (after the warm-up). */
const ONLY = arg('only');
/** `rest` (POST …/ballots) or `socket` (`ballot:cast` on sockets connected before the phases). */
const CAST = arg('cast', 'rest') as 'rest' | 'socket';
const VOTERS = Number(arg('voters', '2000'));

const pct = (sorted: number[], p: number): number =>
  sorted.length
    ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number)
    : NaN;

interface Run {
  acked: number;
  errors: Record<string, number>;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU per component over the phase (local stacks on Linux). */
  cpu?: CpuReport;
}

/** What a run measures: a target, and how each phase casts (its own election or elections). */
interface Subject {
  t: Target;
  caster: () => Promise<Cast>;
  /** Lets go of what the subject holds (its sockets). */
  close?: () => void;
}

const restCaster =
  (t: Target, election: () => Promise<BenchElection>) => async (): Promise<Cast> => {
    const e = await election();
    return (i) => castOne(t, e, i);
  };

async function subject(t: Target): Promise<Subject> {
  const election = (): Promise<BenchElection> => openBenchElection(t, `bench ${Date.now()}`, 4);
  if (CAST === 'rest') return { t, caster: restCaster(t, election) };
  const sockets = await connectVoters(t, VOTERS);
  return {
    t,
    caster: () => Promise.resolve(socketCaster(sockets, election)),
    close: () => sockets.forEach((s) => s.close()),
  };
}

/** A target for a stack this benchmark started (`startStack`). */
const ownTarget = (stack: TestStack, secret: string): Target => ({
  url: stack.baseUrl,
  admin: stack.admin,
  secret,
  stack: { dir: stack.dir, redisPort: stack.ports.redis },
});

// node:http with a keep-alive agent: several times cheaper per request than fetch, so the
// load generator (on the same two cores) takes less of the machine it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, token: string, body: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
          'idempotency-key': key,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function castOne(t: Target, e: BenchElection, i: number): Promise<[number, number]> {
  const p = e.positions[0]!;
  const t0 = performance.now();
  const status = await post(
    `${t.url}/api/elections/${e.id}/ballots`,
    issueVoterToken(t.secret, 1),
    JSON.stringify({ selections: { [p.id]: [p.candidates[i % p.candidates.length]!.id] } }),
    randomUUID(), // as the web client does: every ballot carries an Idempotency-Key
  ).catch(() => 0);
  return [status, performance.now() - t0];
}

function summarise(results: Array<[number | string, number]>, seconds: number): Run {
  const errors: Record<string, number> = {};
  const lat: number[] = [];
  for (const [status, ms] of results) {
    if (status === 201) lat.push(ms);
    else errors[status] = (errors[status] ?? 0) + 1;
  }
  lat.sort((a, b) => a - b);
  return {
    acked: lat.length,
    errors,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(lat.length / seconds),
    p50: Number(pct(lat, 50).toFixed(1)),
    p99: Number(pct(lat, 99).toFixed(1)),
  };
}

/** Closed loop: CLIENTS clients, each casting its next ballot as soon as the last is acked. */
async function throughput(sub: Subject): Promise<Run> {
  const cast = await sub.caster();
  const results: Array<[number | string, number]> = [];
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  const cpu0 = sampleCpu(sub.t.stack);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) results.push(await cast(i++));
    }),
  );
  return withCpu(summarise(results, (performance.now() - start) / 1000), sub, cpu0);
}

/** Open loop: one ballot every 1/RATE s whatever the answers, latency of each ack. */
async function fixedRate(sub: Subject): Promise<Run> {
  const cast = await sub.caster();
  const total = RATE * SECONDS;
  const pending: Array<Promise<[number | string, number]>> = [];
  const cpu0 = sampleCpu(sub.t.stack);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(cast(i));
  }
  const results = await Promise.all(pending);
  return withCpu(summarise(results, (performance.now() - start) / 1000), sub, cpu0);
}

function withCpu(run: Run, sub: Subject, cpu0: CpuSample): Run {
  if (!sub.t.stack) return run;
  return { ...run, cpu: cpuReport(cpu0, sampleCpu(sub.t.stack), run.acked) };
}

async function measure(label: string, sub: Subject): Promise<void> {
  // Warm up connections, JIT and caches.
  await throughput(sub).catch(() => undefined);
  const tp = ONLY === 'rate' ? undefined : await throughput(sub);
  const fr = ONLY === 'throughput' ? undefined : await fixedRate(sub);
  sub.close?.();
  console.log(
    JSON.stringify({
      label,
      clients: CLIENTS,
      cast: CAST,
      seconds: SECONDS,
      throughput: tp,
      [`at${RATE}PerSecond`]: fr,
    }),
  );
}

/**
 * The HTTP floor: the stack's nodes stopped and three bare node:http servers on their ports,
 * behind the same nginx, driven by the same load generator. What 64 clients get when a "ballot"
 * costs nothing but HTTP: the ceiling for this machine whatever the application does.
 */
async function floor(stack: TestStack, label: string, server: string): Promise<void> {
  const env = { ...process.env, ...stack.env, PM2_HOME: path.join(stack.dir, 'pm2') };
  execFileSync(path.resolve(__dirname, '../node_modules/.bin/pm2'), ['stop', 'all'], {
    env,
    stdio: 'ignore',
  });
  const servers: ChildProcess[] = stack.ports.nodes.map((port) =>
    spawn(process.execPath, [path.join(__dirname, server), String(port)], {
      env: { ...process.env, TB_STACK_DIR: stack.dir },
      stdio: 'inherit',
    }),
  );
  try {
    for (const port of stack.ports.nodes) {
      for (let i = 0; ; i++) {
        const up = await fetch(`http://127.0.0.1:${port}/`).then(
          () => true,
          () => false,
        );
        if (up) break;
        if (i > 100) throw new Error(`bare server on ${port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const election: BenchElection = {
      id: 'floor',
      positions: [{ id: 'p', candidates: [{ id: 'a' }, { id: 'b' }] }],
    };
    const t = ownTarget(stack, 'floor');
    await measure(label, { t, caster: restCaster(t, () => Promise.resolve(election)) });
  } finally {
    servers.forEach((s) => s.kill());
  }
}

async function main(): Promise<void> {
  console.log(
    `# ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, node ${process.version}`,
  );
  if (flag('own-stack')) {
    const limits = {
      RATE_BALLOTS_PER_IP_PER_MIN: '100000000',
      RATE_BALLOTS_PER_VOTER_PER_MIN: '1000',
      LOG_LEVEL: 'warn',
    };
    const configs: Array<[string, string, Record<string, string>]> = [
      ['group', 'group commit (defaults)', {}],
      [
        'single',
        'single insert (BALLOT_BATCH_MS=0 BALLOT_BATCH_MAX=1)',
        { BALLOT_BATCH_MS: '0', BALLOT_BATCH_MAX: '1' },
      ],
      ['floor', 'HTTP floor: bare node:http servers behind the same nginx', {}],
      ['express-floor', 'Express floor: Express with the app layers, canned 201, same nginx', {}],
    ];
    const wanted = (arg('configs', 'group,single,floor') as string).split(',');
    for (const [name, label, env] of configs.filter(([n]) => wanted.includes(n))) {
      const stack = await startStack({ env: { ...limits, ...env } });
      try {
        if (name === 'floor') await floor(stack, label, 'bare-node.mjs');
        else if (name === 'express-floor') await floor(stack, label, 'express-node.mjs');
        else await measure(label, await subject(ownTarget(stack, stack.nodeEnv.SESSION_SECRET!)));
      } finally {
        await stack.stop();
      }
    }
    return;
  }
  await measure(arg('label', 'stack') as string, await subject(target()));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
