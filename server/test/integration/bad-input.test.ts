// The bad-input findings of issue 9, one test each, against the real stack through nginx: no 500
// for a malformed GTID or an out-of-range date, no date silently rewritten, no ballot key silently
// dropped, no invisible or look-alike text, no draft revealed by a ballot, one spelling per token
// signature, no free guessing of codes and ids, no megabyte errors, no values in logged SQL.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Election, JoinAck } from '@tallyboard/shared';
import { getStack, type TestStack } from '../support';
import {
  connect,
  electionInput,
  emitAck,
  login,
  makeElection,
  resetLookupBudgets,
  rowCounts,
  send,
  voterToken,
} from './hostile-helpers';

jest.setTimeout(120_000);

let stack: TestStack;
let admin: string;
let open: Election;

beforeAll(async () => {
  stack = getStack();
  admin = await login(stack);
  open = await makeElection(stack, admin, 'open');
});

afterAll(async () => {
  await resetLookupBudgets(stack);
});

const expectInvalid = (r: { status: number; body: { error?: { code: string } } }): void => {
  expect(r.status).toBe(422);
  expect(r.body.error?.code).toBe('invalid');
};

describe('GTIDs in ?gtid=', () => {
  it('answers 422 for a GTID that is not one (it reached MASTER_GTID_WAIT as a 500)', async () => {
    for (const gtid of ['abc', "0-1-1' OR '1'='1", '0-1-1-1', '-1', '0-1-99999999999999999999']) {
      const r = await send(
        stack,
        'GET',
        `/api/elections/${open.id}/results?gtid=${encodeURIComponent(gtid)}`,
      );
      expectInvalid(r);
    }
  });

  it('refuses at once a GTID the master has not reached (it held the request on every replica)', async () => {
    const t0 = Date.now();
    const r = await send(stack, 'GET', `/api/elections/${open.id}/results?gtid=0-1-999999999`);
    expectInvalid(r);
    expect(r.body.error?.message).toMatch(/ahead of the master/);
    expect(Date.now() - t0).toBeLessThan(400);
  });

  it('still waits for a GTID the master has committed', async () => {
    const [row] = await stack.masterQuery('SELECT @@GLOBAL.gtid_binlog_pos AS pos');
    const pos = row!.pos!.split(',')[0]!;
    const r = await send(
      stack,
      'GET',
      `/api/elections/${open.id}/results?gtid=${encodeURIComponent(pos)}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.version).toEqual(expect.any(Number));
  });
});

describe('dates', () => {
  it.each([
    ['closesAt', '9999-12-31T23:00:00-05:00'],
    ['opensAt', '0001-01-01T00:00:00+01:00'],
    ['opensAt', '0000-01-01T00:00:00Z'],
    ['closesAt', '3000-01-01T00:00:00Z'],
    ['opensAt', '1999-12-31T23:59:59Z'],
  ])(
    'refuses %s %s on create and on PATCH with a message a person understands',
    async (field, value) => {
      const before = await rowCounts(stack);
      const created = await send(stack, 'POST', '/api/elections', {
        token: admin,
        body: electionInput({ [field]: value }),
      });
      expectInvalid(created);
      expect(created.text).toContain('must be a date between 2000-01-01 and 2999-12-31 (UTC)');
      expect(await rowCounts(stack)).toEqual(before);

      const draft = await makeElection(stack, admin, 'draft');
      const patched = await send(stack, 'PATCH', `/api/elections/${draft.id}`, {
        token: admin,
        body: { [field]: value },
      });
      expectInvalid(patched);
      const after = await send(stack, 'GET', `/api/elections/${draft.id}`, { token: admin });
      expect(after.body[field]).toBeNull();
    },
  );
});

describe('ballot keys', () => {
  it('refuses __proto__ and other unknown position keys instead of counting a blank ballot', async () => {
    const voter = await voterToken(stack);
    const [a] = open.positions;
    const before = await rowCounts(stack);
    for (const body of [
      `{"selections":{"__proto__":["x"]}}`,
      `{"selections":{"__proto__":["x"],"${a!.id}":["${a!.candidates[0]!.id}"]}}`,
      `{"selections":{"constructor":[]}}`,
      `{"selections":{"toString":["x"]}}`,
    ]) {
      const r = await send(stack, 'POST', `/api/elections/${open.id}/ballots`, {
        token: voter,
        body,
      });
      expectInvalid(r);
    }
    const socket = await connect(stack, voter);
    try {
      const ack = (await emitAck(
        socket,
        'ballot:cast',
        JSON.parse(`{"electionId":"${open.id}","selections":{"__proto__":["x"]}}`),
      )) as { ok: boolean; error?: { code: string } };
      expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
    } finally {
      socket.disconnect();
    }
    expect(await rowCounts(stack)).toEqual(before);
  });

  it('lists the first 20 of 20,000 unknown positions and a count, not a megabyte', async () => {
    const voter = await voterToken(stack);
    const selections = Object.fromEntries(
      Array.from({ length: 20_000 }, (_, i) => [`p${i}`, ['c']]),
    );
    const r = await send(stack, 'POST', `/api/elections/${open.id}/ballots`, {
      token: voter,
      body: { selections },
    });
    expectInvalid(r);
    expect(r.text.length).toBeLessThan(10_000);
    expect(r.body.error?.details).toMatchObject({ issueCount: 20_000 });
    expect((r.body.error?.details as { issues: unknown[] }).issues).toHaveLength(20);
    expect(r.body.error?.message).toMatch(/first 20 of 20000/);
  });
});

describe('text', () => {
  const position = (...names: string[]) => ({
    title: 'P',
    maxSelections: 1,
    winners: 1,
    candidates: names.map((name) => ({ name })),
  });

  it.each([
    ['a title of zero-width characters', { title: '\u200b\u200c\u200d\ufeff' }],
    ['a title with NUL', { title: 'Board\u0000 2026' }],
    ['a title with ESC', { title: 'Board \u001b[31m2026' }],
    ['a title of combining marks', { title: '\u0301\u0302\u0303' }],
    ['a title of Hangul fillers', { title: '\u3164\u3164' }],
    ['a description with a control character', { description: 'fine\u0007' }],
    ['"Ada" beside "Ada\\u200B"', { positions: [position('Ada', 'Ada\u200b')] }],
    ['"José" in NFC and NFD', { positions: [position('Jos\u00e9', 'Jose\u0301')] }],
    ['a name of combining marks only', { positions: [position('Ada', '\u0301\u0301')] }],
    ['a name of zero-width characters', { positions: [position('Ada', '\u200b')] }],
    ['a position title with a line break', { positions: [{ ...position('a'), title: 'A\nB' }] }],
  ])('refuses %s', async (_what, overrides) => {
    const before = await rowCounts(stack);
    expectInvalid(
      await send(stack, 'POST', '/api/elections', {
        token: admin,
        body: electionInput(overrides),
      }),
    );
    expect(await rowCounts(stack)).toEqual(before);
  });

  it('stores text in NFC', async () => {
    const e = await makeElection(stack, admin, 'draft', {
      title: '  Cafe\u0301 board  ',
      positions: [position('Jose\u0301', 'Zoe\u0308')],
    });
    expect(e.title).toBe('Caf\u00e9 board');
    expect(e.positions[0]!.candidates.map((c) => c.name)).toEqual(['Jos\u00e9', 'Zo\u00eb']);
  });

  it('refuses a user name of invisible characters', async () => {
    const r = await send(stack, 'POST', '/api/auth/register', {
      body: { email: `z-${Date.now()}@example.test`, password: 'long-enough-pw', name: '\u200b' },
    });
    expectInvalid(r);
  });
});

describe('ballots for a draft', () => {
  it('answers 404 not_found over REST and the socket, like the GET routes', async () => {
    const draft = await makeElection(stack, admin, 'draft');
    const voter = await voterToken(stack);
    const [a] = draft.positions;
    const selections = { [a!.id]: [a!.candidates[0]!.id] };
    const get = await send(stack, 'GET', `/api/elections/${draft.id}`, { token: voter });
    expect(get.status).toBe(404);
    const r = await send(stack, 'POST', `/api/elections/${draft.id}/ballots`, {
      token: voter,
      body: { selections },
    });
    expect(r.status).toBe(404);
    expect(r.body.error?.code).toBe('not_found');
    expect(r.text).not.toContain('draft');
    const socket = await connect(stack, voter);
    try {
      const ack = await emitAck(socket, 'ballot:cast', { electionId: draft.id, selections });
      expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(JSON.stringify(ack)).not.toContain('draft');
    } finally {
      socket.disconnect();
    }
  });
});

describe('token signatures', () => {
  it('accept one spelling only', async () => {
    const token = await voterToken(stack);
    expect((await send(stack, 'GET', '/api/auth/me', { token })).status).toBe(200);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.at(-1)!);
    const variants = [
      `${token.slice(0, -1)}${alphabet[last ^ 1]}`,
      `${token.slice(0, -1)}${alphabet[last ^ 3]}`,
      `${token}==`,
      `${token.slice(0, -10)}!${token.slice(-10)}`,
    ];
    for (const forged of variants) {
      const r = await send(stack, 'GET', '/api/auth/me', { token: forged });
      expect(r.status).toBe(401);
    }
  });
});

describe('guessing codes and ids', () => {
  const randomCode = (i: number) => `Q${String(i).padStart(5, '0')}`.replace(/[01]/g, 'Z');

  beforeEach(() => resetLookupBudgets(stack));

  it.each(['/lobby', ''])(
    'limits lookups of codes that match nothing per address (by-code%s)',
    async (suffix) => {
      const statuses: number[] = [];
      for (let i = 0; i < 330; i += 30) {
        const batch = await Promise.all(
          Array.from({ length: 30 }, (_, j) =>
            send(stack, 'GET', `/api/elections/by-code/${randomCode(i + j)}${suffix}`),
          ),
        );
        statuses.push(...batch.map((r) => r.status));
      }
      expect(statuses.filter((s) => s === 404).length).toBeGreaterThanOrEqual(290);
      expect(statuses).toContain(429);
      const limited = await send(stack, 'GET', `/api/elections/by-code/${open.joinCode}/lobby`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      await resetLookupBudgets(stack);
      const fine = await send(stack, 'GET', `/api/elections/by-code/${open.joinCode}/lobby`);
      expect(fine.status).toBe(200);
    },
  );

  it('does not spend the budget on codes that exist', async () => {
    for (let i = 0; i < 350; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          send(stack, 'GET', `/api/elections/by-code/${open.joinCode}/lobby`),
        ),
      );
      expect(batch.map((r) => r.status)).toEqual(Array(50).fill(200));
    }
  });

  it('limits socket joins of unknown elections per address', async () => {
    const socket = await connect(stack);
    try {
      const codes: string[] = [];
      for (let i = 0; i < 330; i += 30) {
        const acks = (await Promise.all(
          Array.from({ length: 30 }, (_, j) =>
            emitAck(socket, 'election:join', { electionId: `unknown${i + j}` }),
          ),
        )) as JoinAck[];
        codes.push(...acks.map((a) => (a.ok ? 'ok' : a.error.code)));
      }
      expect(codes.filter((c) => c === 'not_found').length).toBeGreaterThanOrEqual(290);
      expect(codes).toContain('rate_limited');
    } finally {
      socket.disconnect();
    }
  });
});

describe('failed queries in the logs', () => {
  it('carry the statement without its values', async () => {
    const token = await voterToken(stack);
    const voterId = (
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }
    ).sub;
    const [a] = open.positions;
    await stack.masterQuery(
      'RENAME TABLE tallyboard.participation TO tallyboard.participation_away',
    );
    let status: number;
    try {
      status = (
        await send(stack, 'POST', `/api/elections/${open.id}/ballots`, {
          token,
          body: { selections: { [a!.id]: [a!.candidates[0]!.id] } },
        })
      ).status;
    } finally {
      await stack.masterQuery(
        'RENAME TABLE tallyboard.participation_away TO tallyboard.participation',
      );
    }
    expect(status).toBe(500);
    await new Promise((r) => setTimeout(r, 300)); // pino writes asynchronously
    const logs = path.join(stack.dir, 'logs');
    const lines = readdirSync(logs)
      .filter((f) => /^tb-node-\d+\.(out|err)\.log$/.test(f))
      .flatMap((f) => readFileSync(path.join(logs, f), 'utf8').split('\n'));
    const failed = lines.filter((l) => l.includes('ballot batch failed'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.join('\n')).toContain('INSERT INTO participation');
    expect(lines.filter((l) => l.includes(voterId))).toEqual([]);
  });
});
