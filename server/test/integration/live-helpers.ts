// Helpers for the live tests: voter tokens, ballots cast at a steady rate through the nodes
// directly, and viewers that record every tally they receive. Elections come from
// ../support/elections.
import { randomUUID } from 'node:crypto';
import type { BallotCastAck, Election, JoinAck } from '@tallyboard/shared';
import { LiveClient, type LiveSocket } from '../../../client/src/live/client';
import {
  electionStateHandlers,
  initialElectionLive,
  type ElectionLiveState,
} from '../../../client/src/live/election-state';
import type { LiveResults } from '../../../client/src/tally';
import type { TestStack } from '../support';
import { HttpStatusError, requestJson } from '../support/http';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function voterTokens(stack: TestStack, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, () =>
        requestJson<{ voterToken: string }>(`${stack.baseUrl}/api/voters`, { method: 'POST' }),
      ),
    );
    out.push(...batch.map((b) => b.voterToken));
  }
  return out;
}

export interface CastReport {
  acked: number;
  failed: string[];
  lastAckAt: number;
}

/**
 * Casts one ballot per token at `perSecond`, round-robin over the three nodes' own ports (so
 * commits come from every node), and returns when every ballot is answered. Each ballot carries
 * an Idempotency-Key and, like a real client, is retried on the next node when the answer is lost
 * (a killed node, a 5xx): a ballot that committed just before its node died is then acknowledged
 * once, with its receipt, instead of being counted as failed while the tally shows it.
 */
export async function castAtRate(
  stack: TestStack,
  election: Election,
  tokens: string[],
  perSecond: number,
  onAck?: (n: number) => void,
): Promise<CastReport> {
  const position = election.positions[0]!;
  const nodes = stack.ports.nodes;
  const report: CastReport = { acked: 0, failed: [], lastAckAt: 0 };
  const started = Date.now();
  const pending: Promise<void>[] = [];
  const castOne = async (i: number): Promise<void> => {
    const candidate = position.candidates[i % position.candidates.length]!;
    const key = randomUUID();
    let lastError: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await sleep(150 * attempt);
      const port = nodes[(i + attempt) % nodes.length]!;
      try {
        await requestJson(`http://127.0.0.1:${port}/api/elections/${election.id}/ballots`, {
          method: 'POST',
          token: tokens[i]!,
          headers: { 'Idempotency-Key': key },
          body: JSON.stringify({ selections: { [position.id]: [candidate.id] } }),
        });
        report.acked++;
        report.lastAckAt = Date.now();
        onAck?.(report.acked);
        return;
      } catch (e) {
        lastError = e;
        if (e instanceof HttpStatusError && e.status < 500) break; // refused for cause
      }
    }
    report.failed.push(String(lastError));
  };
  for (let i = 0; i < tokens.length; i++) {
    const wait = started + (i * 1000) / perSecond - Date.now();
    if (wait > 0) await sleep(wait);
    pending.push(castOne(i));
  }
  await Promise.all(pending);
  return report;
}

const open = new Set<LiveViewer>();

/** Closes every viewer a test left open (call in afterEach), so nothing reconnects after it. */
export function closeAllViewers(): void {
  for (const v of open) v.close();
}

/**
 * A viewer on the browser's own client and rules (LiveClient re-joins on every connect, results
 * keep the newest version) that also records every tally as it arrives, to check the wire.
 */
export class LiveViewer {
  readonly live: LiveClient;
  /** What a page showing this election would show. */
  state: ElectionLiveState = initialElectionLive;
  tallies: Array<{ version: number; at: number }> = [];
  backwards = 0;
  joinAcks: JoinAck[] = [];
  disconnects = 0;
  private readonly joined: Promise<JoinAck>;

  constructor(
    baseUrl: string,
    readonly electionId: string,
    token?: string,
  ) {
    this.live = new LiveClient({
      url: baseUrl,
      cid: randomUUID(),
      token: () => token ?? null,
      socket: { forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 },
    });
    open.add(this);
    this.socket.on('disconnect', () => this.disconnects++);
    let resolveFirst!: (a: JoinAck) => void;
    this.joined = new Promise((r) => (resolveFirst = r));
    const answered = (ack: JoinAck): void => {
      this.joinAcks.push(ack);
      resolveFirst(ack);
    };
    const fold = electionStateHandlers((update) => (this.state = update(this.state)));
    this.live.watch(electionId, {
      ...fold,
      snapshot: (ack) => {
        fold.snapshot(ack);
        answered(ack);
      },
      error: (error) => {
        fold.error(error);
        answered({ ok: false, error });
      },
      tally: (t) => {
        const last = this.tallies[this.tallies.length - 1];
        if (last && t.version < last.version) this.backwards++;
        this.tallies.push({ version: t.version, at: Date.now() });
        fold.tally(t);
      },
    });
  }

  get socket(): LiveSocket {
    return this.live.socket;
  }

  /** The newest results seen. */
  get latest(): LiveResults | null {
    return this.state.results;
  }

  get presence(): number | null {
    return this.state.viewers;
  }

  ready(): Promise<JoinAck> {
    return this.joined;
  }

  /** Ballot over the socket: the same rules as REST. */
  cast(selections: Record<string, string[]>, idempotencyKey?: string): Promise<BallotCastAck> {
    return new Promise((resolve) =>
      this.socket.emit(
        'ballot:cast',
        { electionId: this.electionId, selections, ...(idempotencyKey ? { idempotencyKey } : {}) },
        resolve,
      ),
    );
  }

  /** Tally messages per second over the span they arrived in. */
  rate(): number {
    if (this.tallies.length < 2) return 0;
    const span = this.tallies[this.tallies.length - 1]!.at - this.tallies[0]!.at;
    return (this.tallies.length - 1) / Math.max(span / 1000, 0.001);
  }

  close(): void {
    open.delete(this);
    this.socket.disconnect();
  }
}

export async function connectViewers(
  baseUrl: string,
  electionId: string,
  n: number,
): Promise<LiveViewer[]> {
  const viewers: LiveViewer[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from(
      { length: Math.min(50, n - i) },
      () => new LiveViewer(baseUrl, electionId),
    );
    await Promise.all(batch.map((v) => v.ready()));
    viewers.push(...batch);
  }
  return viewers;
}

/** How many viewers hold each latest ballot count, for failure messages. */
export function spread(viewers: LiveViewer[]): string {
  const counts = new Map<string, number>();
  for (const v of viewers) {
    const k = String(v.latest?.ballots ?? 'none');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n}×${k}`).join(', ');
}

/**
 * The gauges the leader reports on /metrics, by name (the other nodes publish no tallies, so
 * theirs say nothing of the budget or the interval in force).
 */
export async function leaderGauges(stack: TestStack, names: string[]): Promise<number[]> {
  for (const port of stack.ports.nodes) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (!/^tallyboard_live_leader 1$/m.test(text)) continue;
    return names.map((name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]));
  }
  throw new Error('no node leads');
}

/** Resolves with the time it took once `check` holds, or rejects after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 10,
  detail?: () => string,
): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (check()) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms: ${what}${detail ? ` (${detail()})` : ''}`);
    }
    await sleep(everyMs);
  }
}
