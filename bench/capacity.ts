// Capacity: how many sockets a deployment holds through its nginx, for how long, at what memory
// per connection. Ramps N sockets (each joins an election, as a viewer's page does), holds them
// for S seconds answering every ping, and reports held/failed/dropped sockets, RSS and CPU per
// component (nodes, nginx, Redis, the generator's own workers) and RSS per held connection. With
// --reference it then puts the same load on the bare Socket.IO reference cluster
// (loadtest/reference) and prints both side by side.
//
//   bench/capacity.sh --own-stack --connections 40000 --ramp 1000 --hold 300 --reference
//   bench/capacity.sh --stack /tmp/tb-test-stack.json --connections 5000 --hold 30
//
// Options: --connections N (5000) · --ramp sockets/s (1000) · --hold S (300) · --workers W (one per
// 10,000 sockets) · --sources a,b (one loopback address per 6,000 sockets: 127.0.0.1, .2, …) ·
// --own-stack (a fresh stack, stopped at the end; --env K=V for it, repeatable) · --reference
// (--reference-hold S, default --hold) · --only-reference · --json FILE. Needs the build (npm run build) for --own-stack.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { startStack, type TestStack } from '../server/test/support';
import { runWorker, type CapacityCounts, type CapacityPlan } from './capacity-worker';
import { cpuReport, type CpuSample } from './cpu';
import { startReference } from '../loadtest/src/reference';
import { processProbe, stackProbe, type Probe } from './capacity-probe';
import { arg, flag, openBenchElection, target } from './target';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const stamp = (): string => new Date().toISOString().slice(11, 19);

interface Options {
  connections: number;
  ramp: number;
  holdS: number;
  workers: number;
  sources: string[];
}

export interface CapacityResult {
  label: string;
  attempted: number;
  heldAfterRamp: number;
  heldAtEnd: number;
  droppedDuringHold: number;
  failed: Record<string, number>;
  rampSeconds: number;
  holdSeconds: number;
  pingsAnswered: number;
  /** Request to join ack, ms (the slowest worker's percentiles). */
  joinMs: { p50: number; p99: number; max: number };
  /** The slowest worker's medians of the steps of a join, ms. */
  stepsMs: { upgrade: number; connect: number; join: number };
  /** MB per component before the ramp, after it, and at the end of the hold. */
  rssMb: {
    before: Record<string, number>;
    afterRamp: Record<string, number>;
    end: Record<string, number>;
  };
  /** KB of RSS per held connection (end of hold minus before), per component. */
  kbPerConnection: Record<string, number>;
  /** Per component after the ramp: lowest open-file limit, most descriptors open in one process. */
  files: Record<string, { limit: number; open: number }>;
  /** Cores used per component during the ramp and during the hold. */
  cores: { ramp: Record<string, number>; hold: Record<string, number> };
}

function options(): Options {
  const connections = Number(arg('connections', '5000'));
  // bind() to a source address with port 0 takes a port from half of the ephemeral range and the
  // kernel searches it: past ~14,000 sockets on one address a ramp stalls in kernel time (seen at
  // 70-90% system CPU). 6,000 per address keeps every search short.
  const perSource = 6_000;
  const sources =
    arg('sources')?.split(',') ??
    Array.from({ length: Math.ceil(connections / perSource) }, (_, i) => `127.0.0.${i + 1}`);
  return {
    connections,
    ramp: Number(arg('ramp', '1000')),
    holdS: Number(arg('hold', '300')),
    workers: Number(arg('workers', String(Math.max(1, Math.ceil(connections / 10_000))))),
    sources,
  };
}

const sum = (counts: CapacityCounts[], k: 'attempted' | 'held' | 'dropped' | 'pings'): number =>
  counts.reduce((s, c) => s + c[k], 0);
const failures = (counts: CapacityCounts[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const c of counts) for (const [k, n] of Object.entries(c.failed)) out[k] = (out[k] ?? 0) + n;
  return out;
};
const total = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
const cores = (a: CpuSample, b: CpuSample): Record<string, number> =>
  Object.fromEntries(Object.entries(cpuReport(a, b, 1)).map(([k, v]) => [k, v.cores]));

async function measure(
  label: string,
  url: string,
  electionId: string,
  probe: Probe,
  o: Options,
): Promise<CapacityResult> {
  const children: ChildProcess[] = [];
  const latest: CapacityCounts[] = [];
  for (let i = 0; i < o.workers; i++) {
    const child = fork(__filename, ['--worker'], { execArgv: process.execArgv });
    children.push(child);
    latest.push({
      kind: 'counts',
      attempted: 0,
      held: 0,
      failed: {},
      dropped: 0,
      pings: 0,
      joinMs: { p50: 0, p99: 0, max: 0 },
      stepsMs: { upgrade: 0, connect: 0, join: 0 },
    });
    child.on('message', (m: CapacityCounts) => (latest[i] = m));
    const count = Math.floor(o.connections / o.workers) + (i < o.connections % o.workers ? 1 : 0);
    const plan: CapacityPlan = {
      url,
      electionId,
      count,
      ramp: o.ramp / o.workers,
      sources: o.sources.map((_, k) => o.sources[(k + i) % o.sources.length]!),
    };
    child.send({ kind: 'start', plan });
  }
  const workerPids = (): number[] => children.map((c) => c.pid ?? 0);
  const rssBefore = probe.rss(workerPids());
  const cpu0 = probe.cpu(workerPids());
  const t0 = Date.now();
  const settledCount = (): number =>
    sum(latest, 'held') + sum(latest, 'dropped') + total(failures(latest));
  const status = (phase: string): void =>
    console.log(
      `${stamp()} [${label}] ${phase}: attempted ${sum(latest, 'attempted')}, held ${sum(latest, 'held')}, ` +
        `failed ${total(failures(latest))}, dropped ${sum(latest, 'dropped')}, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
  const rampDeadline = t0 + (o.connections / o.ramp) * 1000 + 90_000;
  for (let tick = 1; settledCount() < o.connections && Date.now() < rampDeadline; tick++) {
    await sleep(1000);
    if (tick % 5 === 0) status('ramp');
  }
  const rampSeconds = (Date.now() - t0) / 1000;
  const heldAfterRamp = sum(latest, 'held');
  const droppedAfterRamp = sum(latest, 'dropped');
  const pingsAfterRamp = sum(latest, 'pings');
  status(`ramp done in ${rampSeconds.toFixed(0)} s`);
  await sleep(3000); // the last joins' presence and buffers settle before memory is read
  const rssAfterRamp = probe.rss(workerPids());
  const fileUse = probe.files(workerPids());
  const cpu1 = probe.cpu(workerPids());
  const h0 = Date.now();
  while (Date.now() - h0 < o.holdS * 1000) {
    await sleep(Math.min(30_000, o.holdS * 1000 - (Date.now() - h0)));
    status(`hold ${((Date.now() - h0) / 1000).toFixed(0)}/${o.holdS} s`);
  }
  const rssEnd = probe.rss(workerPids());
  const cpu2 = probe.cpu(workerPids());
  const heldAtEnd = sum(latest, 'held');
  const result: CapacityResult = {
    label,
    attempted: sum(latest, 'attempted'),
    heldAfterRamp,
    heldAtEnd,
    droppedDuringHold: sum(latest, 'dropped') - droppedAfterRamp,
    failed: failures(latest),
    rampSeconds,
    holdSeconds: (Date.now() - h0) / 1000,
    pingsAnswered: sum(latest, 'pings') - pingsAfterRamp,
    joinMs: {
      p50: Math.max(...latest.map((c) => c.joinMs.p50)),
      p99: Math.max(...latest.map((c) => c.joinMs.p99)),
      max: Math.max(...latest.map((c) => c.joinMs.max)),
    },
    stepsMs: {
      upgrade: Math.max(...latest.map((c) => c.stepsMs.upgrade)),
      connect: Math.max(...latest.map((c) => c.stepsMs.connect)),
      join: Math.max(...latest.map((c) => c.stepsMs.join)),
    },
    rssMb: { before: rssBefore, afterRamp: rssAfterRamp, end: rssEnd },
    kbPerConnection: Object.fromEntries(
      Object.keys(rssEnd).map((k) => [
        k,
        heldAtEnd
          ? Math.round((((rssEnd[k] ?? 0) - (rssBefore[k] ?? 0)) * 1024 * 10) / heldAtEnd) / 10
          : 0,
      ]),
    ),
    files: fileUse,
    cores: { ramp: cores(cpu0, cpu1), hold: cores(cpu1, cpu2) },
  };
  for (const c of children) c.send({ kind: 'stop' });
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
  return result;
}

function print(results: CapacityResult[]): void {
  const row = (name: string, f: (r: CapacityResult) => string): void =>
    console.log(`| ${name} | ${results.map(f).join(' | ')} |`);
  console.log(`\n| measure | ${results.map((r) => r.label).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---').join('|')}|`);
  row('sockets attempted', (r) => String(r.attempted));
  row('held after the ramp', (r) => `${r.heldAfterRamp} (${r.rampSeconds.toFixed(0)} s)`);
  row('held at the end of the hold', (r) => `${r.heldAtEnd} (${r.holdSeconds.toFixed(0)} s)`);
  row('dropped during the hold', (r) => String(r.droppedDuringHold));
  row(
    'join time p50 / p99 / max (ms)',
    (r) => `${r.joinMs.p50} / ${r.joinMs.p99} / ${r.joinMs.max}`,
  );
  row(
    'join steps, medians: upgrade / connect / join ack (ms)',
    (r) => `${r.stepsMs.upgrade} / ${r.stepsMs.connect} / ${r.stepsMs.join}`,
  );
  row('pings answered during the hold', (r) => String(r.pingsAnswered));
  row('failed to join', (r) => JSON.stringify(r.failed));
  for (const k of ['nodes', 'nginx', 'redis']) {
    row(`RSS ${k}: before → end (MB)`, (r) => `${r.rssMb.before[k] ?? 0} → ${r.rssMb.end[k] ?? 0}`);
    row(`RSS ${k} per connection (KB)`, (r) => String(r.kbPerConnection[k] ?? '–'));
  }
  row('RSS nodes + nginx per connection (KB)', (r) =>
    ((r.kbPerConnection.nodes ?? 0) + (r.kbPerConnection.nginx ?? 0)).toFixed(1),
  );
  row('descriptors: most open in one process / its limit', (r) =>
    ['nodes', 'nginx', 'load generator']
      .map((k) => `${k} ${r.files[k]?.open ?? '–'}/${r.files[k]?.limit ?? '–'}`)
      .join(', '),
  );
  row('cores during the ramp', (r) => JSON.stringify(r.cores.ramp));
  row('cores during the hold', (r) => JSON.stringify(r.cores.hold));
}

/** The load on the stack of --stack FILE, or on a fresh one (--own-stack) stopped afterwards. */
async function stackRun(o: Options, env: Record<string, string>): Promise<CapacityResult> {
  let stack: TestStack | undefined;
  try {
    let t = target();
    if (flag('own-stack')) {
      stack = await startStack({ env });
      const ref = { dir: stack.dir, redisPort: stack.ports.redis };
      t = { url: stack.baseUrl, admin: stack.admin, secret: '', stack: ref };
    }
    if (!t.stack) throw new Error('capacity needs a local stack (--own-stack or --stack FILE)');
    const e = await openBenchElection(t, `capacity ${new Date().toISOString()}`, 3);
    return await measure('Tallyboard', t.url, e.id, stackProbe(t.stack), o);
  } finally {
    if (stack) await stack.stop();
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker')) return runWorker((m) => void process.send?.(m));
  const o = options();
  const envPairs = process.argv.flatMap((a, i) => (a === '--env' ? [process.argv[i + 1]!] : []));
  const env = Object.fromEntries(
    envPairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
  console.log(
    `${stamp()} capacity: ${o.connections} sockets at ${o.ramp}/s from ${o.sources.join(',')} over ` +
      `${o.workers} workers, hold ${o.holdS} s; ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB`,
  );
  const results: CapacityResult[] = [];
  // --only-reference: the reference alone (to compare with an earlier run of the stack).
  if (!flag('only-reference')) results.push(await stackRun(o, env));
  if (flag('reference') || flag('only-reference')) {
    // The bare reference (loadtest/reference): Socket.IO + Redis adapter, three nodes, its own
    // nginx with 4 workers, no database; its one election is `reference`.
    const ref = await startReference();
    try {
      const holdS = Number(arg('reference-hold', String(o.holdS)));
      const probe = processProbe(ref.processes);
      results.push(await measure('reference', ref.url, 'reference', probe, { ...o, holdS }));
    } finally {
      await ref.stop();
    }
  }
  print(results);
  const json = arg('json');
  if (json) writeFileSync(json, JSON.stringify({ options: o, results }, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
