import { hashPassword, verifyPassword } from '../../src/accounts/passwords';
import {
  issueSessionToken,
  issueVoterToken,
  signToken,
  strictBase64url,
  verifyToken,
  voterKey,
} from '../../src/accounts/tokens';

const SECRET = 'unit-test-secret';

describe('signed tokens', () => {
  it('round-trips a session token', () => {
    const token = issueSessionToken(SECRET, { id: 'u1', role: 'admin', tokenGen: 3 }, 1);
    expect(verifyToken(SECRET, token)).toMatchObject({ t: 's', sub: 'u1', r: 'admin', g: 3 });
  });
  it('gives every voter token a fresh random voter id', () => {
    const a = verifyToken(SECRET, issueVoterToken(SECRET, 1));
    const b = verifyToken(SECRET, issueVoterToken(SECRET, 1));
    expect(a?.t).toBe('v');
    expect(a?.sub).not.toBe(b?.sub);
  });
  it('rejects a forged signature, another secret, garbage and an expired token', () => {
    const token = issueVoterToken(SECRET, 1);
    const [p, body] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ t: 'v', sub: 'me', exp: 9e9 })).toString(
      'base64url',
    );
    expect(verifyToken(SECRET, `${p}.${forgedBody}.${token.split('.')[2]}`)).toBeNull();
    expect(verifyToken('other', token)).toBeNull();
    expect(verifyToken(SECRET, 'nonsense')).toBeNull();
    expect(verifyToken(SECRET, `${p}.${body}.`)).toBeNull();
    const expired = signToken(SECRET, { t: 'v', sub: 'x', exp: 1 });
    expect(verifyToken(SECRET, expired)).toBeNull();
  });
  it('accepts only the one canonical spelling of a signature', () => {
    const token = issueSessionToken(SECRET, { id: 'u1', role: 'admin', tokenGen: 0 }, 1);
    const [p, body, sig] = token.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sig.at(-1)!);
    // 32 bytes are 43 characters: the last one carries 4 bits and 2 unused ones.
    const lowBits = [1, 2, 3].map((d) => `${sig.slice(0, -1)}${alphabet[last ^ d]}`);
    const spellings = [
      ...lowBits,
      `${sig}==`,
      `${sig}=`,
      `${sig.slice(0, 10)}!${sig.slice(10)}`,
      `${sig.slice(0, 10)} ${sig.slice(10)}`,
      `${sig.slice(0, 10)}+${sig.slice(11)}`,
      `${sig}A`,
    ];
    for (const s of spellings) expect(verifyToken(SECRET, `${p}.${body}.${s}`)).toBeNull();
    expect(verifyToken(SECRET, `${p}.${body}=.${sig}`)).toBeNull();
    expect(verifyToken(SECRET, token)).not.toBeNull();
  });
  it('decodes base64url strictly', () => {
    expect(strictBase64url('AQID')?.toJSON().data).toEqual([1, 2, 3]);
    expect(strictBase64url('AQ')?.toJSON().data).toEqual([1]);
    expect(strictBase64url('AR')).toBeNull();
    expect(strictBase64url('AQ==')).toBeNull();
    expect(strictBase64url('A!Q')).toBeNull();
    expect(strictBase64url('A/Q+')).toBeNull();
  });
  it('derives distinct voter keys for users and anonymous voters', () => {
    expect(voterKey({ kind: 'user', userId: 'a', role: 'voter' })).toBe('u:a');
    expect(voterKey({ kind: 'voter', voterId: 'a' })).toBe('v:a');
  });
});

describe('passwords', () => {
  it('verifies the right password only', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash.startsWith('scrypt$')).toBe(true);
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('wrong horse', hash)).resolves.toBe(false);
    await expect(verifyPassword('x', 'not-a-hash')).resolves.toBe(false);
  });
});
