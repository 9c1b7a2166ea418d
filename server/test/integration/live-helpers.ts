// Helpers for the live tests: an admin session, an open election, voter tokens, ballots cast at a
// steady rate through the nodes directly, and viewers that record every tally they receive.
import { randomUUID } from 'node:crypto';
import type {
  BallotCastAck,
  ClientToServerEvents,
  Election,
  JoinAck,
  PresenceEvent,
  ServerToClientEvents,
  Tally,
} from '@tallyboard/shared';
import { io, type Socket } from 'socket.io-client';
import type { TestStack } from '../support';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A non-2xx answer, with its status (a network failure throws fetch's own error instead). */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function api<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
  const text = await res.text();
  if (!res.ok) {
    throw new HttpStatusError(res.status, `${init.method ?? 'GET'} ${url} → ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function adminToken(stack: TestStack): Promise<string> {
  const r = await api<{ token: string }>(`${stack.baseUrl}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify(stack.admin),
  });
  return r.token;
}

/** An open election with one position of three candidates and the given visibility. */
export async function openElection(
  stack: TestStack,
  token: string,
  resultsVisibility: 'live' | 'after_close' | 'admin_only' = 'live',
): Promise<Election> {
  const e = await api<Election>(`${stack.baseUrl}/api/elections`, {
    method: 'POST',
    token,
    body: JSON.stringify({
      title: `live ${randomUUID().slice(0, 8)}`,
      access: 'open',
      resultsVisibility,
      positions: [
        {
          title: 'Chair',
          maxSelections: 1,
          winners: 1,
          candidates: [{ name: 'Ada' }, { name: 'Grace' }, { name: 'Edsger' }],
        },
      ],
    }),
  });
  await api(`${stack.baseUrl}/api/elections/${e.id}/open`, { method: 'POST', token });
  return e;
}

export async function voterTokens(stack: TestStack, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, () =>
        api<{ voterToken: string }>(`${stack.baseUrl}/api/voters`, { method: 'POST' }),
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
        await api(`http://127.0.0.1:${port}/api/elections/${election.id}/ballots`, {
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

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const open = new Set<LiveViewer>();

/** Closes every viewer a test left open (call in afterEach), so nothing reconnects after it. */
export function closeAllViewers(): void {
  for (const v of open) v.close();
}

/** A socket.io-client viewer that (re)joins on every connect and records what it sees. */
export class LiveViewer {
  readonly socket: ClientSocket;
  latest: Tally | null = null;
  tallies: Array<{ version: number; at: number }> = [];
  backwards = 0;
  presence: number | null = null;
  joinAcks: JoinAck[] = [];
  disconnects = 0;
  private joined: Promise<JoinAck>;

  constructor(
    baseUrl: string,
    readonly electionId: string,
    token?: string,
  ) {
    this.socket = io(baseUrl, {
      path: '/socket.io/',
      query: { cid: randomUUID() },
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
      ...(token ? { auth: { token } } : {}),
    });
    open.add(this);
    this.socket.on('tally', (t) => {
      if (t.electionId !== electionId) return;
      const last = this.tallies[this.tallies.length - 1];
      if (last && t.version < last.version) this.backwards++;
      this.tallies.push({ version: t.version, at: Date.now() });
      if (!this.latest || t.version >= this.latest.version) this.latest = t;
    });
    this.socket.on('presence', (p: PresenceEvent) => {
      if (p.electionId === electionId) this.presence = p.viewers;
    });
    this.socket.on('disconnect', () => this.disconnects++);
    let resolveFirst!: (a: JoinAck) => void;
    this.joined = new Promise((r) => (resolveFirst = r));
    this.socket.on('connect', () => {
      this.socket.emit('election:join', { electionId }, (ack) => {
        this.joinAcks.push(ack);
        if (ack.ok) {
          this.presence = ack.presence;
          if (ack.results && (!this.latest || ack.results.version >= this.latest.version)) {
            this.latest = ack.results;
          }
        }
        resolveFirst(ack);
      });
    });
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
