import { newId, newJoinCode, newReceipt } from '../../src/ids';
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
