// Voter rolls (access `roll`) on the real stack behind nginx: a 10,000-entry import in one
// request, codes issued and exchanged once, 1,000 roll voters voting at once with turnout
// 1,000/10,000 on a board's socket and in the results, every kind of bad code refused, one token
// for 20 racing exchanges, the entry as the one participation key for code and sign-in alike,
// removal of a voted entry refused, the marked register exactly the voters, the recount matching,
// and guessing stopped by 429 per address and per election.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import type {
  AuditReport,
  Election,
  IssuedCode,
  JoinAck,
  Results,
  RollCodesResponse,
  RollImportResponse,
  RollListResponse,
  Tally,
} from '@tallyboard/shared';
import { io, type Socket } from 'socket.io-client';
import { getStack, type TestStack } from '../support';
import { closeElection, createElection, openElection, signInAdmin } from '../support/elections';

jest.setTimeout(240_000);

const stack: TestStack = getStack();
const run = promisify(execFile);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: {
    error?: { code: string; message: string; details?: { reason?: string; limit?: string } };
    voterToken?: string;
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request through nginx; `from` picks the loopback source address (the rate-limit key). */
function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; from?: string } = {},
): Promise<Answer> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, stack.baseUrl),
      { method, headers, ...(opts.from ? { localAddress: opts.from, agent: false } : { agent }) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let parsed: Answer['body'] = {};
          try {
            parsed = text ? (JSON.parse(text) as Answer['body']) : {};
          } catch {
            parsed = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function ok<T>(p: Promise<Answer>, status: number): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
  return r.body as unknown as T;
}

/** Runs `fn` over `items` with at most `width` in flight. */
async function inParallel<T, R>(items: T[], width: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

const voters = (n: number, prefix: string, withEmail = true) =>
  Array.from({ length: n }, (_, i) => {
    const ref = `${prefix}${String(i).padStart(6, '0')}`;
    return {
      ref,
      name: `Voter ${ref} Montgomery-Villanueva de la Cruz`,
      ...(withEmail ? { email: `${ref.toLowerCase()}@school.example` } : {}),
    };
  });

let admin: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  admin = (await signInAdmin(stack)).token;
});

afterAll(() => {
  for (const s of sockets) s.close();
  agent.destroy();
});

async function rollElection(): Promise<Election> {
  return createElection({ baseUrl: stack.baseUrl, token: admin }, { access: 'roll' });
}

const importRoll = (id: string, list: unknown[]) =>
  call('POST', `/api/elections/${id}/roll`, { token: admin, body: { voters: list } });

const issue = (id: string, refs?: string[]) =>
  ok<RollCodesResponse>(
    call('POST', `/api/elections/${id}/roll/codes`, {
      token: admin,
      body: refs ? { refs } : {},
    }),
    201,
  );

const exchange = (id: string, code: string, from?: string) =>
  call('POST', `/api/elections/${id}/voters`, { body: { code }, ...(from ? { from } : {}) });

const vote = (e: Election, token: string, candidate = 0) =>
  call('POST', `/api/elections/${e.id}/ballots`, {
    token,
    body: {
      selections: { [e.positions[0]!.id]: [e.positions[0]!.candidates[candidate]!.id] },
    },
  });

describe('a roll of 10,000 with 1,000 voters at once', () => {
  let big: Election;
  let codes: IssuedCode[];
  const votedRefs = new Set<string>();

  it('imports 10,000 entries (over 1 MB) in one request within seconds, duplicates reported', async () => {
    big = await rollElection();
    expect(big.eligible).toBe(0);
    const list = voters(10_000, 'S');
    // Three refs twice in the same request, differently named: reported once each, added once.
    list.push({ ...list[1]!, name: 'Someone Else' }, list[2]!, list[2]!);
    expect(JSON.stringify({ voters: list }).length).toBeGreaterThan(1_000_000);
    const t0 = Date.now();
    const res = await ok<RollImportResponse>(importRoll(big.id, list), 201);
    const ms = Date.now() - t0;
    console.log(`[roll] 10,000-entry import: ${ms} ms`);
    expect(res.added).toBe(10_000);
    expect(res.duplicates.sort()).toEqual(['S000001', 'S000002']);
    expect(ms).toBeLessThan(5_000);

    // Again, with one new entry: the others are duplicates, not added twice.
    const again = await ok<RollImportResponse>(
      importRoll(big.id, [...list.slice(0, 5), { ref: 'S-new', name: 'Late Comer' }]),
      201,
    );
    expect(again).toEqual({ added: 1, duplicates: list.slice(0, 5).map((v) => v.ref) });
    const removed = await call('DELETE', `/api/elections/${big.id}/roll/S-new`, { token: admin });
    expect(removed.status).toBe(204);

    const election = await ok<Election>(
      call('GET', `/api/elections/${big.id}`, { token: admin }),
      200,
    );
    expect(election.eligible).toBe(10_000);
  });

  it('refuses a bad import with 422 and writes nothing', async () => {
    const bad = await importRoll(big.id, [
      { ref: 'X1', name: 'Fine' },
      { ref: 'X2', name: '   ' },
    ]);
    expect(bad.status).toBe(422);
    const sameEmail = await importRoll(big.id, [
      { ref: 'X3', name: 'Twin', email: 's000007@school.example' },
    ]);
    expect(sameEmail.status).toBe(422);
    // Past 8 MB nginx answers 413 in the API's error shape; nothing is added.
    const huge = await importRoll(big.id, voters(80_000, 'Z'));
    expect(huge.status).toBe(413);
    expect(huge.body.error?.code).toBe('payload_too_large');
    const nonAdmin = await call('POST', `/api/elections/${big.id}/roll`, {
      body: { voters: [{ ref: 'X4', name: 'Sneaky' }] },
    });
    expect(nonAdmin.status).toBe(401);
    const roll = await ok<RollListResponse>(
      call('GET', `/api/elections/${big.id}/roll`, { token: admin }),
      200,
    );
    expect(roll.eligible).toBe(10_000);
    expect(roll.entries.some((e) => e.ref.startsWith('X'))).toBe(false);
  });

  it('issues one code per entry, shown once, in typeable groups with a link', async () => {
    const t0 = Date.now();
    ({ codes } = await issue(big.id));
    console.log(`[roll] 10,000 codes issued: ${Date.now() - t0} ms`);
    expect(codes).toHaveLength(10_000);
    expect(new Set(codes.map((c) => c.code)).size).toBe(10_000);
    for (const c of codes.slice(0, 50)) {
      expect(c.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(c.link).toBe(`/vote/${big.joinCode}?code=${c.code}`);
    }
    // Asked again: every entry has a live code, so none is issued.
    expect((await issue(big.id)).codes).toEqual([]);
    // What is stored of a code is its HMAC under the code secret (by default derived from
    // SESSION_SECRET), nothing else.
    const key = createHmac('sha256', stack.nodeEnv.SESSION_SECRET ?? '')
      .update('tallyboard roll codes')
      .digest('hex');
    const symbols = codes[0]!.code.replace(/-/g, '');
    const hash = createHmac('sha256', key).update(`tb-ballot-code.${symbols}`).digest('hex');
    const db = stack.nodeEnv.DB_NAME ?? 'tallyboard';
    const stored = await stack.masterQuery(
      `SELECT COUNT(*) AS n FROM ${db}.roll_codes WHERE code_hash = UNHEX('${hash}')`,
    );
    expect(stored[0]!.n).toBe('1');
  });

  it('takes 1,000 exchanges and 1,000 ballots at once; the board sees 1,000 of 10,000', async () => {
    await openElection({ baseUrl: stack.baseUrl, token: admin }, big.id);
    const board = io(stack.baseUrl, {
      path: '/socket.io/',
      query: { cid: randomUUID() },
      forceNew: true,
      reconnection: false,
      transports: ['websocket'],
      // A roll election is shown to signed-in users and its voters: the admin's board.
      auth: { token: admin },
    });
    sockets.push(board);
    const tallies: Tally[] = [];
    board.on('tally', (t: Tally) => tallies.push(t));
    const ack = (await board
      .timeout(10_000)
      .emitWithAck('election:join', { electionId: big.id })) as JoinAck;
    expect(ack.ok).toBe(true);

    const mine = codes.slice(0, 1000);
    const t0 = Date.now();
    const tokens = await inParallel(mine, 100, async (c) => {
      const r = await exchange(big.id, c.code);
      if (r.status !== 201) throw new Error(`exchange ${c.ref}: ${r.status} ${r.text}`);
      return r.body.voterToken as string;
    });
    const t1 = Date.now();
    const statuses = await inParallel(
      tokens.map((t, i) => [t, i] as const),
      100,
      async ([t, i]) => (await vote(big, t, i % 3)).status,
    );
    const t2 = Date.now();
    console.log(`[roll] 1,000 exchanges: ${t1 - t0} ms; 1,000 ballots: ${t2 - t1} ms`);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1000);
    for (const c of mine) votedRefs.add(c.ref);

    const deadline = Date.now() + 15_000;
    while (!tallies.some((t) => t.ballots === 1000) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const last = tallies.find((t) => t.ballots === 1000);
    expect(last).toMatchObject({ electionId: big.id, ballots: 1000, eligible: 10_000 });

    const results = await ok<Results>(
      call('GET', `/api/elections/${big.id}/results`, { token: admin }),
      200,
    );
    expect(results.ballots).toBe(1000);
    expect(results.eligible).toBe(10_000);
    const votes = results.positions[0]!.candidates.map((c) => c.votes).sort((a, b) => b - a);
    expect(votes).toEqual([334, 333, 333]);

    // A second ballot of the same entry, with the same token: 409.
    const again = await vote(big, tokens[0]!);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('already_voted');
  });

  it('refuses a used code, another election’s code, a revoked code and a random code', async () => {
    const used = await exchange(big.id, codes[0]!.code);
    expect(used.status).toBe(401);
    expect(used.body.error).toMatchObject({ code: 'invalid_code', details: { reason: 'used' } });

    const other = await rollElection();
    await ok(importRoll(other.id, voters(3, 'O')), 201);
    const otherCodes = (await issue(other.id)).codes;
    await openElection({ baseUrl: stack.baseUrl, token: admin }, other.id);
    const foreign = await exchange(big.id, otherCodes[0]!.code);
    expect(foreign.status).toBe(401);
    expect(foreign.body.error).toMatchObject({
      code: 'invalid_code',
      details: { reason: 'unknown' },
    });
    // …and still good where it belongs, typed in lower case with spaces.
    const home = await exchange(other.id, otherCodes[0]!.code.toLowerCase().replace(/-/g, ' '));
    expect(home.status).toBe(201);
    // A token of one roll election votes nowhere else.
    const elsewhere = await vote(big, home.body.voterToken as string);
    expect(elsewhere.status).toBe(403);

    // Reissue: the old code is revoked, and a token already taken with it stops working.
    const target = codes[1000]!;
    const early = await ok<{ voterToken: string }>(exchange(big.id, target.code), 201);
    const reissued = (await issue(big.id, [target.ref])).codes;
    expect(reissued).toHaveLength(1);
    expect(reissued[0]!.code).not.toBe(target.code);
    expect((await vote(big, early.voterToken)).status).toBe(403);
    const revoked = await exchange(big.id, target.code);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toMatchObject({
      code: 'invalid_code',
      details: { reason: 'revoked' },
    });
    const fresh = await ok<{ voterToken: string }>(exchange(big.id, reissued[0]!.code), 201);
    expect((await vote(big, fresh.voterToken)).status).toBe(201);
    votedRefs.add(target.ref);
    // Reissuing for someone who voted is refused; nothing is issued.
    const late = await call('POST', `/api/elections/${big.id}/roll/codes`, {
      token: admin,
      body: { refs: [target.ref, codes[1001]!.ref] },
    });
    expect(late.status).toBe(409);

    const random = await exchange(big.id, 'ABCD-EFGH-JKMN-PQRS');
    expect(random.status).toBe(401);
    expect(random.body.error?.code).toBe('invalid_code');
    const garbage = await exchange(big.id, 'not a code');
    expect(garbage.status).toBe(401);

    // An anonymous voter token of an `open` poll does not vote on a roll.
    const anon = await ok<{ voterToken: string }>(call('POST', '/api/voters'), 201);
    expect((await vote(big, anon.voterToken)).status).toBe(403);
  });

  it('gives exactly one token to 20 parallel exchanges of one code', async () => {
    const code = codes[2000]!;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('POST', `/api/elections/${big.id}/voters`, {
          body: { code: code.code },
          from: '127.0.0.3',
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(19);
    expect((await vote(big, won[0]!.body.voterToken as string)).status).toBe(201);
    votedRefs.add(code.ref);
  });

  it('lets a listed voter sign in instead of the code, under the same entry', async () => {
    const password = `pw-${randomUUID()}`;
    const signIn = async (entry: IssuedCode): Promise<string> => {
      const email = `${entry.ref.toLowerCase()}@school.example`;
      await ok(
        call('POST', '/api/auth/register', { body: { email, password, name: 'Listed' } }),
        201,
      );
      const { token } = await ok<{ token: string }>(
        call('POST', '/api/auth/login', { body: { email, password } }),
        200,
      );
      return token;
    };
    // One voter takes a token with the code first, another does not; both then sign in and vote.
    const [first, second] = [codes[3000]!, codes[3001]!];
    const withCode = await ok<{ voterToken: string }>(exchange(big.id, first.code), 201);
    const tokens = await Promise.all([signIn(first), signIn(second)]);
    const signedVotes = await Promise.all(tokens.map((t) => vote(big, t, 2)));
    expect(signedVotes.map((v) => v.status)).toEqual([201, 201]);
    votedRefs.add(first.ref).add(second.ref);
    // The code cannot vote again: not with the token taken before, nor by exchanging it now.
    const [again, bySession, exchanged] = await Promise.all([
      vote(big, withCode.voterToken),
      vote(big, tokens[0]!),
      exchange(big.id, second.code),
    ]);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('already_voted');
    expect(bySession.status).toBe(409);
    expect(exchanged.status).toBe(409);
    expect(exchanged.body.error?.code).toBe('already_voted');

    // An account that is not on the roll may not vote.
    const stranger = `stranger-${randomUUID()}@elsewhere.example`;
    await ok(
      call('POST', '/api/auth/register', { body: { email: stranger, password, name: 'X' } }),
      201,
    );
    const s = await ok<{ token: string }>(
      call('POST', '/api/auth/login', { body: { email: stranger, password } }),
      200,
    );
    expect((await vote(big, s.token)).status).toBe(403);
  });

  it('refuses to remove an entry that voted, and any entry while the election is open', async () => {
    const votedRef = codes[0]!.ref;
    const whileOpen = await call('DELETE', `/api/elections/${big.id}/roll/${votedRef}`, {
      token: admin,
    });
    expect(whileOpen.status).toBe(409);
    expect(whileOpen.body.error?.code).toBe('already_voted');
    const notVoted = await call('DELETE', `/api/elections/${big.id}/roll/${codes[9999]!.ref}`, {
      token: admin,
    });
    expect(notVoted.status).toBe(409);
    expect(notVoted.body.error?.code).toBe('conflict');
    // The roll is fixed once voting starts.
    expect((await importRoll(big.id, [{ ref: 'Late', name: 'Late' }])).status).toBe(409);
  });

  it('lists exactly the voters who voted in the roll and in the marked register', async () => {
    await closeElection({ baseUrl: stack.baseUrl, token: admin }, big.id);
    const afterClose = await call('DELETE', `/api/elections/${big.id}/roll/${codes[0]!.ref}`, {
      token: admin,
    });
    expect(afterClose.status).toBe(409);
    expect(afterClose.body.error?.code).toBe('already_voted');

    const roll = await ok<RollListResponse>(
      call('GET', `/api/elections/${big.id}/roll`, { token: admin }),
      200,
    );
    expect(roll.eligible).toBe(10_000);
    expect(roll.voted).toBe(votedRefs.size);
    expect(new Set(roll.entries.filter((e) => e.voted).map((e) => e.ref))).toEqual(votedRefs);

    const csv = await call('GET', `/api/elections/${big.id}/roll/register.csv`, { token: admin });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('"ref","name","voted"');
    expect(lines).toHaveLength(10_001);
    const marked = lines
      .slice(1)
      .map((l) => l.split(','))
      .filter((cells) => cells[cells.length - 1] === '"yes"')
      .map((cells) => cells[0]!.replace(/"/g, ''));
    expect(new Set(marked)).toEqual(votedRefs);
    // Who voted, never how: nothing of a ballot in the register.
    expect(csv.text).not.toMatch(/receipt|candidate/i);

    const results = await ok<Results>(
      call('GET', `/api/elections/${big.id}/results`, { token: admin }),
      200,
    );
    expect(results.ballots).toBe(votedRefs.size);
    const audit = await ok<AuditReport>(
      call('GET', `/api/elections/${big.id}/audit`, { token: admin }),
      200,
    );
    expect(audit).toMatchObject({ match: true, ballots: votedRefs.size, mismatches: [] });
  });
});

describe('the database logs', () => {
  it('hold no ballot code in the binlog, only keyed hashes', async () => {
    const e = await rollElection();
    await ok(importRoll(e.id, voters(20, 'B')), 201);
    const issued = (await issue(e.id)).codes;
    await openElection({ baseUrl: stack.baseUrl, token: admin }, e.id);
    await ok(exchange(e.id, issued[0]!.code), 201);
    const dir = path.join(stack.dir, 'mariadb', 'master', 'data');
    const files = readdirSync(dir)
      .filter((f) => /^binlog\.\d+$/.test(f))
      .map((f) => path.join(dir, f));
    const { stdout } = await run(
      'mariadb-binlog',
      ['--no-defaults', '--base64-output=DECODE-ROWS', '--verbose', ...files],
      { maxBuffer: 512 * 1024 * 1024 },
    );
    expect(stdout).toMatch(/### INSERT INTO `[^`]+`\.`roll_codes`/); // it was read for real
    for (const c of issued) {
      expect(stdout).not.toContain(c.code);
      expect(stdout).not.toContain(c.code.replace(/-/g, ''));
    }
  });
});

describe('guessing codes', () => {
  it('stops one address with 429 and Retry-After after its budget of wrong codes', async () => {
    const e = await rollElection();
    await ok(importRoll(e.id, voters(2, 'G')), 201);
    const good = (await issue(e.id)).codes;
    await openElection({ baseUrl: stack.baseUrl, token: admin }, e.id);
    let limited: Answer | undefined;
    let tries = 0;
    while (!limited && tries < 200) {
      tries++;
      const r = await exchange(e.id, randomBytes(8).toString('hex'), '127.0.0.7');
      if (r.status === 429) limited = r;
      else expect(r.status).toBe(401);
    }
    expect(limited).toBeDefined();
    expect(tries).toBeLessThanOrEqual(31);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited!.body.error?.details?.limit).toBe('codeMissesPerIp');
    // Even a right code waits now from that address; another address is unaffected.
    expect((await exchange(e.id, good[0]!.code, '127.0.0.7')).status).toBe(429);
    expect((await exchange(e.id, good[0]!.code, '127.0.0.8')).status).toBe(201);
  });

  it('stops guessing spread over many addresses with the election’s budget', async () => {
    const e = await rollElection();
    await ok(importRoll(e.id, voters(1, 'H')), 201);
    await issue(e.id);
    await openElection({ baseUrl: stack.baseUrl, token: admin }, e.id);
    const froms = Array.from({ length: 20 }, (_, i) => `127.0.1.${i + 1}`);
    const attempts = Array.from({ length: 340 }, (_, i) => froms[i % froms.length]!);
    const answers = await inParallel(attempts, 10, (from) =>
      exchange(e.id, randomBytes(8).toString('hex'), from),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body.error?.details?.limit).toBe('codeMissesPerElection');
    // Each address spent 17, under its own budget of 30: the election's budget stopped them.
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(300 + 10);
  });
});
