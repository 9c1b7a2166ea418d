// Helpers for the bad-input and hostile suites: raw HTTP that never throws on a status, raw
// sockets, an admin session, elections to aim at, row counts of every table, and a way to give
// the caller's address its lookup budget back (the suites share one stack with other files).
import { randomUUID } from 'node:crypto';
import type { ClientToServerEvents, Election, ServerToClientEvents } from '@tallyboard/shared';
import { io, type Socket } from 'socket.io-client';
import type { TestStack } from '../support';

export interface Answer {
  status: number;
  text: string;
  body: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
  headers: Headers;
}

export interface RawRequest {
  token?: string;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request through nginx; any status comes back, the body parsed when it is JSON. */
export async function send(
  stack: TestStack,
  method: string,
  path: string,
  opts: RawRequest = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(opts.headers ?? {}),
  };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  const res = await fetch(`${stack.baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = text ? (JSON.parse(text) as Answer['body']) : {};
  } catch {
    parsed = {};
  }
  return { status: res.status, text, body: parsed, headers: res.headers };
}

export async function login(stack: TestStack): Promise<string> {
  const r = await send(stack, 'POST', '/api/auth/login', { body: stack.admin });
  if (r.status !== 200) throw new Error(`admin login → ${r.status} ${r.text}`);
  return r.body.token as string;
}

export async function voterToken(stack: TestStack): Promise<string> {
  const r = await send(stack, 'POST', '/api/voters');
  if (r.status !== 201) throw new Error(`voter token → ${r.status} ${r.text}`);
  return r.body.voterToken as string;
}

/** A valid election body: two positions of two candidates each. */
export function electionInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `hostile ${randomUUID().slice(0, 8)}`,
    access: 'open',
    resultsVisibility: 'live',
    positions: [
      { title: 'A', maxSelections: 1, winners: 1, candidates: [{ name: 'x' }, { name: 'y' }] },
      { title: 'B', maxSelections: 1, winners: 1, candidates: [{ name: 'z' }, { name: 'w' }] },
    ],
    ...overrides,
  };
}

/** Creates an election as the admin and moves it to `status` (draft, open or closed). */
export async function makeElection(
  stack: TestStack,
  admin: string,
  status: 'draft' | 'open' | 'closed',
  overrides: Record<string, unknown> = {},
): Promise<Election> {
  const r = await send(stack, 'POST', '/api/elections', {
    token: admin,
    body: electionInput(overrides),
  });
  if (r.status !== 201) throw new Error(`create election → ${r.status} ${r.text}`);
  const e = r.body as unknown as Election;
  if (status !== 'draft')
    await send(stack, 'POST', `/api/elections/${e.id}/open`, { token: admin });
  if (status === 'closed') {
    await send(stack, 'POST', `/api/elections/${e.id}/close`, { token: admin });
  }
  return e;
}

export type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected socket through nginx (WebSocket only), with `token` when given. */
export async function connect(stack: TestStack, token?: string): Promise<RawSocket> {
  const socket: RawSocket = io(stack.baseUrl, {
    path: '/socket.io/',
    query: { cid: randomUUID() },
    forceNew: true,
    transports: ['websocket'],
    reconnection: false,
    ...(token ? { auth: { token } } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
  return socket;
}

/** Emits an event with an ack and waits for it (untyped on purpose: the payloads are hostile). */
export function emitAck(socket: RawSocket, event: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event}: no ack in 10 s`)), 10_000);
    (socket.emit as (ev: string, p: unknown, ack: (a: unknown) => void) => void)(
      event,
      payload,
      (ack) => {
        clearTimeout(timer);
        resolve(ack);
      },
    );
  });
}

/** Rows per table of the application's database on the master. */
export async function rowCounts(stack: TestStack): Promise<Record<string, number>> {
  const tables = await stack.masterQuery(
    `SELECT table_name AS t FROM information_schema.tables
     WHERE table_schema = 'tallyboard' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const names = tables.map((r) => r.t as string);
  const rows = await stack.masterQuery(
    `SELECT ${names.map((n) => `(SELECT COUNT(*) FROM tallyboard.\`${n}\`) AS \`${n}\``).join(', ')}`,
  );
  return Object.fromEntries(names.map((n) => [n, Number(rows[0]?.[n] ?? 0)]));
}

/**
 * Forgets the lookup-miss budgets spent so far (every address), so a suite that spends them on
 * purpose leaves the next file the same budget it would have had.
 */
export async function resetLookupBudgets(stack: TestStack): Promise<void> {
  // Through the harness's redis-cli (password in REDISCLI_AUTH): redis-cli 7 refuses a URL with
  // an empty user name and a password.
  const stdout = await stack.redisCli('--scan', '--pattern', 'tb:rl:lookupMisses*');
  const keys = stdout.split('\n').filter(Boolean);
  if (keys.length) await stack.redisCli('DEL', ...keys);
}
