// One worker process of bench/capacity.ts: opens its share of sockets at its share of the ramp,
// joins each to the election, answers every ping, and reports counts once a second. A socket here
// is a bare WebSocket speaking engine.io 4 and Socket.IO 5 by hand (node:http upgrade, masked text
// frames out, unmasked in): a few KB and a few microseconds per ping in this process, where a
// socket.io-client costs several times that, so the generator's own memory and CPU limit the run
// as little as they can. Forked by capacity.ts with `--worker`.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';

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

/** A text frame from a client: FIN + text opcode, masked with a zero key (payload unchanged). */
function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  const head =
    n < 126
      ? Buffer.from([0x81, 0x80 | n, 0, 0, 0, 0])
      : Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff, 0, 0, 0, 0]);
  return Buffer.concat([head, payload]);
}
const PONG = frame('3');
const CLOSE = Buffer.from([0x88, 0x80, 0, 0, 0, 0]);

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
  const open = new Set<Socket>();
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
    const url = new URL(plan.url);
    counts.attempted++;
    const t0 = Date.now();
    let settled = false;
    const settle = (why: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (why) fail(why);
      else {
        counts.held++;
        joinTimes.push(Date.now() - t0);
      }
    };
    const timer = setTimeout(() => {
      settle('timeout');
      req.destroy();
    }, JOIN_TIMEOUT_MS);
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: `/socket.io/?EIO=4&transport=websocket&cid=${randomUUID()}`,
      localAddress: source,
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('response', (res) => {
      settle(`http ${res.statusCode}`);
      res.resume();
    });
    req.on('error', (e: NodeJS.ErrnoException) => settle(e.code ?? 'error'));
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      let last = Date.now();
      const step = (name: keyof typeof steps): void => {
        steps[name].push(Date.now() - last);
        last = Date.now();
      };
      steps.upgrade.push(last - t0);
      open.add(socket);
      socket.setNoDelay(true);
      let buf = head;
      let joined = false;
      const message = (text: string): void => {
        if (text === '2') {
          counts.pings++;
          socket.write(PONG);
        } else if (text.startsWith('0')) {
          socket.write(frame('40'));
        } else if (text.startsWith('40')) {
          step('connect');
          socket.write(
            frame(`420${JSON.stringify(['election:join', { electionId: plan.electionId }])}`),
          );
        } else if (text.startsWith('430')) {
          step('join');
          joined = /^430\[\{"ok":true/.test(text);
          settle(joined ? null : 'join refused');
          if (!joined) socket.end(CLOSE);
        } else if (text.startsWith('44')) {
          settle('connect refused');
          socket.end(CLOSE);
        }
      };
      // Frames may already have come with the upgrade answer (`head`): read those at once.
      const drain = (): void => {
        for (;;) {
          if (buf.length < 2) return;
          const op = buf[0]! & 0x0f;
          let len = buf[1]! & 0x7f;
          let off = 2;
          if (len === 126) {
            if (buf.length < 4) return;
            len = buf.readUInt16BE(2);
            off = 4;
          } else if (len === 127) {
            if (buf.length < 10) return;
            len = Number(buf.readBigUInt64BE(2));
            off = 10;
          }
          if (buf.length < off + len) return;
          const payload = buf.subarray(off, off + len);
          buf = buf.subarray(off + len);
          if (op === 1) message(payload.toString());
          else if (op === 8) socket.end(CLOSE);
        }
      };
      socket.on('data', (d: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, d]) : d;
        drain();
      });
      drain();
      socket.on('close', () => {
        open.delete(socket);
        if (joined) {
          counts.held--;
          counts.dropped++;
        } else settle('closed before join');
      });
      socket.on('error', () => undefined);
    });
    req.end();
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
      for (const s of open) s.destroy();
      setTimeout(() => process.exit(0), 200);
    }
  });
}
