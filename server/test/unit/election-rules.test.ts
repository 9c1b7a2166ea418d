import { ABSTAIN, type Election } from '@tallyboard/shared';
import {
  assertCanSeeResults,
  assertCanView,
  assertCanVote,
  effectiveStatus,
  validateSelections,
} from '../../src/elections/rules';
import { DomainError } from '../../src/errors';

const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));

describe('effectiveStatus', () => {
  it('keeps a draft a draft whatever its times', () => {
    expect(effectiveStatus({ status: 'draft', opensAt: t(0), closesAt: t(10) }, t(5))).toBe(
      'draft',
    );
  });
  it('opens a scheduled election when opensAt passes, before any job flips it', () => {
    const e = { status: 'scheduled' as const, opensAt: t(10), closesAt: t(20) };
    expect(effectiveStatus(e, t(9))).toBe('scheduled');
    expect(effectiveStatus(e, t(10))).toBe('open');
    expect(effectiveStatus(e, t(20))).toBe('closed');
  });
  it('closes an open election at closesAt', () => {
    expect(effectiveStatus({ status: 'open', opensAt: null, closesAt: t(3) }, t(2))).toBe('open');
    expect(effectiveStatus({ status: 'open', opensAt: null, closesAt: t(3) }, t(3))).toBe('closed');
  });
});

const election: Pick<Election, 'positions'> = {
  positions: [
    {
      id: 'p1',
      title: 'Chair',
      description: null,
      maxSelections: 1,
      winners: 1,
      allowAbstain: false,
      candidates: [
        { id: 'a', name: 'A', description: null, photoUrl: null },
        { id: 'b', name: 'B', description: null, photoUrl: null },
      ],
    },
    {
      id: 'p2',
      title: 'Board',
      description: null,
      maxSelections: 2,
      winners: 2,
      allowAbstain: true,
      candidates: [
        { id: 'c', name: 'C', description: null, photoUrl: null },
        { id: 'd', name: 'D', description: null, photoUrl: null },
        { id: 'e', name: 'E', description: null, photoUrl: null },
      ],
    },
  ],
};

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return undefined;
};

describe('validateSelections', () => {
  it('accepts blank and partial ballots', () => {
    expect(validateSelections(election, {})).toEqual([]);
    expect(validateSelections(election, { p1: [] })).toEqual([]);
    expect(validateSelections(election, { p2: ['c', 'e'] })).toEqual([
      ['p2', 'c'],
      ['p2', 'e'],
    ]);
  });
  it('rejects too many selections', () => {
    expect(code(() => validateSelections(election, { p1: ['a', 'b'] }))).toBe('invalid');
  });
  it('rejects a candidate of another position', () => {
    expect(code(() => validateSelections(election, { p1: ['c'] }))).toBe('invalid');
  });
  it('accepts an explicit abstention only where the position offers it, and only alone', () => {
    expect(validateSelections(election, { p2: [ABSTAIN] })).toEqual([['p2', ABSTAIN]]);
    expect(code(() => validateSelections(election, { p1: [ABSTAIN] }))).toBe('invalid');
    expect(code(() => validateSelections(election, { p2: [ABSTAIN, 'c'] }))).toBe('invalid');
  });
  it('rejects a candidate twice and unknown positions', () => {
    expect(code(() => validateSelections(election, { p2: ['c', 'c'] }))).toBe('invalid');
    expect(code(() => validateSelections(election, { nope: [] }))).toBe('invalid');
  });
  it('rejects prototype keys as unknown positions instead of skipping them', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const selections = JSON.parse(`{"${key}":["a"],"p1":["a"]}`) as Record<string, string[]>;
      expect(code(() => validateSelections(election, selections))).toBe('invalid');
    }
  });
});

describe('access and visibility', () => {
  const voter = { kind: 'voter' as const, voterId: 'v' };
  const user = { kind: 'user' as const, userId: 'u', role: 'voter' as const };
  const admin = { kind: 'user' as const, userId: 'x', role: 'admin' as const };
  const base = {
    status: 'open' as const,
    access: 'open' as const,
    resultsVisibility: 'live' as const,
  };

  it('hides drafts from everyone but admins', () => {
    expect(code(() => assertCanView({ ...base, status: 'draft' }, voter))).toBe('not_found');
    expect(code(() => assertCanView({ ...base, status: 'draft' }, admin))).toBeUndefined();
  });
  it('refuses a ballot for a draft as not found, except to an admin', () => {
    const draft = { ...base, status: 'draft' as const };
    expect(code(() => assertCanVote(draft, voter))).toBe('not_found');
    expect(code(() => assertCanVote(draft, user))).toBe('not_found');
    expect(code(() => assertCanVote({ ...draft, access: 'accounts' as const }, voter))).toBe(
      'not_found',
    );
    expect(code(() => assertCanVote(draft, admin))).toBeUndefined();
  });
  it('keeps accounts elections for signed-in users', () => {
    const e = { ...base, access: 'accounts' as const };
    expect(code(() => assertCanVote(e, voter))).toBe('forbidden');
    expect(code(() => assertCanVote(e, user))).toBeUndefined();
    expect(code(() => assertCanView(e, null))).toBe('unauthorized');
  });
  it('refuses hidden results to voters and shows them to admins', () => {
    const after = { ...base, resultsVisibility: 'after_close' as const };
    expect(code(() => assertCanSeeResults(after, voter))).toBe('results_hidden');
    expect(code(() => assertCanSeeResults({ ...after, status: 'closed' }, voter))).toBeUndefined();
    const adminOnly = {
      ...base,
      status: 'closed' as const,
      resultsVisibility: 'admin_only' as const,
    };
    expect(code(() => assertCanSeeResults(adminOnly, user))).toBe('results_hidden');
    expect(code(() => assertCanSeeResults(adminOnly, admin))).toBeUndefined();
    expect(code(() => assertCanSeeResults(base, null))).toBeUndefined();
  });
});
