// Voter rolls, pure parts: the ballot code's format, how a typed code is read, its keyed hash,
// the import plan (duplicates by ref, one entry per email), roll voter tokens and who may vote.
import { createHmac } from 'node:crypto';
import { rollImportSchema, rollCodesRequestSchema } from '@tallyboard/shared';
import {
  issueRollVoterToken,
  issueVoterToken,
  signToken,
  verifyToken,
  voterKey,
  type Principal,
} from '../../src/accounts/tokens';
import { parseConfig } from '../../src/config';
import { assertCanVote, canView } from '../../src/elections/rules';
import { DomainError } from '../../src/errors';
import {
  CODE_SYMBOLS,
  ballotLink,
  formatBallotCode,
  hashBallotCode,
  newBallotCode,
  normalizeBallotCode,
} from '../../src/roll/codes';
import { planImport } from '../../src/roll/entries';

const SECRET = 'unit-test-secret';
const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

const code = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'thrown';
  }
};

describe('ballot codes', () => {
  it('are 16 base32 symbols (80 bits) in four groups of four, none alike', () => {
    expect(CODE_SYMBOLS * 5).toBeGreaterThanOrEqual(80);
    const codes = Array.from({ length: 2000 }, newBallotCode);
    for (const c of codes) expect(c).toMatch(FORMAT);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('use every symbol of the alphabet about equally (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      for (const ch of newBallotCode().replace(/-/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    const expected = (4000 * 16) / 32;
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.2);
  });

  it('read back whatever way a voter types them', () => {
    const c = 'AB0C-D1EF-GH23-JK45';
    const symbols = 'AB0CD1EFGH23JK45';
    expect(normalizeBallotCode(c)).toBe(symbols);
    expect(normalizeBallotCode('ab0c d1ef gh23 jk45')).toBe(symbols);
    expect(normalizeBallotCode(' abOc-dIef-gh23-jk45 ')).toBe(symbols);
    expect(normalizeBallotCode('ABOC–DLEF–GH23–JK45')).toBe(symbols); // en dashes, O and L
    expect(formatBallotCode(symbols)).toBe(c);
  });

  it('refuse what cannot be a code', () => {
    expect(normalizeBallotCode('')).toBeNull();
    expect(normalizeBallotCode('AB0C-D1EF-GH23-JK4')).toBeNull(); // 15 symbols
    expect(normalizeBallotCode('AB0C-D1EF-GH23-JK456')).toBeNull(); // 17
    expect(normalizeBallotCode('AB0C-D1EF-GH23-JKU5')).toBeNull(); // U is not a symbol
    expect(normalizeBallotCode('AB0C-D1EF-GH23-JK4$')).toBeNull();
  });

  it('are stored as an HMAC under the code secret, never as themselves', () => {
    const h = hashBallotCode(SECRET, 'AB0CD1EFGH23JK45');
    expect(h).toHaveLength(32);
    expect(h.equals(hashBallotCode(SECRET, 'AB0CD1EFGH23JK45'))).toBe(true);
    expect(h.equals(hashBallotCode('another secret', 'AB0CD1EFGH23JK45'))).toBe(false);
    expect(h.equals(hashBallotCode(SECRET, 'AB0CD1EFGH23JK46'))).toBe(false);
    const plain = createHmac('sha256', SECRET).update('tb-ballot-code.AB0CD1EFGH23JK45').digest();
    expect(h.equals(plain)).toBe(true);
  });

  it('link to the ballot page of their election', () => {
    expect(ballotLink('ABC234', 'AB0C-D1EF-GH23-JK45')).toBe(
      '/vote/ABC234?code=AB0C-D1EF-GH23-JK45',
    );
  });
});

describe('a roll import', () => {
  const v = (ref: string, email?: string) => ({
    ref,
    name: `N ${ref}`,
    ...(email ? { email } : {}),
  });

  it('adds new refs once and reports each duplicate ref once', () => {
    const plan = planImport(
      [v('a'), v('b'), v('a'), v('c'), v('a'), v('old')],
      new Set(['old']),
      new Set(),
    );
    expect(plan.fresh.map((x) => x.ref)).toEqual(['a', 'b', 'c']);
    expect(plan.duplicates.sort()).toEqual(['a', 'old']);
    expect(plan.emailIssues).toEqual([]);
  });

  it('compares refs exactly: S-01 and s-01 are two people', () => {
    expect(planImport([v('S-01'), v('s-01')], new Set(), new Set()).fresh).toHaveLength(2);
  });

  it('refuses an email on two entries, in the list or on the roll already', () => {
    const plan = planImport(
      [v('a', 'x@e.org'), v('b', 'x@e.org'), v('c', 'y@e.org')],
      new Set(),
      new Set(['y@e.org']),
    );
    expect(plan.emailIssues.map((i) => i.path)).toEqual([
      ['voters', 1, 'email'],
      ['voters', 2, 'email'],
    ]);
  });

  it('checks entries: ref and name required, emails lower-cased, blanks as none', () => {
    const ok = rollImportSchema.parse({
      voters: [
        { ref: ' 1001 ', name: 'Ada', email: 'Ada@School.EDU' },
        { ref: '1002', name: 'Grace', email: '' },
      ],
    });
    expect(ok.voters[0]).toEqual({ ref: '1001', name: 'Ada', email: 'ada@school.edu' });
    expect(ok.voters[1]?.email).toBeUndefined();
    for (const bad of [
      { voters: [] },
      { voters: [{ ref: '', name: 'x' }] },
      { voters: [{ ref: 'a/b', name: 'x' }] },
      { voters: [{ ref: 'a', name: '  ' }] },
      { voters: [{ ref: 'a', name: 'x', email: 'nope' }] },
      { voters: [{ ref: 'a', name: 'x', extra: 1 }] },
    ]) {
      expect(rollImportSchema.safeParse(bad).success).toBe(false);
    }
    expect(rollCodesRequestSchema.parse({})).toEqual({});
    expect(rollCodesRequestSchema.safeParse({ refs: [] }).success).toBe(false);
  });
});

describe('roll voter tokens', () => {
  const scope = { electionId: 'e1', entryId: 'n1', codeId: 'c1' };

  it('carry their election, entry and code, and the entry is the participation key', () => {
    const claims = verifyToken(SECRET, issueRollVoterToken(SECRET, scope, 1));
    expect(claims).toMatchObject({ t: 'r', sub: 'n1', e: 'e1', c: 'c1' });
    const p: Principal = { kind: 'voter', voterId: 'n1', roll: scope };
    expect(voterKey(p)).toBe('r:n1');
    expect(voterKey({ kind: 'voter', voterId: 'n1' })).toBe('v:n1');
  });

  it('are refused without their election or code', () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const noElection = signToken(SECRET, { t: 'r', sub: 'n1', e: '', c: 'c1', exp });
    expect(verifyToken(SECRET, noElection)).toBeNull();
  });

  it('vote on their roll election only; a plain voter token votes on no roll', () => {
    const roll: Principal = { kind: 'voter', voterId: 'n1', roll: scope };
    const anon: Principal = { kind: 'voter', voterId: 'v1' };
    const user: Principal = { kind: 'user', userId: 'u1', role: 'voter' };
    const open = { status: 'open' as const, access: 'open' as const };
    const onRoll = { status: 'open' as const, access: 'roll' as const };
    expect(code(() => assertCanVote(onRoll, roll))).toBeUndefined();
    expect(code(() => assertCanVote(onRoll, user))).toBeUndefined(); // its entry is looked up
    expect(code(() => assertCanVote(onRoll, anon))).toBe('forbidden');
    expect(code(() => assertCanVote(open, roll))).toBe('forbidden');
    expect(code(() => assertCanVote(open, anon))).toBeUndefined();
    expect(verifyToken(SECRET, issueVoterToken(SECRET, 1))?.t).toBe('v');
  });

  it('see a roll election, as signed-in users do; anonymous visitors do not', () => {
    const e = {
      status: 'open' as const,
      access: 'roll' as const,
      resultsVisibility: 'live' as const,
    };
    expect(canView(e, { kind: 'voter', voterId: 'n1', roll: scope })).toBe(true);
    expect(canView(e, { kind: 'user', userId: 'u1', role: 'voter' })).toBe(true);
    expect(canView(e, { kind: 'voter', voterId: 'v1' })).toBe(false);
    expect(canView(e, null)).toBe(false);
  });
});

describe('the code secret', () => {
  const prod = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'a'.repeat(32),
    DB_PASSWORD: 'b'.repeat(24),
    ADMIN_PASSWORD: 'c'.repeat(18),
    REDIS_URL: `redis://:${'d'.repeat(24)}@127.0.0.1:6380`,
  };

  it('is derived from SESSION_SECRET unless set, and never is SESSION_SECRET itself', () => {
    const derived = parseConfig(prod).rollCodes.secret;
    expect(derived).not.toBe(prod.SESSION_SECRET);
    expect(derived).toHaveLength(64);
    expect(parseConfig({ ...prod, SESSION_SECRET: 'e'.repeat(32) }).rollCodes.secret).not.toBe(
      derived,
    );
    expect(parseConfig({ ...prod, ROLL_CODE_SECRET: 'f'.repeat(32) }).rollCodes.secret).toBe(
      'f'.repeat(32),
    );
  });

  it('is refused when set short in production', () => {
    expect(() => parseConfig({ ...prod, ROLL_CODE_SECRET: 'short' })).toThrow(/ROLL_CODE_SECRET/);
  });
});
