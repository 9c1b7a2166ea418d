// Sessions against the real stack behind nginx: a page on another site (or another port of this
// host) cannot act with the session cookie, over REST or a socket; logout and blocking reach open
// sockets on every node; the login limit holds under concurrency and keys on email and address;
// the cookie's Secure flag follows the scheme the browser used, and HTTPS works (TB_TLS=1).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Election, JoinAck, BallotCastAck } from '@tallyboard/shared';
import { io, type Socket } from 'socket.io-client';
import { getStack, type TestStack } from '../support';
import { createElection, openNewElection, signInAdmin } from '../support/elections';

jest.setTimeout(120_000);

const stack: TestStack = getStack();
const EVIL = 'http://evil.example';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** One request with full control of headers, the source address and TLS (no fetch defaults). */
function send(
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; body?: unknown; localAddress?: string } = {},
): Promise<Answer> {
  const u = new URL(url);
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...opts.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method,
        headers,
        localAddress: opts.localAddress,
        agent: false,
        ...(u.protocol === 'https:'
          ? { ca: readFileSync(path.join(stack.dir, 'tls/cert.pem')) }
          : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const api = (p: string): string => `${stack.baseUrl}${p}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cookie = (token: string) => ({ cookie: `tb_session=${token}` });

async function login(email: string, password: string): Promise<{ token: string; userId: string }> {
  const r = await send('POST', api('/api/auth/login'), { body: { email, password } });
  if (r.status !== 200) throw new Error(`login ${email} → ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token as string, userId: (r.body.user as { id: string }).id };
}

/** A fresh voter account (`admin: true` promotes it in the database: a second admin to revoke). */
async function newUser(
  admin = false,
): Promise<{ email: string; password: string; userId: string }> {
  const email = `s-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const r = await send('POST', api('/api/auth/register'), { body: { email, password, name: 'S' } });
  expect(r.status).toBe(201);
  const userId = (r.body.user as { id: string }).id;
  if (admin)
    await stack.masterQuery(`UPDATE tallyboard.users SET role='admin' WHERE id='${userId}'`);
  return { email, password, userId };
}

async function statusOf(adminToken: string, id: string): Promise<string> {
  return (await send('GET', api(`/api/elections/${id}`), { headers: bearer(adminToken) })).body
    .status as string;
}

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

function connect(
  opts: {
    token?: string;
    headers?: Record<string, string>;
    transport?: 'websocket' | 'polling';
  } = {},
): Socket {
  const socket = io(stack.baseUrl, {
    path: '/socket.io/',
    query: { cid: randomUUID() },
    forceNew: true,
    reconnection: false,
    transports: [opts.transport ?? 'websocket'],
    auth: opts.token ? { token: opts.token } : {},
    extraHeaders: opts.headers,
  });
  sockets.push(socket);
  return socket;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
}

const join = (socket: Socket, electionId: string): Promise<JoinAck> =>
  socket.timeout(10_000).emitWithAck('election:join', { electionId }) as Promise<JoinAck>;

let admin: string;
beforeAll(async () => {
  admin = (await signInAdmin(stack)).token;
});

describe('cross-site requests with the session cookie (CSRF)', () => {
  let election: Election;
  beforeEach(async () => {
    election = await openNewElection({ baseUrl: stack.baseUrl, token: admin });
  });
  const close = (headers: Record<string, string>) =>
    send('POST', api(`/api/elections/${election.id}/close`), { headers });

  it('refuses a close from another site, another port of this host, or Origin null', async () => {
    const refused: Record<string, string>[] = [
      { origin: EVIL, 'sec-fetch-site': 'cross-site' },
      { origin: EVIL },
      { origin: `http://127.0.0.1:${stack.ports.nginx + 1}`, 'sec-fetch-site': 'same-site' },
      { origin: `http://127.0.0.1:${stack.ports.nginx + 1}` },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const h of refused) {
      const r = await close({ ...h, ...cookie(admin) });
      expect([JSON.stringify(h), r.status, r.body.error?.code]).toEqual([
        JSON.stringify(h),
        403,
        'forbidden',
      ]);
    }
    expect(await statusOf(admin, election.id)).toBe('open');
  });

  it('refuses body-less logout and account changes from another site, keeping the session', async () => {
    const victim = await newUser();
    const session = await login(victim.email, victim.password);
    const evil = { origin: EVIL, 'sec-fetch-site': 'cross-site' };
    expect(
      (
        await send('POST', api('/api/auth/logout'), {
          headers: { ...evil, ...cookie(session.token) },
        })
      ).status,
    ).toBe(403);
    expect(
      (await send('GET', api('/api/auth/me'), { headers: cookie(session.token) })).status,
    ).toBe(200);
    const block = await send('PATCH', api(`/api/users/${victim.userId}`), {
      headers: { ...evil, ...cookie(admin) },
      body: { blocked: true },
    });
    expect(block.status).toBe(403);
    const del = await send('DELETE', api(`/api/elections/${election.id}`), {
      headers: { ...evil, ...cookie(admin) },
    });
    expect(del.status).toBe(403);
    // Login CSRF: signing a victim's browser into another account.
    const signIn = await send('POST', api('/api/auth/login'), {
      headers: evil,
      body: { email: victim.email, password: victim.password },
    });
    expect(signIn.status).toBe(403);
  });

  it('accepts our own pages, listed origins, Bearer tokens and non-browser clients', async () => {
    const own = stack.baseUrl;
    const listed = `http://localhost:${stack.ports.client}`; // PUBLIC_ORIGINS from stack.sh
    const other = await openNewElection({ baseUrl: stack.baseUrl, token: admin });
    const draft = await createElection({ baseUrl: stack.baseUrl, token: admin });
    // The browser's own fetch: same-origin, with or without Sec-Fetch-Site (plain HTTP to a LAN
    // address sends only Origin).
    expect(
      (await close({ origin: own, 'sec-fetch-site': 'same-origin', ...cookie(admin) })).status,
    ).toBe(200);
    const openDraft = await send('POST', api(`/api/elections/${draft.id}/open`), {
      headers: { origin: own, ...cookie(admin) },
    });
    expect(openDraft.status).toBe(200);
    // An address the operator did not list (a LAN address, a name): the request's own origin,
    // port included, as nginx forwards it.
    const lan = `tallyboard.test:${stack.ports.nginx}`;
    const otherPort = `http://tallyboard.test:${stack.ports.nginx + 1}`;
    const fromLan = (origin: string) =>
      send('POST', api('/api/voters'), { headers: { host: lan, origin, ...cookie(admin) } });
    expect((await fromLan(`http://${lan}`)).status).toBe(201);
    expect((await fromLan(otherPort)).status).toBe(403);
    const closeListed = await send('POST', api(`/api/elections/${other.id}/close`), {
      headers: { origin: listed, 'sec-fetch-site': 'same-site', ...cookie(admin) },
    });
    expect(closeListed.status).toBe(200);
    // Bearer from anywhere; curl with a cookie and no browser headers.
    const viaBearer = await send('POST', api(`/api/elections/${draft.id}/close`), {
      headers: { origin: EVIL, 'sec-fetch-site': 'cross-site', ...bearer(admin) },
    });
    expect(viaBearer.status).toBe(200);
    const viaCurl = await send('POST', api('/api/voters'), { headers: cookie(admin) });
    expect(viaCurl.status).toBe(201);
  });
});

describe('cross-site WebSocket hijacking', () => {
  it.each(['websocket', 'polling'] as const)(
    'gives a %s handshake from another origin no admin rights from the cookie',
    async (transport) => {
      const election = await openNewElection(
        { baseUrl: stack.baseUrl, token: admin },
        { resultsVisibility: 'admin_only' },
      );
      const hijack = connect({ transport, headers: { origin: EVIL, ...cookie(admin) } });
      await connected(hijack);
      const tallies: unknown[] = [];
      hijack.on('tally', (t) => tallies.push(t));
      const ack = await join(hijack, election.id);
      expect(ack).toMatchObject({ ok: true, results: null });

      // The same cookie from our own page is the admin, and sees the results.
      const own = connect({ transport, headers: { origin: stack.baseUrl, ...cookie(admin) } });
      await connected(own);
      const ownAck = await join(own, election.id);
      expect(ownAck.ok && ownAck.results).toMatchObject({ ballots: 0 });
      const ownTallies: unknown[] = [];
      own.on('tally', (t) => ownTallies.push(t));

      const voter = (await send('POST', api('/api/voters'))).body.voterToken as string;
      const position = election.positions[0]!;
      const cast = await send('POST', api(`/api/elections/${election.id}/ballots`), {
        headers: bearer(voter),
        body: { selections: { [position.id]: [position.candidates[0]!.id] } },
      });
      expect(cast.status).toBe(201);
      for (let i = 0; i < 50 && ownTallies.length === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(ownTallies.length).toBeGreaterThan(0);
      expect(tallies).toEqual([]);
    },
  );

  it('still accepts auth.token from any origin', async () => {
    const election = await openNewElection(
      { baseUrl: stack.baseUrl, token: admin },
      { resultsVisibility: 'admin_only' },
    );
    const s = connect({ token: admin, headers: { origin: EVIL } });
    await connected(s);
    const ack = await join(s, election.id);
    expect(ack.ok && ack.results).toMatchObject({ ballots: 0 });
  });
});

describe('revocation reaches open sockets on every node', () => {
  /** Sockets on several nodes (random cids), by token and by cookie, each joined to `electionId`. */
  async function openSockets(
    token: string,
    electionId: string,
  ): Promise<{ sockets: Socket[]; closed: string[] }> {
    const list = [
      ...Array.from({ length: 4 }, () => connect({ token })),
      ...Array.from({ length: 2 }, () => connect({ headers: cookie(token) })),
    ];
    const closed: string[] = [];
    await Promise.all(list.map(connected));
    for (const s of list) {
      s.on('disconnect', (reason) => closed.push(reason));
      const ack = await join(s, electionId);
      expect(ack.ok).toBe(true);
    }
    return { sockets: list, closed };
  }

  async function allClosed(closed: string[], n: number): Promise<void> {
    for (let i = 0; i < 50 && closed.length < n; i++) await new Promise((r) => setTimeout(r, 100));
    expect(closed).toEqual(Array(n).fill('io server disconnect'));
  }

  it('closes a blocked voter’s sockets: no more joins or ballots', async () => {
    const user = await newUser();
    const { token } = await login(user.email, user.password);
    const election = await openNewElection(
      { baseUrl: stack.baseUrl, token: admin },
      { access: 'accounts' },
    );
    const { sockets: open, closed } = await openSockets(token, election.id);

    const block = await send('PATCH', api(`/api/users/${user.userId}`), {
      headers: bearer(admin),
      body: { blocked: true },
    });
    expect(block.status).toBe(200);
    await allClosed(closed, open.length);

    // A new socket with the revoked token is refused; with the cookie it is anonymous.
    const again = connect({ token });
    await expect(connected(again)).rejects.toMatchObject({ message: 'unauthorized' });
    const byCookie = connect({ headers: cookie(token) });
    await connected(byCookie);
    const position = election.positions[0]!;
    const ballot = (await byCookie.timeout(10_000).emitWithAck('ballot:cast', {
      electionId: election.id,
      selections: { [position.id]: [position.candidates[0]!.id] },
    })) as BallotCastAck;
    expect(ballot).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await join(byCookie, election.id)).ok).toBe(false);
  });

  it('closes an admin’s sockets at logout, admin-room tallies included', async () => {
    const second = await newUser(true);
    const { token } = await login(second.email, second.password);
    const election = await openNewElection(
      { baseUrl: stack.baseUrl, token: admin },
      { resultsVisibility: 'admin_only' },
    );
    const { sockets: open, closed } = await openSockets(token, election.id);
    expect((await send('POST', api('/api/auth/logout'), { headers: bearer(token) })).status).toBe(
      204,
    );
    await allClosed(closed, open.length);
    expect(open.every((s) => !s.connected)).toBe(true);
  });
});

describe('login limit', () => {
  const attempt = (email: string, password: string, localAddress: string) =>
    send('POST', api('/api/auth/login'), { body: { email, password }, localAddress });

  it('lets exactly 10 of 25 concurrent wrong guesses through (spent before the check)', async () => {
    const user = await newUser();
    const guesses = await Promise.all(
      Array.from({ length: 25 }, () => attempt(user.email, 'wrong-guess', '127.0.0.2')),
    );
    const counts: Record<number, number> = {};
    for (const g of guesses) counts[g.status] = (counts[g.status] ?? 0) + 1;
    expect(counts).toEqual({ 401: 10, 429: 15 });
  });

  it("keeps a stranger's guesses from locking the owner out from another address", async () => {
    const user = await newUser();
    for (let i = 0; i < 12; i++) await attempt(user.email, 'wrong-guess', '127.0.0.3');
    expect((await attempt(user.email, user.password, '127.0.0.1')).status).toBe(200);
    // The guessing address stays limited, even with the right password (and another case).
    const stranger = await attempt(user.email.toUpperCase(), user.password, '127.0.0.3');
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('session cookie and HTTPS', () => {
  it('sets a cookie a plain-HTTP browser keeps (no Secure), in production mode', async () => {
    const user = await newUser();
    const r = await send('POST', api('/api/auth/login'), {
      body: { email: user.email, password: user.password },
    });
    expect(r.status).toBe(200);
    const setCookie = String(r.headers['set-cookie']);
    expect(setCookie).toMatch(/tb_session=.*HttpOnly/i);
    expect(setCookie).not.toMatch(/;\s*Secure/i);
  });

  it('serves HTTPS with the generated certificate and marks the cookie Secure there', async () => {
    const user = await newUser();
    const base = `https://127.0.0.1:${stack.ports.tls}`;
    const r = await send('POST', `${base}/api/auth/login`, {
      headers: { origin: base, 'sec-fetch-site': 'same-origin' },
      body: { email: user.email, password: user.password },
    });
    expect(r.status).toBe(200);
    expect(String(r.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    // The HTTPS origin is our own page there: a cookie-authenticated change from it works.
    const token = r.body.token as string;
    const logout = await send('POST', `${base}/api/auth/logout`, {
      headers: { origin: base, ...cookie(token) },
    });
    expect(logout.status).toBe(204);
  });

  it('does not believe X-Forwarded-Proto from a client that is not the proxy', async () => {
    const user = await newUser();
    const r = await send('POST', api('/api/auth/login'), {
      headers: { 'x-forwarded-proto': 'https' },
      body: { email: user.email, password: user.password },
    });
    // nginx overwrites the header with its own scheme: plain HTTP.
    expect(String(r.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
  });
});
