// A drill's steady ballot load that retries like a real client: one Idempotency-Key per ballot,
// retried on 5xx, 429 and network errors, honouring Retry-After; some over REST, some over a
// socket ack. It records when each ballot was acknowledged, so a drill can say how long voting
// paused.
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import type {
  BallotCastAck,
  ClientToServerEvents,
  Election,
  ServerToClientEvents,
} from '@tallyboard/shared';
import type { Socket } from 'socket.io-client';
import { sleep, until } from './drill-stack';
import { requestJson } from './http';

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

  /** Waits until `n` more ballots than now are acknowledged (`what` names the wait). */
  async acknowledged(n: number, what: string, ms = 120_000): Promise<void> {
    const target = this.stats.acked + n;
    await until(what, ms, () => (this.stats.acked >= target ? true : undefined));
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
