// The anonymity hold's pure decisions (ballots/anonymity.ts): when held ballots commit, and that
// a batch never splits a released group below the election's anonymity set.
import {
  batchLength,
  defaultAnonymitySet,
  groupReady,
  holdDeadline,
  holds,
} from '../../src/ballots/anonymity';

describe('anonymity hold', () => {
  it('holds only elections whose anonymity set is above one, five by default unless open', () => {
    expect(holds(1)).toBe(false);
    expect(holds(5)).toBe(true);
    expect(defaultAnonymitySet('open')).toBe(1);
    expect(defaultAnonymitySet('accounts')).toBe(5);
    expect(defaultAnonymitySet('roll')).toBe(5);
  });

  it('releases a group once it holds k ballots, or at its deadline, not before', () => {
    expect(groupReady(4, 5, 10_000, 9_999)).toBe(false);
    expect(groupReady(5, 5, 10_000, 1)).toBe(true);
    expect(groupReady(1, 5, 10_000, 10_000)).toBe(true);
  });

  it('ends the hold at the longest wait, or just before a scheduled close', () => {
    const t = { firstAt: 1_000, maxWaitMs: 8_000, closeMarginMs: 1_000 };
    expect(holdDeadline({ ...t, closesAt: null })).toBe(9_000);
    expect(holdDeadline({ ...t, closesAt: 5_000 })).toBe(4_000);
    expect(holdDeadline({ ...t, closesAt: 60_000 })).toBe(9_000);
    // A close already (nearly) due: the deadline has passed, the ballot goes at once.
    expect(holdDeadline({ ...t, closesAt: 1_500 })).toBeLessThan(1_000);
  });

  it('never cuts a released group across two batches', () => {
    // [a a a][b b b b b]: a batch of at most 6 takes the three a's, not a + 3 b's.
    expect(batchLength([1, 1, 1, 2, 2, 2, 2, 2], 6)).toBe(3);
    expect(batchLength([1, 1, 1, 2, 2, 2, 2, 2], 8)).toBe(8);
    // Ungrouped ballots (k = 1) fill up to the maximum.
    expect(batchLength([undefined, undefined, undefined, 7, 7], 3)).toBe(3);
    expect(batchLength([undefined, undefined, 7, 7], 3)).toBe(2);
  });

  it('splits only a group bigger than a whole batch', () => {
    expect(batchLength([4, 4, 4, 4, 4], 3)).toBe(3);
  });
});
