// One worker process of bench/capacity.ts: opens its share of sockets at its share of the ramp,
// joins each to the election, answers every ping, and reports counts once a second. A socket here
// is the load tester's bare WebSocket speaking engine.io 4 and Socket.IO 5 by hand
// (loadtest/src/wire.ts): a few KB and a few microseconds per ping in this process, where a
// socket.io-client costs several times that, so the generator's own memory and CPU limit the run
// as little as they can. Forked by capacity.ts with `--worker`.
import { randomUUID } from 'node:crypto';
import { openWire, type WireSocket } from '../loadtest/src/wire';

export interface CapacityPlan {
  url: string;
  electionId: string;
  count: number;
  /** Sockets opened per second by this worker. */
  ramp: number;
  /** Local addresses to connect from, in turn (each has ~28,000 ephemeral ports per target). */
  sources: string[];
}

export interface CapacityCounts {
  kind: 'counts';
  attempted: number;
  /** Joined and still open. */
  held: number;
  /** Refused or timed out before joining, by reason. */
  failed: Record<string, number>;
  /** Closed after joining. */
  dropped: number;
  pings: number;
  /** Milliseconds from the request to the join ack: median, 99th percentile, most. */
  joinMs: { p50: number; p99: number; max: number };
  /** Medians of its steps: request → WebSocket upgrade → Socket.IO connect → join ack. */
  stepsMs: { upgrade: number; connect: number; join: number };
}

const JOIN_TIMEOUT_MS = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function runWorker(send: (m: CapacityCounts) => void): void {
  const counts: CapacityCounts = {
    kind: 'counts',
    attempted: 0,
    held: 0,
    failed: {},
    dropped: 0,
    pings: 0,
    joinMs: { p50: 0, p99: 0, max: 0 },
    stepsMs: { upgrade: 0, connect: 0, join: 0 },
  };
  const open = new Set<WireSocket>();
  const joinTimes: number[] = [];
  const steps = { upgrade: [] as number[], connect: [] as number[], join: [] as number[] };
  const quantile = (xs: number[], p: number): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  };
  const summarize = (): void => {
    const max = joinTimes.reduce((a, b) => Math.max(a, b), 0);
    counts.joinMs = { p50: quantile(joinTimes, 0.5), p99: quantile(joinTimes, 0.99), max };
    counts.stepsMs = {
      upgrade: quantile(steps.upgrade, 0.5),
      connect: quantile(steps.connect, 0.5),
      join: quantile(steps.join, 0.5),
    };
  };
  const fail = (why: string): void => void (counts.failed[why] = (counts.failed[why] ?? 0) + 1);

  function connect(plan: CapacityPlan, source: string): void {
    counts.attempted++;
    const t0 = Date.now();
    let joined = false;
    const ws: WireSocket = openWire(
      { url: plan.url, source, query: { cid: randomUUID() }, timeoutMs: JOIN_TIMEOUT_MS },
      {
        ping: () => void counts.pings++,
        fail,
        connect: () => {
          open.add(ws);
          const connectedAt = Date.now();
          ws.emit(
            'election:join',
            { electionId: plan.electionId },
            (args) => {
              const ack = args?.[0] as { ok?: boolean } | undefined;
              if (!ack?.ok) {
                fail(args ? 'join refused' : 'no join ack');
                ws.close();
                return;
              }
              joined = true;
              counts.held++;
              joinTimes.push(Date.now() - t0);
              steps.upgrade.push(ws.steps.upgrade);
              steps.connect.push(ws.steps.connect);
              steps.join.push(Date.now() - connectedAt);
            },
            JOIN_TIMEOUT_MS,
          );
        },
        close: () => {
          open.delete(ws);
          if (joined) {
            counts.held--;
            counts.dropped++;
          }
        },
      },
    );
  }

  async function start(plan: CapacityPlan): Promise<void> {
    const t0 = Date.now();
    for (let i = 0; i < plan.count; i++) {
      const wait = t0 + (i * 1000) / plan.ramp - Date.now();
      if (wait > 0) await sleep(wait);
      connect(plan, plan.sources[i % plan.sources.length]!);
    }
  }

  const report = setInterval(() => {
    summarize();
    send(counts);
  }, 1000);
  process.on('message', (m: { kind: 'start'; plan: CapacityPlan } | { kind: 'stop' }) => {
    if (m.kind === 'start') void start(m.plan);
    else {
      clearInterval(report);
      summarize();
      send(counts);
      for (const ws of open) ws.destroy();
      setTimeout(() => process.exit(0), 200);
    }
  });
}
