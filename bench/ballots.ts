// Ballot benchmark: acknowledged ballots per second through nginx with 64 concurrent clients, and
// ack latency at a fixed 1,000 ballots/s. A ballot is acknowledged (201) only after its batch
// committed on the master, so this measures durable writes.
//
//   npx tsx bench/ballots.ts --url http://127.0.0.1:8080   # a running stack (reads .env)
//   npx tsx bench/ballots.ts --stack handle.json           # a test stack (startStack handle)
//   npx tsx bench/ballots.ts --own-stack                   # group commit vs single-insert baseline
//   … --only throughput | --only rate                      # one phase (after the warm-up)
//
// With --url, voter tokens are signed locally with SESSION_SECRET (from the environment or .env)
// so the per-address token limit is not what is measured; the stack must allow the ballot rate
// from one address (RATE_BALLOTS_PER_IP_PER_MIN, e.g. 1000000). --own-stack starts throwaway
// stacks (deploy/local/stack.sh) with those limits: one with the configured group commit, one
// with BALLOT_BATCH_MS=0 BALLOT_BATCH_MAX=1 (every ballot its own transaction).
import http from 'node:http';
import os from 'node:os';
import { issueVoterToken } from '../server/src/accounts/tokens';
import { startStack } from '../server/test/support/stack';
import { arg, flag, openElection, target, type BenchElection, type Target } from './target';

const CLIENTS = Number(arg('clients', '64'));
const SECONDS = Number(arg('seconds', '10'));
const RATE = Number(arg('rate', '1000'));
/** `throughput` or `rate` runs only that phase (after the warm-up). */
const ONLY = arg('only');

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
}

// node:http with a keep-alive agent: several times cheaper per request than fetch, so the
// load generator (on the same two cores) takes less of the machine it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, token: string, body: string): Promise<number> {
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
  ).catch(() => 0);
  return [status, performance.now() - t0];
}

function summarise(results: Array<[number, number]>, seconds: number): Run {
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
async function throughput(t: Target): Promise<Run> {
  const e = await openElection(t, `bench ${Date.now()}`, 4);
  const results: Array<[number, number]> = [];
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) results.push(await castOne(t, e, i++));
    }),
  );
  return summarise(results, (performance.now() - start) / 1000);
}

/** Open loop: one ballot every 1/RATE s whatever the answers, latency of each ack. */
async function fixedRate(t: Target): Promise<Run> {
  const e = await openElection(t, `bench ${Date.now()}`, 4);
  const total = RATE * SECONDS;
  const pending: Array<Promise<[number, number]>> = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(castOne(t, e, i));
  }
  const results = await Promise.all(pending);
  return summarise(results, (performance.now() - start) / 1000);
}

async function measure(label: string, t: Target): Promise<void> {
  // Warm up connections, JIT and caches.
  await throughput({ ...t }).catch(() => undefined);
  const tp = ONLY === 'rate' ? undefined : await throughput(t);
  const fr = ONLY === 'throughput' ? undefined : await fixedRate(t);
  console.log(
    JSON.stringify({
      label,
      clients: CLIENTS,
      seconds: SECONDS,
      throughput: tp,
      [`at${RATE}PerSecond`]: fr,
    }),
  );
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
    const configs: Array<[string, Record<string, string>]> = [
      ['group commit (defaults)', {}],
      [
        'single insert (BALLOT_BATCH_MS=0 BALLOT_BATCH_MAX=1)',
        { BALLOT_BATCH_MS: '0', BALLOT_BATCH_MAX: '1' },
      ],
    ];
    for (const [label, env] of configs) {
      const stack = await startStack({ env: { ...limits, ...env } });
      try {
        await measure(label, {
          url: stack.baseUrl,
          admin: stack.admin,
          secret: stack.nodeEnv.SESSION_SECRET as string,
        });
      } finally {
        await stack.stop();
      }
    }
    return;
  }
  await measure(arg('label', 'stack') as string, target());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
