import { decryptReceipt, encryptReceipt, idempotencyHash } from '../../src/ballots/idempotency';

describe('idempotency memory', () => {
  const ids = { voterKey: 'v:1', electionId: 'e1', key: 'k' };

  it('hashes voter, election and key so another voter with the same key differs', () => {
    const a = idempotencyHash('v:1', 'e1', 'k');
    expect(a).toEqual(idempotencyHash('v:1', 'e1', 'k'));
    expect(a).not.toEqual(idempotencyHash('v:2', 'e1', 'k'));
    expect(a).not.toEqual(idempotencyHash('v:1', 'e2', 'k'));
    // Length-prefixed fields: shifting a character between fields changes the hash.
    expect(idempotencyHash('v:1e', '1', 'k')).not.toEqual(a);
  });

  it('stores the receipt so only the same voter and key can open it', () => {
    const blob = encryptReceipt('secret', ids, 'ABCD-EFGH');
    expect(blob.toString('utf8')).not.toContain('ABCD');
    expect(decryptReceipt('secret', ids, blob)).toBe('ABCD-EFGH');
    expect(decryptReceipt('secret', { ...ids, voterKey: 'v:2' }, blob)).toBeNull();
    expect(decryptReceipt('other', ids, blob)).toBeNull();
    expect(decryptReceipt('secret', ids, Buffer.alloc(10))).toBeNull();
  });
});
