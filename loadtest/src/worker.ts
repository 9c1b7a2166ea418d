// One worker process: its share of the sockets (viewers; some hold a voter token), its share of
// the ballot rate, and the commit-to-viewer samples of its viewers. With `--caster own` (the
// default) the viewers' workers cast nothing: they hand their voters' tokens over, and one more
// worker, holding no viewers, casts every ballot, so its acks are not stamped late by frames.
// Reports to the coordinator every 250 ms; the open-file limit is per process, which is why there
// are several.
//
// A viewer is a bare WebSocket speaking engine.io / Socket.IO by hand (wire.ts) unless
// `--client socketio` or `--transport polling` asks for socket.io-client: decoding tens of
// thousands of frames a second through socket.io-client took as much CPU as the stack measured.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type {
  BallotCastAck,
  ClientToServerEvents,
  JoinAck,
  ServerToClientEvents,
} from '@tallyboard/shared';
import type { Agent } from 'node:http';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { CommitToViewer } from './commit-to-viewer';
import { Histogram } from './histogram';
import { agentFor, requestJson } from './http';
import type { FromWorker, Progress, ToWorker, WorkerPlan } from './protocol';
import { voterToken } from './target';
import { openWire, tallyReader } from './wire';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/**
 * In Node, engine.io-client hands `agent` to ws and to its XHR polling as an http.Agent (ours
 * binds the source address); its types only know the browser's string | boolean.
 */
type NodeSocketOptions = Omit<Partial<ManagerOptions & SocketOptions>, 'agent'> & { agent: Agent };

/** What a worker needs of a socket, whichever client speaks for it. */
interface Conn {
  /** Emits with an ack; `ack` gets the server's first ack argument, or null on timeout or close. */
  emitAck(event: string, data: unknown, timeoutMs: number, ack: (a: unknown) => void): void;
  close(): void;
}
interface ConnEvents {
  connect(): void;
  /** A tally frame's ballot count. */
  tally(ballots: number): void;
  /** Failed before connecting, and why. */
  fail(reason: string): void;
  /** Closed after connecting. */
  close(): void;
}

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A socket's join, and a ballot's ack, may take this long before they count as failed. */
const JOIN_TIMEOUT_MS = 60_000;
const ACK_TIMEOUT_MS = 30_000;

export function runWorker(): void {
  const send = (m: FromWorker): void => void process.send?.(m);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // Ctrl-C reaches the whole process group: the coordinator decides when this worker stops.
  process.on('SIGINT', () => {});
  let plan: WorkerPlan;
  const sockets: Conn[] = [];
  const readTally = tallyReader();
  const held = new Set<number>(); // viewer indexes joined and still connected
  const c2v = new CommitToViewer();
  const ackLatency = new Histogram();
  const voters: Conn[] = []; // held sockets with a voter identity, not yet cast
  const voterTokens = new Map<Conn, string>();
  let handOver: string[] = []; // voters joined here, for the casting worker
  const handedIn: string[] = []; // voters of other workers, cast with here (REST)
  let codeIndex = 0;
  let baseline: number | null = null;
  let final: number | null = null;
  let acks: number[] = [];
  const castFailures: Record<string, number> = {};
  const s = { attempted: 0, connectFailures: 0, disconnects: 0, castAttempted: 0 };
  let ramped = false;
  let castDone = false;
  let inflight = 0;
  let stopped = false;
  let stopCasting = false;

  const source = (i: number): string | undefined =>
    plan.sources.length ? plan.sources[i % plan.sources.length] : undefined;
  const fail = (code: string): void => void (castFailures[code] = (castFailures[code] ?? 0) + 1);
  const connectFailureReasons: Record<string, number> = {};
  const connectFailed = (reason: string): void => {
    s.connectFailures++;
    connectFailureReasons[reason] = (connectFailureReasons[reason] ?? 0) + 1;
  };

  function progress(): Progress {
    const r = final === null ? { reached: 0, lastAt: 0 } : c2v.reached(final, (i) => held.has(i));
    const m: Progress = {
      kind: 'progress',
      asOf: castDone && inflight === 0 ? null : now(),
      attempted: s.attempted,
      connected: held.size,
      connectFailures: s.connectFailures,
      connectFailureReasons,
      disconnects: s.disconnects,
      voterTokens: handOver,
      acks,
      ackLatency: ackLatency.drain(),
      commitToViewer: c2v.latency.drain(),
      castAttempted: s.castAttempted,
      castFailures,
      frames: c2v.frames,
      reached: r.reached,
      reachedAt: r.lastAt,
      ramped,
      castDone: castDone && inflight === 0,
      loopDelayP99: Math.round(loop.percentile(99) / 1e6),
    };
    acks = [];
    handOver = [];
    return m;
  }
  const tick = setInterval(() => send(progress()), 250);

  /** One socket through the plan's client and transport, joined to nothing yet. */
  function openConn(i: number, token: string | null, on: ConnEvents): Conn {
    if (plan.client === 'bare') {
      const w = openWire(
        {
          url: plan.url,
          source: source(i),
          query: { cid: randomUUID() },
          auth: token ? { token } : undefined,
          timeoutMs: JOIN_TIMEOUT_MS,
        },
        {
          connect: on.connect,
          event: (payload) => {
            const ballots = readTally(payload);
            if (ballots !== null) on.tally(ballots);
          },
          fail: on.fail,
          close: on.close,
        },
      );
      return {
        emitAck: (event, data, timeoutMs, ack) =>
          w.emit(event, data, (args) => ack(args ? args[0] : null), timeoutMs),
        close: () => w.close(),
      };
    }
    const options: NodeSocketOptions = {
      path: '/socket.io/',
      forceNew: true,
      reconnection: false,
      query: { cid: randomUUID() },
      auth: token ? { token } : {},
      transports: [plan.transport],
      upgrade: false,
      agent: agentFor(plan.url, source(i)),
      timeout: JOIN_TIMEOUT_MS,
    };
    const socket: LiveSocket = io(
      plan.url,
      options as unknown as Partial<ManagerOptions & SocketOptions>,
    );
    let connected = false;
    socket.on('tally', (t) => on.tally(t.ballots));
    socket.on('disconnect', () => on.close());
    socket.on('connect_error', (err) => {
      if (!connected) on.fail(err.message);
      socket.close();
    });
    socket.on('connect', () => {
      if (connected) return;
      connected = true;
      on.connect();
    });
    return {
      emitAck: (event, data, timeoutMs, ack) => {
        const timed = socket.timeout(timeoutMs) as unknown as {
          emit(ev: string, d: unknown, cb: (err: Error | null, a: unknown) => void): void;
        };
        timed.emit(event, data, (err, a) => ack(err ? null : a));
      },
      close: () => void socket.close(),
    };
  }

  async function openViewer(i: number): Promise<void> {
    s.attempted++;
    let token: string | null = null;
    if (i < plan.voters) {
      try {
        token = await voterToken(
          plan.url,
          plan.electionId,
          plan.voterSource,
          codeIndex++,
          source(i),
        );
      } catch (e) {
        connectFailed(`token ${e instanceof Error ? e.message : 'error'}`);
        return;
      }
    }
    const viewer = c2v.addViewer();
    let joined = false;
    const conn = openConn(i, token, {
      tally: (ballots) => {
        if (baseline !== null) c2v.frame(viewer, ballots - baseline, now());
      },
      close: () => {
        if (!joined || stopped) return;
        held.delete(viewer);
        s.disconnects++;
      },
      fail: (reason) => {
        if (!joined) connectFailed(reason);
      },
      connect: () => {
        conn.emitAck('election:join', { electionId: plan.electionId }, JOIN_TIMEOUT_MS, (a) => {
          const ack = a as JoinAck | null;
          if (!ack?.ok) {
            connectFailed(ack ? `join ${ack.error.code}` : 'no join ack');
            conn.close();
            return;
          }
          joined = true;
          held.add(viewer);
          if (token && plan.handOverVoters) handOver.push(token);
          else if (token) {
            voters.push(conn);
            voterTokens.set(conn, token);
          }
        });
      },
    });
    sockets.push(conn);
  }

  async function ramp(): Promise<void> {
    const t0 = now();
    for (let i = 0; i < plan.connections; i++) {
      const wait = t0 + (i * 1000) / plan.ramp - now();
      if (wait > 1) await sleep(wait);
      if (stopped) return;
      void openViewer(i);
    }
    // Ramped when every attempt has an outcome (joined or failed).
    while (!stopped && held.size + s.connectFailures < plan.connections) await sleep(50);
    ramped = true;
  }

  function record(sent: number, code: string | null): void {
    inflight--;
    if (code) return fail(code);
    const at = now();
    acks.push(at);
    ackLatency.add(at - sent);
  }

  function castOver(conn: Conn, i: number, after?: () => void): void {
    const sent = now();
    conn.emitAck(
      'ballot:cast',
      { electionId: plan.electionId, selections: choice(i), idempotencyKey: randomUUID() },
      ACK_TIMEOUT_MS,
      (a) => {
        const ack = a as BallotCastAck | null;
        record(sent, ack === null ? 'timeout' : ack.ok ? null : ack.error.code);
        after?.();
      },
    );
  }

  async function castRest(token: string, i: number): Promise<void> {
    const sent = now();
    const key = randomUUID();
    const post = () =>
      requestJson<{ receipt: string }>(
        'POST',
        `${plan.url}/api/elections/${plan.electionId}/ballots`,
        {
          token,
          source: source(i),
          body: { selections: choice(i) },
          headers: { 'idempotency-key': key },
        },
      );
    const failed = (e: unknown) => ({
      status: 0,
      code: e instanceof Error ? e.message : 'network',
    });
    // A keep-alive connection the server closed while idle fails its next request at once
    // ("socket hang up"); as a browser does, send it again on a new one: the same
    // Idempotency-Key makes a second send safe, and the ack counts once.
    const a = await post().catch((e: unknown) =>
      (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? post().catch(failed) : failed(e),
    );
    record(sent, a.status === 201 || a.status === 200 ? null : (a.code ?? String(a.status)));
  }

  const choice = (i: number): Record<string, string[]> => plan.choices[i % plan.choices.length]!;

  /** Ballot i: a held voter's socket first; past them, a new voter who comes, casts and goes. */
  async function castOne(i: number): Promise<void> {
    s.castAttempted++;
    inflight++;
    const voter = voters.shift();
    if (voter) {
      if (plan.cast === 'socket') return castOver(voter, i);
      return castRest(voterTokens.get(voter)!, i);
    }
    const handed = handedIn.shift();
    if (handed) return castRest(handed, i);
    let token: string;
    try {
      token = await voterToken(plan.url, plan.electionId, plan.voterSource, codeIndex++, source(i));
    } catch (e) {
      inflight--;
      return fail(`token ${e instanceof Error ? e.message : 'error'}`);
    }
    if (plan.cast === 'rest') return castRest(token, i);
    const conn: Conn = openConn(i, token, {
      connect: () => castOver(conn, i, () => conn.close()),
      fail: () => record(0, 'connect_error'),
      tally: () => undefined,
      close: () => undefined,
    });
  }

  async function castAll(): Promise<void> {
    const t0 = now();
    for (let i = 0; i < plan.ballots && !stopped && !stopCasting; i++) {
      const wait = t0 + (i * 1000) / plan.rate - now();
      if (wait > 1) await sleep(wait);
      void castOne(i);
    }
    castDone = true;
  }

  function finish(): void {
    stopped = true;
    clearInterval(tick);
    send(progress());
    for (const socket of sockets) socket.close();
    send({ kind: 'closed' });
    setTimeout(() => process.exit(0), 200);
  }

  process.on('message', (m: ToWorker) => {
    if (m.kind === 'start') {
      plan = m.plan;
      void ramp();
    } else if (m.kind === 'cast') {
      baseline = m.baseline;
      loop.reset(); // the ramp's delays are not the measurement's
      void castAll();
    } else if (m.kind === 'acks') c2v.settle(m.from, m.times);
    else if (m.kind === 'final') final = m.ballots;
    else if (m.kind === 'voters') handedIn.push(...m.tokens);
    else if (m.kind === 'stop') {
      stopCasting = true;
      if (baseline === null) castDone = true; // casting never started
    } else finish();
  });
  process.on('disconnect', () => process.exit(0)); // the coordinator is gone
}
