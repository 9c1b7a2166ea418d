// What every fault drill (server/test/drills) shares: a stack of its own with an open election, a
// steady ballot load that retries like a real client (one Idempotency-Key per ballot, retried on
// 503 and network errors, honouring Retry-After; some over REST, some over a socket ack), live
// viewers on the browser's own client, and the closing check: acknowledged = counted (none lost,
// none twice), the audit recount matches, every viewer at the final tally.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import type {
  AuditReport,
  BallotCastAck,
  ClientToServerEvents,
  Election,
  Results,
  ServerToClientEvents,
} from '@tallyboard/shared';
import type { Socket } from 'socket.io-client';
import { connectViewers, spread, type LiveViewer } from '../integration/live-helpers';
import { openNewElection, signInAdmin, type AdminSession } from './elections';
import { requestJson } from './http';
import { repoRoot, startStack, type TestStack } from './stack';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a value (not undefined) or `ms` passed; a busy machine is slow. */
export async function until<T>(
  what: string,
  ms: number,
  fn: () => Promise<T | undefined> | T | undefined,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface Drill {
  stack: TestStack;
  admin: AdminSession;
  election: Election;
}

/** Limits high enough that one test process (one address) can act as hundreds of voters. */
const drillEnv = {
  RATE_VOTER_TOKENS_PER_IP_PER_MIN: '100000',
  RATE_BALLOTS_PER_IP_PER_MIN: '100000',
  RATE_LOGIN_PER_IP_PER_MIN: '10000',
};

/** A stack of the drill's own (it breaks things) with one open election of three candidates. */
export async function startDrill(env: Record<string, string> = {}): Promise<Drill> {
  const needed = ['server/dist/main.js', 'server/dist/cli/migrate.js', 'client/dist/index.html'];
  if (needed.some((f) => !existsSync(path.join(repoRoot, f)))) {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const stack = await startStack({ env: { ...drillEnv, ...env } });
  const admin = await signInAdmin(stack);
  const election = await openNewElection(admin, { candidates: 3 });
  return { stack, admin, election };
}

export interface LoadOptions {
  /** New voters per second. @default 15 */
  perSecond?: number;
  /** Share of voters that cast over a socket ack instead of REST. @default 0.25 */
  socketShare?: number;
  /** A voter stops retrying after this long (then counts as not acknowledged). @default 240000 */
  giveUpMs?: number;
}

/** What a load measured; `acked` maps receipt → times acknowledged (more than 1 is a bug). */
export interface LoadStats {
  voters: number;
  acked: number;
  replayed: number;
  gaveUp: number;
  /** Answers by status (REST) or code (socket), e.g. `503 master_unavailable`, `network`. */
  answers: Record<string, number>;
  /** The slowest refusal (503) seen: a fast failure is well under a second. */
  slowestRefusalMs: number;
  /** Refusals that came without Retry-After (REST 503s must carry it). */
  refusalsWithoutRetryAfter: number;
}

type VoterSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Voters arriving at a steady rate, each casting one ballot for a candidate in turn and retrying
 * until acknowledged. `lastFailureAt` / `acksAfter(t)` tell a drill when voting recovered.
 */
export class BallotLoad {
  readonly receipts = new Map<string, number>();
  readonly stats: LoadStats = {
    voters: 0,
    acked: 0,
    replayed: 0,
    gaveUp: 0,
    answers: {},
    slowestRefusalMs: 0,
    refusalsWithoutRetryAfter: 0,
  };
  /** Time of every acknowledgement, in order. */
  readonly ackTimes: number[] = [];
  lastFailureAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly opts: Required<LoadOptions>;

  constructor(
    private readonly baseUrl: string,
    private readonly election: Election,
    opts: LoadOptions = {},
  ) {
    this.opts = { perSecond: 15, socketShare: 0.25, giveUpMs: 240_000, ...opts };
  }

  start(): void {
    const every = 1000 / this.opts.perSecond;
    let n = 0;
    this.timer = setInterval(() => {
      const p = this.voter(n++).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }, every);
  }

  /** Stops new voters; resolves once every voter already started is acknowledged or gave up. */
  async stop(): Promise<LoadStats> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    return this.stats;
  }

  /**
   * The longest stretch without an acknowledgement between `from` and `to` (ms epoch): how long
   * voting was paused by a fault, whatever the clients saw meanwhile.
   */
  longestPause(from: number, to = Date.now()): number {
    let last = from;
    let longest = 0;
    for (const t of this.ackTimes) {
      if (t <= from) continue;
      if (t > to) break;
      longest = Math.max(longest, t - last);
      last = t;
    }
    return Math.max(longest, to - last);
  }

  /** Acknowledgements after time `t` (ms epoch). */
  acksAfter(t: number): number {
    return this.ackTimes.filter((a) => a > t).length;
  }

  private count(answer: string): void {
    this.stats.answers[answer] = (this.stats.answers[answer] ?? 0) + 1;
  }

  private async voter(n: number): Promise<void> {
    this.stats.voters++;
    const position = this.election.positions[0]!;
    const candidate = position.candidates[n % position.candidates.length]!;
    const selections = { [position.id]: [candidate.id] };
    const key = randomUUID();
    const viaSocket = (n * this.opts.socketShare) % 1 >= 1 - this.opts.socketShare;
    const deadline = Date.now() + this.opts.giveUpMs;
    let token: string | null = null;
    while (Date.now() < deadline) {
      let waitMs = 300;
      try {
        token ??= (
          await requestJson<{ voterToken: string }>(`${this.baseUrl}/api/voters`, {
            method: 'POST',
          })
        ).voterToken;
        const outcome = viaSocket
          ? await this.castOverSocket(token, selections, key)
          : await this.castOverRest(token, selections, key);
        if (outcome.receipt) {
          this.receipts.set(outcome.receipt, (this.receipts.get(outcome.receipt) ?? 0) + 1);
          this.stats.acked++;
          if (outcome.replayed) this.stats.replayed++;
          this.ackTimes.push(Date.now());
          return;
        }
        waitMs = outcome.retryAfterMs ?? waitMs;
      } catch {
        this.count('network');
      }
      this.lastFailureAt = Date.now();
      await sleep(Math.min(waitMs, 2000) * (0.5 + Math.random()));
    }
    this.stats.gaveUp++;
  }

  private async castOverRest(
    token: string,
    selections: Record<string, string[]>,
    key: string,
  ): Promise<{ receipt?: string; replayed?: boolean; retryAfterMs?: number }> {
    const t0 = Date.now();
    const res = await fetch(`${this.baseUrl}/api/elections/${this.election.id}/ballots`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'Idempotency-Key': key,
      },
      body: JSON.stringify({ selections }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as {
      receipt?: string;
      replayed?: boolean;
      error?: { code?: string };
    };
    this.count(`${res.status}${body.error?.code ? ` ${body.error.code}` : ''}`);
    if (res.ok && body.receipt) return { receipt: body.receipt, replayed: body.replayed === true };
    if (res.status === 503 && body.error?.code === 'master_unavailable') {
      this.stats.slowestRefusalMs = Math.max(this.stats.slowestRefusalMs, Date.now() - t0);
      if (!res.headers.get('retry-after')) this.stats.refusalsWithoutRetryAfter++;
    }
    const after = Number(res.headers.get('retry-after'));
    if (res.status >= 500 || res.status === 429) {
      return { retryAfterMs: after > 0 ? after * 1000 : 300 };
    }
    throw new Error(`ballot refused for cause: ${res.status} ${JSON.stringify(body)}`);
  }

  private async castOverSocket(
    token: string,
    selections: Record<string, string[]>,
    key: string,
  ): Promise<{ receipt?: string; replayed?: boolean; retryAfterMs?: number }> {
    const socket: VoterSocket = io(this.baseUrl, {
      forceNew: true,
      reconnection: false,
      transports: ['websocket'],
      query: { cid: randomUUID() },
      auth: { token },
    });
    try {
      // A socket that cannot connect (its node restarting) is retried like a refused request;
      // without this wait the emit sat buffered until the 15 s ack timeout.
      const connected = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 5_000);
        socket.once('connect', () => (clearTimeout(timer), resolve(true)));
        socket.once('connect_error', () => (clearTimeout(timer), resolve(false)));
      });
      if (!connected) {
        this.count('socket connect_error');
        return { retryAfterMs: 300 };
      }
      const t0 = Date.now();
      const ack: BallotCastAck = await socket.timeout(15_000).emitWithAck('ballot:cast', {
        electionId: this.election.id,
        selections,
        idempotencyKey: key,
      });
      if (ack.ok) {
        this.count('socket ok');
        return { receipt: ack.receipt, replayed: ack.replayed === true };
      }
      this.count(`socket ${ack.error.code}`);
      if (ack.error.code === 'master_unavailable') {
        this.stats.slowestRefusalMs = Math.max(this.stats.slowestRefusalMs, Date.now() - t0);
      }
      const after = (ack.error.details as { retryAfterSeconds?: number } | undefined)
        ?.retryAfterSeconds;
      if (
        ['master_unavailable', 'unavailable', 'rate_limited', 'internal'].includes(ack.error.code)
      ) {
        return { retryAfterMs: after ? after * 1000 : 300 };
      }
      throw new Error(`ballot refused for cause: ${JSON.stringify(ack.error)}`);
    } finally {
      socket.disconnect();
    }
  }
}

/** `n` live viewers through nginx, each joined (its snapshot received). */
export async function watchers(drill: Drill, n = 12): Promise<LiveViewer[]> {
  const viewers = await connectViewers(drill.stack.baseUrl, drill.election.id, n);
  await Promise.all(viewers.map((v) => v.ready()));
  return viewers;
}

export interface DrillReport {
  drill: string;
  acked: number;
  counted: number;
  lost: number;
  duplicated: number;
  gaveUp: number;
  recoverMs: number | null;
  viewersBackwards: number;
  answers: Record<string, number>;
  [extra: string]: unknown;
}

const results = (drill: Drill): Promise<Results> =>
  requestJson<Results>(`${drill.stack.baseUrl}/api/elections/${drill.election.id}/results`);

/**
 * The end of every drill: stops the load, then compares what was acknowledged with what the
 * master holds (receipt by receipt), waits for the public results and every viewer to show the
 * acknowledged total, and runs the audit recount. Prints the report and returns it.
 */
export async function settle(
  name: string,
  drill: Drill,
  load: BallotLoad,
  viewers: LiveViewer[],
  extra: Record<string, unknown> = {},
): Promise<DrillReport & { audit: AuditReport; viewerTotals: number[] }> {
  const stats = await load.stop();
  const rows = await drill.stack.masterQuery(
    `SELECT receipt FROM tallyboard.ballots WHERE election_id = '${drill.election.id}'`,
  );
  const stored = new Map<string, number>();
  for (const r of rows) stored.set(r.receipt!, (stored.get(r.receipt!) ?? 0) + 1);
  const acked = [...load.receipts.keys()];
  const lost = acked.filter((r) => !stored.has(r)).length;
  const duplicated =
    [...stored].reduce((n, [r, times]) => n + (load.receipts.has(r) ? times - 1 : times), 0) +
    [...load.receipts.values()].reduce((n, times) => n + times - 1, 0);
  await until(`results at ${acked.length} ballots`, 60_000, async () =>
    (await results(drill)).ballots === acked.length ? true : undefined,
  );
  const viewerTotals = await until('every viewer at the final tally', 60_000, () => {
    const totals = viewers.map((v) => v.latest?.ballots ?? -1);
    return totals.every((t) => t === acked.length) ? totals : undefined;
  }).catch(() => viewers.map((v) => v.latest?.ballots ?? -1));
  const audit = await requestJson<AuditReport>(
    `${drill.stack.baseUrl}/api/elections/${drill.election.id}/audit`,
    { token: drill.admin.token },
  );
  const report = {
    drill: name,
    acked: acked.length,
    counted: rows.length,
    lost,
    duplicated,
    gaveUp: stats.gaveUp,
    recoverMs: null,
    viewersBackwards: viewers.reduce((n, v) => n + v.backwards, 0),
    answers: stats.answers,
    ...extra,
    audit,
    viewerTotals,
  };
  console.log(
    `[drill] ${JSON.stringify({
      ...report,
      audit: undefined,
      viewerTotals: undefined,
      viewers: spread(viewers),
      viewersConnected: viewers.filter((v) => v.socket.connected).length,
      viewerDisconnects: viewers.reduce((n, v) => n + v.disconnects, 0),
    })}`,
  );
  return report;
}

/** The assertions every drill ends with. */
export function expectSettled(r: Awaited<ReturnType<typeof settle>>): void {
  expect({ lost: r.lost, duplicated: r.duplicated, gaveUp: r.gaveUp }).toEqual({
    lost: 0,
    duplicated: 0,
    gaveUp: 0,
  });
  expect(r.counted).toBe(r.acked);
  expect(r.acked).toBeGreaterThan(0);
  expect(r.audit).toMatchObject({ match: true, ballots: r.acked, mismatches: [] });
  expect(r.viewerTotals.every((t) => t === r.acked)).toBe(true);
}

/**
 * Samples what every viewer shows (its newest results' ballot count) and the public results
 * through nginx every `everyMs`, counting each time either moved backwards. Call the returned
 * function to stop it and read the counts.
 */
export function watchMonotonic(
  drill: Drill,
  viewers: LiveViewer[],
  everyMs = 250,
): () => { viewerDrops: number; resultDrops: number; samples: number } {
  const shown = viewers.map(() => 0);
  let lastResults = 0;
  let viewerDrops = 0;
  let resultDrops = 0;
  let samples = 0;
  let busy = false;
  const timer = setInterval(() => {
    samples++;
    viewers.forEach((v, i) => {
      const now = v.latest?.ballots ?? 0;
      if (now < shown[i]!) viewerDrops++;
      shown[i] = Math.max(shown[i]!, now);
    });
    if (busy) return;
    busy = true;
    results(drill)
      .then((r) => {
        if (r.ballots < lastResults) resultDrops++;
        lastResults = Math.max(lastResults, r.ballots);
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return () => {
    clearInterval(timer);
    return { viewerDrops, resultDrops, samples };
  };
}
