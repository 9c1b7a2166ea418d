// One run against one target: fork the workers, split the sockets, voters and ballot rate among
// them, walk the phases (ramp → hold → cast → settle → finish), merge what they report, and keep the
// global ack order settled for their commit-to-viewer samples. Ctrl-C ends the phase at hand
// and still yields a (partial) report.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Histogram } from './histogram';
import type { Options } from './options';
import type { FromWorker, Progress, ToWorker, WorkerPlan } from './protocol';
import type { Measured } from './report';
import { rssMb, type ProcessGroups } from './rss';
import type { Target } from './target';

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Set by the CLI's SIGINT handler: every phase ends at its next check. */
export const interruption = { requested: false };

/** `n` split into `parts` shares that differ by at most one. */
export const share = (n: number, parts: number, i: number): number =>
  Math.floor(n / parts) + (i < n % parts ? 1 : 0);

export interface RunInput {
  opts: Options;
  target: Target;
  label: string;
  mode: Measured['mode'];
  /** The target's local processes, for RSS (null: not on this machine). */
  processes: () => ProcessGroups | null;
  /** Progress for people: a status line on a terminal, phase lines otherwise. */
  status: (line: string, final?: boolean) => void;
}

export async function runLoad(input: RunInput): Promise<Measured> {
  const { opts, target, status } = input;
  const workers = Math.min(opts.workers, Math.max(1, opts.connections));
  const voters = Math.round(opts.connections * opts.voting);
  const ballots = Math.round(opts.rate * opts.duration);
  const ackLatency = new Histogram();
  const c2v = new Histogram();
  const pendingAcks: number[] = [];
  const settledAcks: number[] = [];
  const children: ChildProcess[] = [];
  let acked = 0;
  let closedCount = 0;
  const ackedAt: Array<[number, number]> = []; // [time, acked] for the per-second rate

  const codes = target.voterSource.kind === 'roll' ? target.voterSource.codes : [];
  let codeStart = 0;
  // With a caster of its own, the last process holds no viewers and sends every ballot.
  const ownCaster = opts.caster === 'own' && ballots > 0;
  const processes = workers + (ownCaster ? 1 : 0);
  const latest: Array<Progress | null> = Array.from({ length: processes }, () => null);
  let caster: ChildProcess | null = null;
  for (let i = 0; i < processes; i++) {
    const casting = i === workers;
    const plan: WorkerPlan = {
      url: target.url,
      electionId: target.electionId,
      choices: target.choices,
      connections: casting ? 0 : share(opts.connections, workers, i),
      voters: casting ? 0 : share(voters, workers, i),
      ballots: ownCaster ? (casting ? ballots : 0) : share(ballots, workers, i),
      rate: ownCaster ? (casting ? opts.rate : 0) : opts.rate / workers,
      ramp: opts.ramp / workers,
      transport: opts.transport,
      client: opts.client,
      cast: opts.cast,
      handOverVoters: ownCaster && !casting,
      sources: opts.sources.map((_, k) => opts.sources[(k + i) % opts.sources.length]!),
      voterSource: { kind: 'open' },
    };
    if (target.voterSource.kind === 'roll') {
      const mine = plan.voters + plan.ballots;
      plan.voterSource = { kind: 'roll', codes: codes.slice(codeStart, (codeStart += mine)) };
    }
    const child = fork(path.join(__dirname, 'worker-main.ts'), [], {
      execArgv: process.execArgv,
      serialization: 'advanced',
    });
    children.push(child);
    if (casting) caster = child;
    child.on('message', (m: FromWorker) => {
      if (m.kind === 'closed') return void closedCount++;
      latest[i] = m;
      if (m.voterTokens.length && caster?.connected) {
        caster.send({ kind: 'voters', tokens: m.voterTokens } satisfies ToWorker);
      }
      ackLatency.merge(m.ackLatency);
      c2v.merge(m.commitToViewer);
      pendingAcks.push(...m.acks);
      acked += m.acks.length;
    });
    child.send({ kind: 'start', plan } satisfies ToWorker);
  }
  const broadcast = (m: ToWorker): void => children.forEach((c) => c.connected && c.send(m));
  const sum = (f: (p: Progress) => number): number =>
    latest.reduce((a, p) => a + (p ? f(p) : 0), 0);
  const all = (f: (p: Progress) => boolean): boolean => latest.every((p) => p !== null && f(p));
  const failures = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const p of latest) {
      for (const [k, v] of Object.entries(p?.castFailures ?? {})) out[k] = (out[k] ?? 0) + v;
    }
    return out;
  };
  const failedBallots = (): number => Object.values(failures()).reduce((a, b) => a + b, 0);

  // Acks every worker has reported past are settled: send them on in global order.
  const settler = setInterval(() => {
    const asOf = Math.min(...latest.map((p) => (p ? (p.asOf ?? Infinity) : -Infinity)));
    if (!pendingAcks.length || asOf === -Infinity) return;
    pendingAcks.sort((a, b) => a - b);
    let n = 0;
    while (n < pendingAcks.length && pendingAcks[n]! <= asOf) n++;
    if (!n) return;
    const times = pendingAcks.splice(0, n);
    broadcast({ kind: 'acks', from: settledAcks.length, times });
    settledAcks.push(...times);
  }, 200);

  let phase = 'ramp';
  const line = (): string => {
    const t = now();
    ackedAt.push([t, acked]);
    while (ackedAt.length > 1 && ackedAt[0]![0] < t - 2000) ackedAt.shift();
    const [t0, a0] = ackedAt[0]!;
    const perSec = t > t0 ? ((acked - a0) * 1000) / (t - t0) : 0;
    const p99 = c2v.percentile(0.99);
    return (
      `[${input.label}] ${phase} · connected ${sum((p) => p.connected)}/${opts.connections}` +
      ` · failed ${sum((p) => p.connectFailures + p.disconnects)}` +
      ` · acked ${acked}/${ballots} (${perSec.toFixed(0)}/s, ${failedBallots()} failed)` +
      ` · ack p99 ${ackLatency.percentile(0.99) ?? '–'} ms · commit-to-viewer p99 ${p99 ?? '–'} ms`
    );
  };
  const ticker = setInterval(() => status(line()), 500);
  let closer: NodeJS.Timeout | null = null;
  const results = (): Promise<number | null> =>
    target.ballots().catch((e: unknown) => {
      throw new Error(`results request failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  const until = async (done: () => boolean, limitMs = Infinity, evenIfInterrupted = false) => {
    const end = now() + limitMs;
    while (!done() && (evenIfInterrupted || !interruption.requested) && now() < end) {
      await sleep(100);
    }
  };

  try {
    return await walk();
  } catch (e) {
    // A target that breaks mid-run (the reference's nginx hanging up on the results request at
    // 50,000 sockets): leave no worker holding sockets, and say where it broke.
    clearInterval(ticker);
    clearInterval(settler);
    if (closer) clearTimeout(closer);
    children.forEach((c) => c.connected && c.kill());
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `${why} (${phase}: ${sum((p) => p.connected)} of ${opts.connections} sockets held)`,
      { cause: e },
    );
  }

  async function walk(): Promise<Measured> {
    // Memory before any socket: the growth over the run, per held socket, is what a socket costs.
    const groups0 = input.processes();
    const rssBefore = groups0 ? rssMb(groups0) : null;
    await until(() => all((p) => p.ramped));
    status(line(), true);
    if (opts.hold > 0) {
      phase = 'holding';
      status(`[${input.label}] holding ${opts.connections} sockets for ${opts.hold} s`, true);
      await until(() => false, opts.hold * 1000);
      status(line(), true);
    }
    const baseline = interruption.requested ? 0 : ((await results()) ?? 0);
    phase = 'casting';
    const castStart = now();
    if (!interruption.requested) broadcast({ kind: 'cast', baseline });
    status(
      `[${input.label}] casting: ${ballots} ballots at ${opts.rate}/s over ${opts.cast}`,
      true,
    );
    closer =
      opts.closeAfter === null
        ? null
        : setTimeout(() => void target.close().catch(() => {}), opts.closeAfter * 1000);
    await until(() => all((p) => p.castDone));
    if (interruption.requested) {
      // Cast nothing more, but hear every answer: the partial tally must still match the acks.
      broadcast({ kind: 'stop' });
      await until(() => all((p) => p.castDone), 35_000, true);
    }
    status(line(), true);
    // Every ack is in: settle the rest, then tell the viewers what the final count is.
    await until(() => !pendingAcks.length && settledAcks.length >= acked, 5000, true);
    const lastAck = settledAcks[settledAcks.length - 1] ?? castStart;
    phase = 'settling';
    broadcast({ kind: 'final', ballots: acked });
    const viewers = (): number => sum((p) => p.connected);
    await until(() => sum((p) => p.reached) >= viewers() && viewers() > 0, opts.settle * 1000);
    await sleep(300); // one more report from every worker after the last change
    const groups = input.processes();
    const rss = groups ? rssMb(groups) : null;
    const held = viewers();
    const reached = sum((p) => p.reached);
    const reachedAt = Math.max(...latest.map((p) => p?.reachedAt ?? 0));
    const frameSeconds = (now() - castStart) / 1000;
    if (closer) clearTimeout(closer);
    await target.close().catch(() => {});
    const observed = await target.ballots().catch(() => null);
    phase = 'done';
    status(line(), true);
    clearInterval(ticker);
    clearInterval(settler);
    broadcast({ kind: 'finish' });
    await until(() => closedCount === children.length || children.every((c) => !c.connected), 3000);
    children.forEach((c) => c.connected && c.kill());

    const failed = failedBallots();
    return {
      label: input.label,
      url: target.url,
      electionId: target.electionId,
      mode: input.mode,
      sockets: {
        planned: opts.connections,
        attempted: sum((p) => p.attempted),
        held,
        connectFailures: sum((p) => p.connectFailures),
        failureReasons: (() => {
          const out: Record<string, number> = {};
          for (const p of latest) {
            for (const [k, v] of Object.entries(p?.connectFailureReasons ?? {})) {
              out[k] = (out[k] ?? 0) + v;
            }
          }
          return out;
        })(),
        disconnects: sum((p) => p.disconnects),
      },
      ballots: {
        planned: ballots,
        attempted: sum((p) => p.castAttempted),
        acked,
        failed,
        failures: failures(),
        ackedPerSecond: Math.round(
          acked / Math.max((lastAck - castStart) / 1000, opts.duration, 0.001),
        ),
      },
      ackMs: ackLatency.summary(),
      commitToViewerMs: c2v.summary(),
      frames: sum((p) => p.frames),
      frameSeconds,
      viewers: {
        count: held,
        reachedFinal: reached,
        timeToAllFinalMs:
          reached >= held && held > 0 ? Math.max(0, Math.round(reachedAt - lastAck)) : null,
      },
      tally: { expected: acked, observed: observed === null ? null : observed - baseline },
      rssMb: rss,
      rssBeforeMb: rssBefore,
      generatorLoopDelayP99Ms: Math.max(0, ...latest.map((p) => p?.loopDelayP99 ?? 0)),
      ...(ownCaster ? { casterLoopDelayP99Ms: latest[workers]?.loopDelayP99 ?? 0 } : {}),
      interrupted: interruption.requested,
    };
  }
}
