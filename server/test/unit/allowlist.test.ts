// Allowlists of `accounts` elections and the one spelling of an email: pure logic shared by the
// admin form and the server.
import {
  allowlistKeys,
  allowlistSchema,
  electionInputSchema,
  isOnAllowlist,
  normalizeEmail,
  parseAllowlistEntry,
} from '@tallyboard/shared';

describe('normalizeEmail', () => {
  it('trims, lower-cases and composes to NFC', () => {
    expect(normalizeEmail('  Ada@School.EDU ')).toBe('ada@school.edu');
    expect(normalizeEmail('jose\u0301@example.org')).toBe('jos\u00e9@example.org');
  });
});

describe('parseAllowlistEntry', () => {
  it('reads addresses and @domains, normalised', () => {
    expect(parseAllowlistEntry(' Ada@School.edu ')).toEqual({
      kind: 'email',
      value: 'ada@school.edu',
    });
    expect(parseAllowlistEntry('@School.EDU')).toEqual({ kind: 'domain', value: '@school.edu' });
    expect(parseAllowlistEntry('@cs.school.edu')).toEqual({
      kind: 'domain',
      value: '@cs.school.edu',
    });
  });

  it.each([
    'school.edu',
    '@',
    '@edu',
    '@school..edu',
    '@-school.edu',
    '@school.edu.',
    'a@b@school.edu',
    'a b@school.edu',
    'ada@',
    '',
    '@school.edu/x',
  ])('refuses %j', (raw) => {
    expect(parseAllowlistEntry(raw)).toBeNull();
  });
});

describe('matching', () => {
  const list = ['@school.edu', 'guest@example.org'];

  it('admits the listed address and every address of a listed domain, in any case', () => {
    expect(isOnAllowlist(list, 'Guest@Example.org')).toBe(true);
    expect(isOnAllowlist(list, 'ada@SCHOOL.edu')).toBe(true);
  });

  it('refuses other addresses, subdomains and look-alike domains', () => {
    expect(isOnAllowlist(list, 'other@example.org')).toBe(false);
    expect(isOnAllowlist(list, 'ada@cs.school.edu')).toBe(false);
    expect(isOnAllowlist(list, 'ada@notschool.edu')).toBe(false);
    expect(isOnAllowlist(list, 'ada@school.edu.evil.test')).toBe(false);
  });

  it('admits everyone when the list is empty', () => {
    expect(isOnAllowlist([], 'anyone@anywhere.test')).toBe(true);
  });

  it('looks up exactly the address and its own domain', () => {
    expect(allowlistKeys(' Ada@CS.School.edu')).toEqual(['ada@cs.school.edu', '@cs.school.edu']);
  });
});

describe('allowlistSchema', () => {
  it('normalises and drops duplicates', () => {
    expect(allowlistSchema.parse(['@School.edu', '@school.edu ', 'A@x.org', 'a@X.org'])).toEqual([
      '@school.edu',
      'a@x.org',
    ]);
  });

  it('names each bad entry by its index', () => {
    const r = allowlistSchema.safeParse(['ok@x.org', 'nope', '@also-bad']);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path)).toEqual([[1], [2]]);
  });

  it('belongs to accounts elections only', () => {
    const base = {
      title: 'T',
      resultsVisibility: 'live',
      positions: [{ title: 'P', maxSelections: 1, winners: 1, candidates: [{ name: 'A' }] }],
      allowlist: ['@school.edu'],
    };
    expect(electionInputSchema.safeParse({ ...base, access: 'accounts' }).success).toBe(true);
    const open = electionInputSchema.safeParse({ ...base, access: 'open' });
    expect(open.error?.issues.map((i) => i.path)).toEqual([['allowlist']]);
  });
});
