// The order ballots are written in within a batch: a fresh random permutation each time, so a
// ballot's place in the binlog says nothing about when its request arrived.
import { ABSTAIN } from '@tallyboard/shared';
import { positionCounts, shuffled } from '../../src/ballots/batch';

describe('shuffled', () => {
  it('returns a permutation and leaves its input alone', () => {
    const input = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffled(input);
    expect(out).not.toBe(input);
    expect([...out].sort((a, b) => a - b)).toEqual(input);
    expect(input).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled([])).toEqual([]);
    expect(shuffled(['only'])).toEqual(['only']);
  });

  it('gives every order of three alike (60,000 draws, each within 6.5 sigma of 10,000)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const k = shuffled(['a', 'b', 'c']).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(600);
  });
});

describe('positionCounts', () => {
  const ballot = (pairs: Array<[string, string]>) => ({
    electionId: 'e',
    voterKey: 'v',
    receipt: 'r',
    pairs,
  });
  it('counts a ballot once per position it marked, however many candidates, and abstentions apart', () => {
    const { marked, abstained } = positionCounts([
      ballot([
        ['p1', 'a'],
        ['p1', 'b'],
        ['p2', ABSTAIN],
      ]),
      ballot([['p1', 'c']]),
      ballot([]),
    ]);
    expect(Object.fromEntries(marked)).toEqual({ p1: 2 });
    expect(Object.fromEntries(abstained)).toEqual({ p2: 1 });
  });
});
