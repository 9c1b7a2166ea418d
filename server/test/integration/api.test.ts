// Bad input through nginx: every malformed request gets a 4xx JSON error and stores nothing.
// Also the account and lifecycle rules of the API.
import { randomUUID } from 'node:crypto';
import type { Election } from '@tallyboard/shared';
import { getStack, type TestStack } from '../support';

jest.setTimeout(120_000);

let stack: TestStack;
let admin: string;
let election: Election;
let voter: string;

async function raw(
  method: string,
  path: string,
  opts: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
  headers: Headers;
}> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(opts.headers ?? {}),
  };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${stack.baseUrl}${path}`, { method, headers, body: opts.body });
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`${method} ${path} → ${res.status} non-JSON body: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body, headers: res.headers };
}
const json = (method: string, path: string, body: unknown, token?: string) =>
  raw(method, path, { body: JSON.stringify(body), token });

const stored = async (): Promise<string> => {
  const rows = await stack.masterQuery(
    `SELECT (SELECT COUNT(*) FROM tallyboard.ballots WHERE election_id = '${election.id}') AS b,
            (SELECT COUNT(*) FROM tallyboard.participation WHERE election_id = '${election.id}') AS p,
            (SELECT COUNT(*) FROM tallyboard.ballots WHERE election_id = '${election.id}' AND choices <> '') AS s`,
  );
  return JSON.stringify(rows[0]);
};

beforeAll(async () => {
  stack = getStack();
  admin = (await json('POST', '/api/auth/login', stack.admin)).body.token as string;
  const created = await json(
    'POST',
    '/api/elections',
    {
      title: `api ${randomUUID().slice(0, 8)}`,
      access: 'open',
      resultsVisibility: 'live',
      positions: [
        { title: 'A', maxSelections: 1, winners: 1, candidates: [{ name: 'x' }, { name: 'y' }] },
        { title: 'B', maxSelections: 1, winners: 1, candidates: [{ name: 'z' }, { name: 'w' }] },
      ],
    },
    admin,
  );
  election = created.body as unknown as Election;
  await raw('POST', `/api/elections/${election.id}/open`, { token: admin });
  voter = (await raw('POST', '/api/voters')).body.voterToken as string;
});

describe('malformed ballots', () => {
  const path = () => `/api/elections/${election.id}/ballots`;
  const [a, b] = [0, 1];

  it.each([
    ['bad JSON', () => raw('POST', path(), { token: voter, body: '{"selections":' }), 400],
    ['wrong types', () => json('POST', path(), { selections: 'x' }, voter), 422],
    ['selections array', () => json('POST', path(), { selections: [[1]] }, voter), 422],
    ['extra field', () => json('POST', path(), { selections: {}, who: 1 }, voter), 422],
    [
      'unknown election',
      () => json('POST', '/api/elections/nope/ballots', { selections: {} }, voter),
      404,
    ],
    [
      'too many selections',
      () => {
        const p = election.positions[a]!;
        return json(
          'POST',
          path(),
          { selections: { [p.id]: p.candidates.map((c) => c.id) } },
          voter,
        );
      },
      422,
    ],
    [
      'candidate of another position',
      () =>
        json(
          'POST',
          path(),
          {
            selections: { [election.positions[a]!.id]: [election.positions[b]!.candidates[0]!.id] },
          },
          voter,
        ),
      422,
    ],
    ['unknown position', () => json('POST', path(), { selections: { nope: [] } }, voter), 422],
    [
      'oversized body',
      () =>
        raw('POST', path(), {
          token: voter,
          body: JSON.stringify({ selections: {}, pad: 'x'.repeat(1_100_000) }),
        }),
      413,
    ],
    ['missing token', () => json('POST', path(), { selections: {} }), 401],
    [
      'forged token',
      () => json('POST', path(), { selections: {} }, `${voter.slice(0, -4)}AAAA`),
      401,
    ],
    ['garbage token', () => json('POST', path(), { selections: {} }, 'garbage'), 401],
    [
      'bad Idempotency-Key',
      () =>
        raw('POST', path(), {
          token: voter,
          body: '{"selections":{}}',
          headers: { 'Idempotency-Key': 'k'.repeat(500) },
        }),
      422,
    ],
  ])('%s → 4xx JSON error, nothing stored', async (_name, send, status) => {
    const before = await stored();
    const r = await send();
    expect(r.status).toBe(status);
    expect(typeof r.body.error?.code).toBe('string');
    expect(typeof r.body.error?.message).toBe('string');
    expect(await stored()).toBe(before);
  });

  it('accepts a blank ballot afterwards (the voter was never recorded)', async () => {
    const r = await json('POST', path(), { selections: {} }, voter);
    expect(r.status).toBe(201);
    expect(r.body.receipt).toEqual(expect.any(String));
  });
});

describe('accounts and elections', () => {
  it('signs in with a cookie, refuses a wrong password, and logout revokes the session', async () => {
    const bad = await json('POST', '/api/auth/login', {
      ...stack.admin,
      password: 'wrong-password',
    });
    expect(bad.status).toBe(401);
    const ok = await json('POST', '/api/auth/login', stack.admin);
    expect(ok.headers.get('set-cookie')).toMatch(/tb_session=.*HttpOnly.*SameSite=Lax/i);
    const token = ok.body.token as string;
    expect((await raw('GET', '/api/auth/me', { token })).status).toBe(200);
    expect((await raw('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await raw('GET', '/api/auth/me', { token })).status).toBe(401);
    admin = (await json('POST', '/api/auth/login', stack.admin)).body.token as string;
  });

  it('stops password guessing per email with 429 and Retry-After, without counting good logins', async () => {
    const email = `guess-${randomUUID().slice(0, 8)}@example.test`;
    const password = 'right-password-1';
    expect((await json('POST', '/api/auth/register', { email, password, name: 'G' })).status).toBe(
      201,
    );
    for (let i = 0; i < 12; i++) {
      expect((await json('POST', '/api/auth/login', { email, password })).status).toBe(200);
    }
    for (let i = 0; i < 10; i++) {
      const r = await json('POST', '/api/auth/login', { email, password: 'wrong-guess' });
      expect(r.status).toBe(401);
    }
    const blocked = await json('POST', '/api/auth/login', { email, password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('registers voter accounts that cannot administer', async () => {
    const email = `v-${randomUUID().slice(0, 8)}@example.test`;
    const r = await json('POST', '/api/auth/register', {
      email,
      password: 'long-enough-pw',
      name: 'V',
    });
    expect(r.status).toBe(201);
    const again = await json('POST', '/api/auth/register', {
      email,
      password: 'long-enough-pw',
      name: 'V',
    });
    expect(again.status).toBe(409);
    const create = await json('POST', '/api/elections', {}, r.body.token as string);
    expect(create.status).toBe(403);
  });

  it('blocks an account: its session stops at once and it cannot sign in again', async () => {
    const email = `b-${randomUUID().slice(0, 8)}@example.test`;
    const password = 'long-enough-pw';
    const reg = await json('POST', '/api/auth/register', { email, password, name: 'B' });
    const userId = (reg.body.user as { id: string }).id;
    const session = reg.body.token as string;
    expect((await raw('GET', '/api/auth/me', { token: session })).status).toBe(200);

    // A voter account may not administer accounts, its own included.
    expect((await json('PATCH', `/api/users/${userId}`, { blocked: true }, session)).status).toBe(
      403,
    );
    expect((await raw('GET', '/api/users', { token: session })).status).toBe(403);
    const blocked = await json('PATCH', `/api/users/${userId}`, { blocked: true }, admin);
    expect(blocked.status).toBe(200);
    expect(blocked.body.blocked).toBe(true);
    const me = await raw('GET', '/api/auth/me', { token: session });
    expect([me.status, me.body.error?.code]).toEqual([403, 'account_blocked']);
    expect((await json('POST', '/api/auth/login', { email, password })).status).toBe(403);

    expect((await json('PATCH', `/api/users/${userId}`, { blocked: 'yes' }, admin)).status).toBe(
      422,
    );
    expect((await json('PATCH', '/api/users/nobody', { blocked: true }, admin)).status).toBe(404);
    const list = await raw('GET', `/api/users?query=${encodeURIComponent(email)}`, {
      token: admin,
    });
    expect(list.body.users).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: userId, blocked: true })]),
    );

    expect((await json('PATCH', `/api/users/${userId}`, { blocked: false }, admin)).status).toBe(
      200,
    );
    expect((await json('POST', '/api/auth/login', { email, password })).status).toBe(200);
  });

  it('validates elections and edits only drafts', async () => {
    const bad = await json(
      'POST',
      '/api/elections',
      {
        title: '',
        access: 'open',
        resultsVisibility: 'live',
        positions: [{ title: 'A', maxSelections: 3, winners: 1, candidates: [{ name: 'x' }] }],
      },
      admin,
    );
    expect(bad.status).toBe(422);
    const patch = await json('PATCH', `/api/elections/${election.id}`, { title: 'new' }, admin);
    expect(patch.status).toBe(409);
    expect(patch.body.error?.code).toBe('not_draft');
    const byCode = await raw('GET', `/api/elections/by-code/${election.joinCode.toLowerCase()}`);
    expect(byCode.status).toBe(200);
    expect(byCode.body.id).toBe(election.id);
    expect((await raw('GET', '/api/elections/by-code/ZZZZZZ')).status).toBe(404);
    expect((await raw('GET', '/api/elections/by-code/ZZZZZZ/lobby')).status).toBe(404);
    const csv = await fetch(`${stack.baseUrl}/api/elections/${election.id}/export.csv`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('"candidate_id"');
  });

  it('tells anyone with the code what the election is and whether they may enter', async () => {
    const make = async (access: 'open' | 'accounts') =>
      (
        await json(
          'POST',
          '/api/elections',
          {
            title: `lobby ${access} ${randomUUID().slice(0, 6)}`,
            access,
            resultsVisibility: 'live',
            positions: [{ title: 'A', maxSelections: 1, winners: 1, candidates: [{ name: 'x' }] }],
          },
          admin,
        )
      ).body as unknown as Election;
    const members = await make('accounts');
    const lobby = (code: string, token?: string) =>
      raw('GET', `/api/elections/by-code/${code}/lobby`, { token });

    // A draft is nobody's business but the admins'.
    expect((await lobby(members.joinCode)).status).toBe(404);
    expect((await lobby(members.joinCode, admin)).body.canEnter).toBe(true);

    await json('POST', `/api/elections/${members.id}/open`, {}, admin);
    const anonymous = await lobby(members.joinCode);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({
      id: members.id,
      joinCode: members.joinCode,
      title: members.title,
      access: 'accounts',
      status: 'open',
      opensAt: expect.any(String) as unknown, // opening sets it to now
      closesAt: null,
      canEnter: false,
    });
    // The whole election stays refused to the same caller; a voter token is no account either.
    expect((await raw('GET', `/api/elections/by-code/${members.joinCode}`)).status).toBe(401);
    expect((await lobby(members.joinCode, voter)).body.canEnter).toBe(false);
    expect((await lobby(election.joinCode.toLowerCase())).body.canEnter).toBe(true);

    // The list shows a visitor what they may enter, filtered before its limit.
    const listed = async (token?: string) =>
      ((await raw('GET', '/api/elections', { token })).body as unknown as Election[]).map(
        (e) => e.id,
      );
    expect(await listed()).toContain(election.id);
    expect(await listed()).not.toContain(members.id);
    expect(await listed(admin)).toContain(members.id);
  });
});
