// The admin console's server side against the real stack behind nginx: allowlisted `accounts`
// elections, "you have voted" before the ballot, account management (search, block, roles with the
// last-admin guard, temporary passwords, deletion that keeps participation) and elections in the
// console (duplicate, unschedule, scheduled edits, delete rules).
import { randomUUID } from 'node:crypto';
import type { BallotCastAck, Election, JoinAck, VoterStanding } from '@tallyboard/shared';
import { io, type Socket } from 'socket.io-client';
import { getStack, type TestStack } from '../support';
import { electionInput, signInAdmin, type ElectionSpec } from '../support/elections';

jest.setTimeout(120_000);

const stack: TestStack = getStack();

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

async function call(
  method: string,
  path: string,
  opts: { token?: string; cookie?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = `tb_session=${opts.cookie}`;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/** [status, error code] of an answer, for one-line expectations. */
const outcome = (a: Answer): [number, string | undefined] => [a.status, a.body.error?.code];

let admin: string;
let adminId: string;
beforeAll(async () => {
  admin = (await signInAdmin(stack)).token;
  adminId = ((await call('GET', '/api/auth/me', { token: admin })).body.user as { id: string }).id;
});

const tag = (): string => randomUUID().slice(0, 8);

interface Account {
  email: string;
  password: string;
  userId: string;
  token: string;
}

async function register(email = `a-${tag()}@example.test`, name = 'Voter'): Promise<Account> {
  const password = `pw-${randomUUID()}`;
  const r = await call('POST', '/api/auth/register', { body: { email, password, name } });
  expect(r.status).toBe(201);
  return {
    email,
    password,
    userId: (r.body.user as { id: string }).id,
    token: r.body.token as string,
  };
}

async function login(email: string, password: string): Promise<Answer> {
  return call('POST', '/api/auth/login', { body: { email, password } });
}

/** A draft from `spec` (anonymitySet 1: ballots commit at once) with extra fields. */
async function draft(spec: ElectionSpec = {}, extra: Record<string, unknown> = {}) {
  const r = await call('POST', '/api/elections', {
    token: admin,
    body: { ...electionInput(spec), anonymitySet: 1, ...extra },
  });
  expect(r.status).toBe(201);
  return r.body as unknown as Election;
}

async function opened(spec: ElectionSpec = {}, extra: Record<string, unknown> = {}) {
  const e = await draft(spec, extra);
  expect((await call('POST', `/api/elections/${e.id}/open`, { token: admin })).status).toBe(200);
  return e;
}

const firstChoice = (e: Election) => {
  const p = e.positions[0]!;
  return { [p.id]: [p.candidates[0]!.id] };
};

const vote = (e: Election, token: string): Promise<Answer> =>
  call('POST', `/api/elections/${e.id}/ballots`, {
    token,
    body: { selections: firstChoice(e) },
  });

const standing = async (e: Election, token?: string): Promise<VoterStanding> => {
  const r = await call('GET', `/api/elections/${e.id}/me`, { token });
  expect(r.status).toBe(200);
  return r.body as unknown as VoterStanding;
};

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

function connect(token: string): Promise<Socket> {
  const socket = io(stack.baseUrl, {
    path: '/socket.io/',
    query: { cid: randomUUID() },
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    auth: { token },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => reject(e));
  });
}

const join = (s: Socket, electionId: string): Promise<JoinAck> =>
  s.timeout(10_000).emitWithAck('election:join', { electionId }) as Promise<JoinAck>;

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  for (let waited = 0; !check() && waited < ms; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('accounts elections with an allowlist', () => {
  it('admits listed addresses and domains, refuses others with not_on_allowlist', async () => {
    const domain = `school-${tag()}.test`;
    const listed = await register(`Listed-${tag()}@Example.test`);
    const ofDomain = await register(`student-${tag()}@${domain.toUpperCase()}`);
    const outsider = await register(`outsider-${tag()}@elsewhere.test`);
    const subdomain = await register(`x-${tag()}@cs.${domain}`);
    const e = await opened(
      { access: 'accounts' },
      { allowlist: [` ${listed.email.toUpperCase()} `, `@${domain}`, `@${domain}`] },
    );

    // Stored normalised and once; shown to admins only.
    const asAdmin = await call('GET', `/api/elections/${e.id}`, { token: admin });
    expect(asAdmin.body.allowlist).toEqual([`@${domain}`, listed.email.toLowerCase()].sort());
    const asVoter = await call('GET', `/api/elections/${e.id}`, { token: listed.token });
    expect(asVoter.status).toBe(200);
    expect(asVoter.body).not.toHaveProperty('allowlist');

    for (const refused of [outsider, subdomain]) {
      expect(await standing(e, refused.token)).toMatchObject({
        canVote: false,
        reason: 'not_on_allowlist',
        voted: false,
      });
      const r = await vote(e, refused.token);
      expect(outcome(r)).toEqual([403, 'not_on_allowlist']);
    }
    for (const admitted of [listed, ofDomain]) {
      expect(await standing(e, admitted.token)).toMatchObject({ canVote: true, reason: null });
      expect((await vote(e, admitted.token)).status).toBe(201);
    }
    const results = await call('GET', `/api/elections/${e.id}/results`, { token: admin });
    expect(results.body.ballots).toBe(2);

    // The socket path takes the same check.
    const s = await connect(outsider.token);
    expect((await join(s, e.id)).ok).toBe(true);
    const ack = (await s.timeout(10_000).emitWithAck('ballot:cast', {
      electionId: e.id,
      selections: firstChoice(e),
    })) as BallotCastAck;
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_on_allowlist' } });
  });

  it('refuses bad entries and allowlists outside accounts elections, and edits them', async () => {
    const bad = await call('POST', '/api/elections', {
      token: admin,
      body: { ...electionInput({ access: 'accounts' }), allowlist: ['ok@x.test', 'not-an-email'] },
    });
    expect(outcome(bad)).toEqual([422, 'invalid']);
    expect(JSON.stringify(bad.body.error)).toContain('allowlist.1');
    const onOpen = await call('POST', '/api/elections', {
      token: admin,
      body: { ...electionInput({ access: 'open' }), allowlist: ['@x.test'] },
    });
    expect(outcome(onOpen)).toEqual([422, 'invalid']);

    const e = await draft({ access: 'accounts' }, { allowlist: ['@a.test'] });
    const patched = await call('PATCH', `/api/elections/${e.id}`, {
      token: admin,
      body: { allowlist: ['@b.test', 'c@d.test'] },
    });
    expect(patched.body.allowlist).toEqual(['@b.test', 'c@d.test']);
    // Another access mode drops the list.
    const toOpen = await call('PATCH', `/api/elections/${e.id}`, {
      token: admin,
      body: { access: 'open' },
    });
    expect(toOpen.body.allowlist).toEqual([]);
    const refused = await call('PATCH', `/api/elections/${e.id}`, {
      token: admin,
      body: { allowlist: ['@b.test'] },
    });
    expect(outcome(refused)).toEqual([422, 'invalid']);
  });
});

describe('"you have voted" before the ballot', () => {
  it('tells each voter right after their ballot, whichever node answers', async () => {
    const e = await opened({ access: 'accounts' });
    const voters = await Promise.all(Array.from({ length: 12 }, () => register()));
    expect(await standing(e)).toMatchObject({ canVote: false, reason: 'sign_in_required' });
    for (const v of voters) {
      expect(await standing(e, v.token)).toMatchObject({ canVote: true, voted: false });
    }
    // Each asks at once after its own ballot: never an older answer.
    const after = await Promise.all(
      voters.map(async (v) => {
        expect((await vote(e, v.token)).status).toBe(201);
        return standing(e, v.token);
      }),
    );
    for (const s of after) {
      expect(s).toEqual({
        electionId: e.id,
        status: 'open',
        canVote: false,
        reason: 'already_voted',
        voted: true,
      });
    }
  });

  it('covers socket ballots and anonymous voter tokens, and still says so once closed', async () => {
    const e = await opened({ access: 'open' });
    const voterToken = (await call('POST', '/api/voters')).body.voterToken as string;
    expect(await standing(e)).toMatchObject({ canVote: true, voted: false });
    expect(await standing(e, voterToken)).toMatchObject({ canVote: true, voted: false });
    const s = await connect(voterToken);
    const ack = (await s.timeout(10_000).emitWithAck('ballot:cast', {
      electionId: e.id,
      selections: firstChoice(e),
    })) as BallotCastAck;
    expect(ack.ok).toBe(true);
    expect(await standing(e, voterToken)).toMatchObject({ reason: 'already_voted', voted: true });
    await call('POST', `/api/elections/${e.id}/close`, { token: admin });
    expect(await standing(e, voterToken)).toMatchObject({
      status: 'closed',
      reason: 'already_voted',
    });
    const other = (await call('POST', '/api/voters')).body.voterToken as string;
    expect(await standing(e, other)).toMatchObject({ canVote: false, reason: 'not_open' });
  });

  it('speaks for roll voters: code or sign-in, one entry, one answer', async () => {
    const e = await draft({ access: 'roll' });
    const onRoll = await register(`roll-${tag()}@example.test`);
    const offRoll = await register();
    const added = await call('POST', `/api/elections/${e.id}/roll`, {
      token: admin,
      body: {
        voters: [
          { ref: 'R-1', name: 'Ada', email: onRoll.email },
          { ref: 'R-2', name: 'Grace' },
        ],
      },
    });
    expect(added.body).toMatchObject({ added: 2 });
    const codes = await call('POST', `/api/elections/${e.id}/roll/codes`, {
      token: admin,
      body: {},
    });
    const codeOf = (ref: string) =>
      (codes.body.codes as Array<{ ref: string; code: string }>).find((c) => c.ref === ref)!.code;
    expect((await call('POST', `/api/elections/${e.id}/open`, { token: admin })).status).toBe(200);
    const exchange = async (ref: string) =>
      (
        await call('POST', `/api/elections/${e.id}/voters`, {
          body: { code: codeOf(ref) },
        })
      ).body.voterToken as string;

    expect(await standing(e)).toMatchObject({ canVote: false, reason: 'code_required' });
    const anonymous = (await call('POST', '/api/voters')).body.voterToken as string;
    expect(await standing(e, anonymous)).toMatchObject({ reason: 'code_required' });
    expect(await standing(e, offRoll.token)).toMatchObject({ reason: 'not_on_roll' });
    expect(await standing(e, onRoll.token)).toMatchObject({ canVote: true, voted: false });

    // R-1 votes with the code; signed in as the same entry, the account sees it voted.
    const r1 = await exchange('R-1');
    expect(await standing(e, r1)).toMatchObject({ canVote: true, voted: false });
    expect((await vote(e, r1)).status).toBe(201);
    expect(await standing(e, r1)).toMatchObject({ reason: 'already_voted', voted: true });
    expect(await standing(e, onRoll.token)).toMatchObject({
      reason: 'already_voted',
      voted: true,
    });
    const r2 = await exchange('R-2');
    expect(await standing(e, r2)).toMatchObject({ canVote: true, reason: null });
  });

  it('hides drafts from voters', async () => {
    const e = await draft();
    const v = await register();
    const r = await call('GET', `/api/elections/${e.id}/me`, { token: v.token });
    expect(outcome(r)).toEqual([404, 'not_found']);
    expect(outcome(await call('GET', '/api/elections/nope/me'))).toEqual([404, 'not_found']);
  });
});

describe('account list and search', () => {
  it('pages through the matches of a search, oldest first, with the total', async () => {
    const t = `Tag${tag()}`;
    const made: Account[] = [];
    for (let i = 0; i < 5; i++)
      made.push(await register(`p${i}-${tag()}@example.test`, `${t} ${i}`));
    const seen: string[] = [];
    for (const offset of [0, 2, 4]) {
      const r = await call('GET', `/api/users?query=${t.toLowerCase()}&offset=${offset}&limit=2`, {
        token: admin,
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ total: 5, offset, limit: 2 });
      seen.push(...(r.body.users as Array<{ id: string }>).map((u) => u.id));
    }
    expect(seen).toEqual(made.map((m) => m.userId));
    const byEmail = await call('GET', `/api/users?query=${encodeURIComponent(made[3]!.email)}`, {
      token: admin,
    });
    expect(byEmail.body).toMatchObject({ total: 1, users: [{ id: made[3]!.userId }] });
    expect((byEmail.body.users as object[])[0]).toMatchObject({
      blocked: false,
      mustChangePassword: false,
      role: 'voter',
    });
    // Wildcards typed in a search are literal.
    const wild = await call('GET', `/api/users?query=${encodeURIComponent(`${t}%`)}`, {
      token: admin,
    });
    expect(wild.body.total).toBe(0);
  });

  it('refuses bad pages and non-admins', async () => {
    for (const q of ['limit=0', 'limit=201', 'offset=-1', 'limit=x', 'query=a&query=b']) {
      expect(outcome(await call('GET', `/api/users?${q}`, { token: admin }))).toEqual([
        422,
        'invalid',
      ]);
    }
    const v = await register();
    expect(outcome(await call('GET', '/api/users', { token: v.token }))).toEqual([
      403,
      'forbidden',
    ]);
  });
});

describe('blocking', () => {
  it('refuses sign-in with account_blocked, ends the token and the socket, and unblocks', async () => {
    const v = await register();
    const e = await opened({ access: 'accounts' });
    const s = await connect(v.token);
    expect((await join(s, e.id)).ok).toBe(true);
    let closed = '';
    s.on('disconnect', (reason) => (closed = reason));

    const block = await call('PATCH', `/api/users/${v.userId}`, {
      token: admin,
      body: { blocked: true },
    });
    expect(block.status).toBe(200);
    expect(block.body).toMatchObject({ id: v.userId, blocked: true });

    const signIn = await login(v.email, v.password);
    expect(signIn.status).toBe(403);
    expect(signIn.body.error).toEqual({
      code: 'account_blocked',
      message: 'this account is blocked',
    });
    expect(outcome(await call('GET', '/api/auth/me', { token: v.token }))).toEqual([
      403,
      'account_blocked',
    ]);
    expect(outcome(await call('GET', '/api/auth/me', { cookie: v.token }))).toEqual([
      403,
      'account_blocked',
    ]);
    expect(outcome(await vote(e, v.token))).toEqual([403, 'account_blocked']);
    await until(() => closed !== '');
    expect(closed).toBe('io server disconnect');
    await expect(connect(v.token)).rejects.toMatchObject({ message: 'unauthorized' });

    // A wrong password does not learn that the account is blocked.
    expect(outcome(await login(v.email, 'wrong-password'))).toEqual([401, 'unauthorized']);

    const unblock = await call('POST', `/api/users/${v.userId}/unblock`, { token: admin });
    expect(unblock.body).toMatchObject({ blocked: false });
    const again = await login(v.email, v.password);
    expect(again.status).toBe(200);
    // The old session stays ended.
    expect(outcome(await call('GET', '/api/auth/me', { token: v.token }))).toEqual([
      401,
      'unauthorized',
    ]);
    expect((await vote(e, again.body.token as string)).status).toBe(201);
  });
});

describe('roles', () => {
  it('promotes and demotes, and never leaves the service without an admin', async () => {
    // Only the stack's admin stays admin (other suites may have made more).
    const others = await stack.masterQuery(
      `SELECT id FROM tallyboard.users WHERE role = 'admin' AND blocked = 0 AND id <> '${adminId}'`,
    );
    for (const o of others) {
      await call('PATCH', `/api/users/${o.id}`, { token: admin, body: { role: 'voter' } });
    }
    const selfDemote = await call('PATCH', `/api/users/${adminId}`, {
      token: admin,
      body: { role: 'voter' },
    });
    expect(outcome(selfDemote)).toEqual([409, 'last_admin']);
    expect(
      outcome(
        await call('PATCH', `/api/users/${adminId}`, { token: admin, body: { blocked: true } }),
      ),
    ).toEqual([409, 'conflict']);

    const b = await register();
    expect(outcome(await call('GET', '/api/users', { token: b.token }))).toEqual([
      403,
      'forbidden',
    ]);
    const promote = await call('POST', `/api/users/${b.userId}/promote`, { token: admin });
    expect(promote.body).toMatchObject({ role: 'admin' });
    expect((await call('GET', '/api/users', { token: b.token })).status).toBe(200);

    // Two admins demoting each other at once: exactly one wins.
    const [x, y] = await Promise.all([
      call('PATCH', `/api/users/${b.userId}`, { token: admin, body: { role: 'voter' } }),
      call('PATCH', `/api/users/${adminId}`, { token: b.token, body: { role: 'voter' } }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const loser = x.status === 409 ? x : y;
    expect(loser.body.error?.code).toBe('last_admin');
    const remaining = await stack.masterQuery(
      `SELECT id FROM tallyboard.users WHERE role = 'admin' AND blocked = 0 AND id IN ('${adminId}', '${b.userId}')`,
    );
    expect(remaining).toHaveLength(1);

    // Whoever is left puts things back: the stack's admin is an admin, b is not.
    const survivor = remaining[0]!.id === adminId ? admin : b.token;
    await call('PATCH', `/api/users/${adminId}`, { token: survivor, body: { role: 'admin' } });
    const demoteB = await call('POST', `/api/users/${b.userId}/demote`, { token: admin });
    expect(demoteB.body).toMatchObject({ role: 'voter' });
    expect(outcome(await call('GET', '/api/users', { token: b.token }))).toEqual([
      403,
      'forbidden',
    ]);
    expect(
      outcome(await call('PATCH', '/api/users/nobody', { token: admin, body: { role: 'admin' } })),
    ).toEqual([404, 'not_found']);
    expect(
      outcome(await call('PATCH', `/api/users/${b.userId}`, { token: admin, body: {} })),
    ).toEqual([422, 'invalid']);
  });
});

describe('temporary passwords', () => {
  it('forces a change at the next sign-in and allows nothing else until then', async () => {
    const v = await register();
    const set = await call('POST', `/api/users/${v.userId}/temporary-password`, {
      token: admin,
      body: { password: 'temporary-1234' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      temporaryPassword: 'temporary-1234',
      user: { id: v.userId, mustChangePassword: true },
    });
    expect(outcome(await call('GET', '/api/auth/me', { token: v.token }))).toEqual([
      401,
      'unauthorized',
    ]);
    expect(outcome(await login(v.email, v.password))).toEqual([401, 'unauthorized']);

    const signIn = await login(v.email, 'temporary-1234');
    expect(signIn.status).toBe(200);
    expect(signIn.body.user).toMatchObject({ mustChangePassword: true });
    const restricted = signIn.body.token as string;
    const me = await call('GET', '/api/auth/me', { token: restricted });
    expect(me.body.user).toMatchObject({ id: v.userId, mustChangePassword: true });
    for (const [method, path] of [
      ['GET', '/api/elections'],
      ['POST', '/api/voters'],
      ['GET', `/api/users`],
    ] as const) {
      expect(outcome(await call(method, path, { token: restricted }))).toEqual([
        403,
        'password_change_required',
      ]);
    }
    await expect(connect(restricted)).rejects.toMatchObject({ message: 'unauthorized' });

    const wrong = await call('POST', '/api/auth/password', {
      token: restricted,
      body: { currentPassword: 'not-it-at-all', newPassword: 'brand-new-password' },
    });
    expect(outcome(wrong)).toEqual([422, 'invalid']);
    const same = await call('POST', '/api/auth/password', {
      token: restricted,
      body: { currentPassword: 'temporary-1234', newPassword: 'temporary-1234' },
    });
    expect(outcome(same)).toEqual([422, 'invalid']);
    const changed = await call('POST', '/api/auth/password', {
      token: restricted,
      body: { currentPassword: 'temporary-1234', newPassword: 'brand-new-password' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ mustChangePassword: false });
    const fresh = changed.body.token as string;
    expect((await call('GET', '/api/elections', { token: fresh })).status).toBe(200);
    expect(outcome(await call('GET', '/api/auth/me', { token: restricted }))).toEqual([
      401,
      'unauthorized',
    ]);
    const later = await login(v.email, 'brand-new-password');
    expect(later.body.user).toMatchObject({ mustChangePassword: false });
  });

  it('generates one when none is given', async () => {
    const v = await register();
    const set = await call('POST', `/api/users/${v.userId}/temporary-password`, { token: admin });
    expect(set.status).toBe(200);
    const temporary = set.body.temporaryPassword as string;
    expect(temporary).toMatch(/^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$/);
    expect((await login(v.email, temporary)).status).toBe(200);
    const tooShort = await call('POST', `/api/users/${v.userId}/temporary-password`, {
      token: admin,
      body: { password: 'short' },
    });
    expect(outcome(tooShort)).toEqual([422, 'invalid']);
  });
});

describe('deleting a voter account', () => {
  it('keeps its participation: the same email registered again cannot vote twice', async () => {
    const v = await register(`Del-${tag()}@example.test`);
    const e = await opened({ access: 'accounts' });
    expect((await vote(e, v.token)).status).toBe(201);

    expect((await call('DELETE', `/api/users/${v.userId}`, { token: admin })).status).toBe(204);
    expect(outcome(await call('GET', '/api/auth/me', { token: v.token }))).toEqual([
      401,
      'unauthorized',
    ]);
    expect(outcome(await login(v.email, v.password))).toEqual([401, 'unauthorized']);
    const search = await call('GET', `/api/users?query=${encodeURIComponent(v.email)}`, {
      token: admin,
    });
    expect(search.body.total).toBe(0);
    // What is left names no email.
    const tombs = await stack.masterQuery(
      `SELECT user_id, HEX(email_hash) AS h FROM tallyboard.account_tombstones WHERE user_id = '${v.userId}'`,
    );
    expect(tombs).toHaveLength(1);
    expect(JSON.stringify(tombs)).not.toContain(v.email.toLowerCase());

    const again = await register(v.email.toUpperCase());
    expect(outcome(await vote(e, again.token))).toEqual([409, 'already_voted']);
    expect(await standing(e, again.token)).toMatchObject({ reason: 'already_voted', voted: true });
    // The old session does not come back with the account.
    expect(outcome(await call('GET', '/api/auth/me', { token: v.token }))).toEqual([
      401,
      'unauthorized',
    ]);
    const results = await call('GET', `/api/elections/${e.id}/results`, { token: admin });
    expect(results.body.ballots).toBe(1);
  });

  it('refuses to delete an admin or an unknown account', async () => {
    expect(outcome(await call('DELETE', `/api/users/${adminId}`, { token: admin }))).toEqual([
      409,
      'conflict',
    ]);
    expect(outcome(await call('DELETE', '/api/users/nobody', { token: admin }))).toEqual([
      404,
      'not_found',
    ]);
    const v = await register();
    expect(outcome(await call('DELETE', `/api/users/${v.userId}`, { token: v.token }))).toEqual([
      403,
      'forbidden',
    ]);
  });
});

describe('elections in the console', () => {
  it('duplicates positions, candidates and settings into a new draft without ballots', async () => {
    const source = await opened(
      {
        access: 'accounts',
        resultsVisibility: 'after_close',
        positions: [
          {
            title: 'Chair',
            maxSelections: 1,
            winners: 1,
            allowAbstain: true,
            candidates: [{ name: 'Ada', description: 'first' }, { name: 'Grace' }],
          },
          {
            title: 'Board',
            maxSelections: 2,
            winners: 2,
            candidates: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
          },
        ],
      },
      { allowlist: ['@dup.test'] },
    );
    const voter = await register(`v-${tag()}@dup.test`);
    expect((await vote(source, voter.token)).status).toBe(201);

    const r = await call('POST', `/api/elections/${source.id}/duplicate`, { token: admin });
    expect(r.status).toBe(201);
    const copy = r.body as unknown as Election;
    expect(copy).toMatchObject({
      title: `${source.title} (copy)`,
      status: 'draft',
      access: 'accounts',
      resultsVisibility: 'after_close',
      anonymitySet: 1,
      allowlist: ['@dup.test'],
      opensAt: null,
      closesAt: null,
    });
    expect(copy.id).not.toBe(source.id);
    expect(copy.joinCode).not.toBe(source.joinCode);
    const shape = (e: Election) =>
      e.positions.map((p) => ({
        title: p.title,
        maxSelections: p.maxSelections,
        winners: p.winners,
        allowAbstain: p.allowAbstain,
        candidates: p.candidates.map((c) => [c.name, c.description, c.photoUrl]),
      }));
    expect(shape(copy)).toEqual(shape(source));
    const ids = (e: Election) =>
      e.positions.flatMap((p) => [p.id, ...p.candidates.map((c) => c.id)]);
    expect(ids(copy).filter((id) => ids(source).includes(id))).toEqual([]);
    const results = await call('GET', `/api/elections/${copy.id}/results`, { token: admin });
    expect(results.body.ballots).toBe(0);

    expect(outcome(await call('POST', '/api/elections/nope/duplicate', { token: admin }))).toEqual([
      404,
      'not_found',
    ]);
    expect(
      outcome(await call('POST', `/api/elections/${source.id}/duplicate`, { token: voter.token })),
    ).toEqual([403, 'forbidden']);
  });

  it('edits and unschedules a scheduled election, back to draft', async () => {
    const opensAt = new Date(Date.now() + 3_600_000).toISOString();
    const e = await draft({ opensAt });
    const scheduled = await call('POST', `/api/elections/${e.id}/schedule`, { token: admin });
    expect(scheduled.body.status).toBe('scheduled');

    const edit = await call('PATCH', `/api/elections/${e.id}`, {
      token: admin,
      body: { title: 'Renamed while scheduled' },
    });
    expect(edit.body).toMatchObject({ status: 'scheduled', title: 'Renamed while scheduled' });
    const noTime = await call('PATCH', `/api/elections/${e.id}`, {
      token: admin,
      body: { opensAt: null },
    });
    expect(outcome(noTime)).toEqual([409, 'conflict']);

    const back = await call('POST', `/api/elections/${e.id}/unschedule`, { token: admin });
    expect(back.body).toMatchObject({ status: 'draft', title: 'Renamed while scheduled' });
    expect(new Date(back.body.opensAt as string).toISOString()).toBe(opensAt);

    const open = await opened();
    expect(
      outcome(await call('POST', `/api/elections/${open.id}/unschedule`, { token: admin })),
    ).toEqual([409, 'conflict']);
    expect(
      outcome(
        await call('PATCH', `/api/elections/${open.id}`, { token: admin, body: { title: 'x' } }),
      ),
    ).toEqual([409, 'not_draft']);
  });

  it('deletes drafts and closed elections, not open or scheduled ones', async () => {
    const d = await draft({ access: 'accounts' }, { allowlist: ['@gone.test'] });
    expect((await call('DELETE', `/api/elections/${d.id}`, { token: admin })).status).toBe(204);
    expect((await call('GET', `/api/elections/${d.id}`, { token: admin })).status).toBe(404);
    const left = await stack.masterQuery(
      `SELECT COUNT(*) AS n FROM tallyboard.election_allowlist WHERE election_id = '${d.id}'`,
    );
    expect(left[0]!.n).toBe('0');

    const open = await opened();
    const scheduled = await draft({ opensAt: new Date(Date.now() + 3_600_000).toISOString() });
    await call('POST', `/api/elections/${scheduled.id}/schedule`, { token: admin });
    for (const e of [open, scheduled]) {
      expect(outcome(await call('DELETE', `/api/elections/${e.id}`, { token: admin }))).toEqual([
        409,
        'conflict',
      ]);
    }

    const voterToken = (await call('POST', '/api/voters')).body.voterToken as string;
    expect((await vote(open, voterToken)).status).toBe(201);
    await call('POST', `/api/elections/${open.id}/close`, { token: admin });
    expect((await call('DELETE', `/api/elections/${open.id}`, { token: admin })).status).toBe(204);
    const rows = await stack.masterQuery(
      `SELECT (SELECT COUNT(*) FROM tallyboard.ballots WHERE election_id = '${open.id}') +
              (SELECT COUNT(*) FROM tallyboard.participation WHERE election_id = '${open.id}') AS n`,
    );
    expect(rows[0]!.n).toBe('0');
    expect(outcome(await call('DELETE', '/api/elections/nope', { token: admin }))).toEqual([
      404,
      'not_found',
    ]);
  });
});
