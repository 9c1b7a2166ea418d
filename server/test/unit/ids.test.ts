import { newId, newJoinCode, newReceipt, randomPooled } from '../../src/ids';
import { joinCodeSchema } from '@tallyboard/shared';

describe('ids', () => {
  it('makes opaque random ids and unambiguous join codes', () => {
    const ids = new Set(Array.from({ length: 1000 }, newId));
    expect(ids.size).toBe(1000);
    for (let i = 0; i < 200; i++) {
      const code = newJoinCode();
      expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{6}$/);
      expect(joinCodeSchema.safeParse(code).success).toBe(true);
    }
    expect(newReceipt()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });
});

describe('pooled randomness', () => {
  it('hands out each byte once, across pool refills, and copies the caller can keep', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const b = randomPooled(12);
      expect(b).toHaveLength(12);
      seen.add(b.toString('hex'));
    }
    expect(seen.size).toBe(2000); // 96 random bits each: a repeat means bytes were reused
    const kept = randomPooled(8);
    const copy = Buffer.from(kept);
    for (let i = 0; i < 1000; i++) randomPooled(16);
    expect(kept).toEqual(copy);
    expect(randomPooled(10_000)).toHaveLength(10_000);
  });
});
