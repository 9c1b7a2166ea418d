// Live latency benchmark: how long after a ballot is acknowledged (its batch committed) do viewers
// see a tally that includes it. Viewers are spread over child processes (the open-file limit is
// per process); the parent casts ballots through nginx at a steady rate and records each ack.
//
//   bench/live-latency.sh --url http://127.0.0.1:8080 --viewers 2000     # raises ulimit -n
//   npx tsx bench/live-latency.ts --stack /tmp/tb-test-stack.json --viewers 10000
//
// Options: --viewers N (2000) · --rate ballots/s (80, under the default per-address limit) ·
// --seconds S (5) · --per-proc viewers per child (1000) · --polling (default: websocket only).
// Admin login and SESSION_SECRET (voter tokens are signed locally) come from --stack (a test
// stack handle) or from the environment / .env.
//
// A ballot commits somewhere between its request being sent and its ack arriving, so the
// commit-to-viewer latency of ballot k is bracketed: arrival of the first tally with ballots ≥ k,
// minus the ack time of the k-th acknowledged ballot (lower bound; negative when the tally beat
// the HTTP answer) or minus that ballot's send time (upper bound, includes the group-commit wait).
// Clocks: performance.timeOrigin + now() (one machine, all processes).
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { LiveClient } from '../client/src/live/client';
import { electionStateHandlers, initialElectionLive } from '../client/src/live/election-state';
import { issueVoterToken } from '../server/src/accounts/tokens';
import { requestJson } from '../server/test/support/http';
import { arg, flag, openBenchElection, target } from './target';

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long a viewer may take to join before it counts as failed. */
const JOIN_TIMEOUT_MS = 60_000;

/** Latency histogram in 1 ms buckets from -5 s to +30 s. */
const OFFSET = 5_000;
const BUCKETS = 35_001;

type ToChild =
  | { kind: 'start'; url: string; electionId: string; count: number; polling: boolean }
  | { kind: 'acks'; acks: number[]; sends: number[]; finalBallots: number };
type FromChild =
  | { kind: 'ready'; connected: number; failed: number }
  | {
      kind: 'report';
      fromAck: number[];
      fromSend: number[];
      messages: number;
      reachedFinal: number;
      viewers: number;
    };

// ---------------------------------------------------------------- child: a share of the viewers
async function child(): Promise<void> {
  const send = (m: FromChild): void => void process.send?.(m);
  const arrivals: Array<Array<[number, number]>> = [];
  let messages = 0;
  process.on('message', (m: ToChild) => {
    if (m.kind === 'start') void start(m);
    else finish(m.acks, m.sends, m.finalBallots);
  });

  async function start(m: Extract<ToChild, { kind: 'start' }>): Promise<void> {
    let connected = 0;
    let failed = 0;
    const joins: Promise<void>[] = [];
    for (let i = 0; i < m.count; i++) {
      const seen: Array<[number, number]> = [];
      arrivals.push(seen);
      // The browser's client and results rule: what a viewer's page would show, and when.
      let state = initialElectionLive;
      const fold = electionStateHandlers((update) => (state = update(state)));
      const live = new LiveClient({
        url: m.url,
        cid: randomUUID(),
        joinTimeoutMs: JOIN_TIMEOUT_MS,
        socket: {
          forceNew: true,
          reconnectionDelay: 500,
          ...(m.polling ? {} : { transports: ['websocket'] }),
        },
      });
      joins.push(
        new Promise<void>((resolve) => {
          let answered = false;
          const timer = setTimeout(() => {
            failed++;
            answered = true;
            resolve();
          }, JOIN_TIMEOUT_MS);
          const firstAnswer = (): void => {
            if (answered) return;
            answered = true;
            clearTimeout(timer);
            connected++;
            resolve();
          };
          live.watch(m.electionId, {
            snapshot: (ack) => {
              fold.snapshot(ack);
              firstAnswer();
            },
            error: firstAnswer,
            tally: (t) => {
              messages++;
              fold.tally(t);
              seen.push([state.results?.ballots ?? 0, now()]);
            },
          });
        }),
      );
      if (i % 100 === 99) await sleep(20); // do not stampede the accept queues
    }
    await Promise.all(joins);
    send({ kind: 'ready', connected, failed });
  }

  function finish(acks: number[], sends: number[], finalBallots: number): void {
    const fromAck = new Array<number>(BUCKETS).fill(0);
    const fromSend = new Array<number>(BUCKETS).fill(0);
    const bucket = (ms: number): number =>
      Math.min(Math.max(Math.round(ms) + OFFSET, 0), BUCKETS - 1);
    let reachedFinal = 0;
    for (const seen of arrivals) {
      let last = 0;
      for (const [ballots, at] of seen) {
        for (let k = last + 1; k <= Math.min(ballots, acks.length); k++) {
          fromAck[bucket(at - (acks[k - 1] as number))]!++;
          fromSend[bucket(at - (sends[k - 1] as number))]!++;
        }
        last = Math.max(last, ballots);
      }
      if (last >= finalBallots) reachedFinal++;
    }
    send({ kind: 'report', fromAck, fromSend, messages, reachedFinal, viewers: arrivals.length });
    setTimeout(() => process.exit(0), 100);
  }
}

// ---------------------------------------------------------------- parent
function percentile(hist: number[], p: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let ms = 0; ms < hist.length; ms++) {
    seen += hist[ms]!;
    if (seen >= total * p) return ms - OFFSET;
  }
  return hist.length - 1 - OFFSET;
}

async function parent(): Promise<void> {
  const t = target();
  const viewers = Number(arg('viewers', '2000'));
  const rate = Number(arg('rate', '80'));
  const seconds = Number(arg('seconds', '5'));
  const perProc = Number(arg('per-proc', '1000'));
  const polling = flag('polling');
  const ballots = Math.round(rate * seconds);

  const e = await openBenchElection(t, `live bench ${new Date().toISOString()}`, 3);
  const voterTokens = Array.from({ length: ballots }, () => issueVoterToken(t.secret, 1));

  // Viewers, spread over children.
  const procs = Math.max(1, Math.ceil(viewers / perProc));
  const children: ChildProcess[] = [];
  const t0 = Date.now();
  const ready = await Promise.all(
    Array.from({ length: procs }, (_, i) => {
      const count = Math.floor(viewers / procs) + (i < viewers % procs ? 1 : 0);
      const c = fork(__filename, ['--child'], { execArgv: process.execArgv });
      children.push(c);
      c.send({ kind: 'start', url: t.url, electionId: e.id, count, polling } satisfies ToChild);
      return new Promise<FromChild>((r) => c.once('message', r));
    }),
  );
  const connected = ready.reduce((a, r) => a + (r.kind === 'ready' ? r.connected : 0), 0);
  console.log(
    `${connected}/${viewers} viewers joined in ${Date.now() - t0} ms over ${procs} processes`,
  );
  await sleep(1000);

  // Ballots at a steady rate through nginx; record each ack.
  const position = e.positions[0]!;
  const answered: Array<{ sent: number; ack: number }> = [];
  const failures: string[] = [];
  const started = now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < ballots; i++) {
    const wait = started + (i * 1000) / rate - now();
    if (wait > 0) await sleep(wait);
    const c = position.candidates[i % position.candidates.length]!;
    const sent = now();
    inflight.push(
      requestJson(`${t.url}/api/elections/${e.id}/ballots`, {
        method: 'POST',
        token: voterTokens[i]!,
        body: JSON.stringify({ selections: { [position.id]: [c.id] } }),
      }).then(
        () => void answered.push({ sent, ack: now() }),
        (err: unknown) => void failures.push(String(err).slice(0, 200)),
      ),
    );
  }
  await Promise.all(inflight);
  const castMs = now() - started;
  await sleep(2000); // let the last tallies land
  answered.sort((a, b) => a.ack - b.ack);
  const acks = answered.map((a) => a.ack);
  const sends = answered.map((a) => a.sent);

  const reports = await Promise.all(
    children.map((c) => {
      const done = new Promise<FromChild>((r) => c.once('message', r));
      c.send({ kind: 'acks', acks, sends, finalBallots: acks.length } satisfies ToChild);
      return done;
    }),
  );
  const fromAck = new Array<number>(BUCKETS).fill(0);
  const fromSend = new Array<number>(BUCKETS).fill(0);
  let messages = 0;
  let reached = 0;
  for (const r of reports) {
    if (r.kind !== 'report') continue;
    r.fromAck.forEach((n, i) => (fromAck[i]! += n));
    r.fromSend.forEach((n, i) => (fromSend[i]! += n));
    messages += r.messages;
    reached += r.reachedFinal;
  }
  const result = {
    viewers,
    connected,
    ballots: acks.length,
    failed: failures.length,
    castRate: Math.round((acks.length / castMs) * 1000),
    ackToViewMs: {
      p50: percentile(fromAck, 0.5),
      p99: percentile(fromAck, 0.99),
      max: percentile(fromAck, 1),
    },
    sendToViewMs: {
      p50: percentile(fromSend, 0.5),
      p99: percentile(fromSend, 0.99),
      max: percentile(fromSend, 1),
    },
    tallyMsgsPerViewerPerSec: +(messages / Math.max(connected, 1) / (castMs / 1000 + 2)).toFixed(1),
    reachedFinal: reached,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join('/')}`,
  };
  console.log(JSON.stringify(result, null, 2));
  if (failures.length) console.log('first failures:', failures.slice(0, 3));
}

if (flag('child')) void child();
else
  parent().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
