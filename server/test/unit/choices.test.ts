import { ABSTAIN } from '@tallyboard/shared';
import { countChoices, encodeChoices } from '../../src/ballots/choices';

const recount = (...stored: string[]) => {
  const votes = new Map<string, number>();
  const abstained = new Map<string, number>();
  for (const s of stored) countChoices(s, votes, abstained);
  return { votes: Object.fromEntries(votes), abstained: Object.fromEntries(abstained) };
};

describe('ballot choices column', () => {
  it('stores candidates by id and an abstention as its position', () => {
    expect(
      encodeChoices([
        ['p1', 'c1'],
        ['p1', 'c2'],
        ['p2', ABSTAIN],
      ]),
    ).toBe('c1 c2 -p2');
  });

  it('stores a blank ballot as the empty string, which counts nothing', () => {
    expect(encodeChoices([])).toBe('');
    expect(recount('')).toEqual({ votes: {}, abstained: {} });
  });

  it('recounts what was encoded, candidates and abstentions apart', () => {
    const a = encodeChoices([
      ['p1', 'c1'],
      ['p2', ABSTAIN],
    ]);
    const b = encodeChoices([
      ['p1', 'c1'],
      ['p1', 'c3'],
      ['p2', 'c9'],
    ]);
    expect(recount(a, b, '')).toEqual({
      votes: { c1: 2, c3: 1, c9: 1 },
      abstained: { p2: 1 },
    });
  });

  it('reads the text the migration wrote from the old rows (single spaces, no padding)', () => {
    expect(recount('c1 c2 -p7')).toEqual({ votes: { c1: 1, c2: 1 }, abstained: { p7: 1 } });
  });
});
