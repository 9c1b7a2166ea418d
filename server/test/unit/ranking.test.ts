import { rankCandidates } from '../../src/tallies/ranking';

const rank = (votes: number[], winners: number) =>
  rankCandidates(
    votes.map((v, i) => ({ id: `c${i}`, votes: v })),
    winners,
  ).map((c) => [c.rank, c.winner, c.tied]);

describe('rankCandidates', () => {
  it('ranks by votes and marks the top `winners` as winners', () => {
    expect(rank([3, 9, 5], 1)).toEqual([
      [3, false, false],
      [1, true, false],
      [2, false, false],
    ]);
  });

  it('flags a tie at the winners boundary and marks none of the tied group as winner', () => {
    expect(rank([9, 5, 5, 1], 2)).toEqual([
      [1, true, false],
      [2, false, true],
      [2, false, true],
      [4, false, false],
    ]);
  });

  it('marks a tied group as winners when it fits within the seats', () => {
    expect(rank([5, 5, 1], 2)).toEqual([
      [1, true, true],
      [1, true, true],
      [3, false, false],
    ]);
  });

  it('never makes a candidate without votes a winner', () => {
    expect(rank([0, 0], 1).map(([, w]) => w)).toEqual([false, false]);
    expect(rank([4, 0], 2).map(([, w]) => w)).toEqual([true, false]);
  });

  it('flags ties below the boundary without changing winners', () => {
    expect(rank([9, 2, 2], 1)).toEqual([
      [1, true, false],
      [2, false, true],
      [2, false, true],
    ]);
  });
});
