// The tie rule shared by the server's results and the client's badges (shared/src/ranking.ts).
import { rankCandidates as serverRank } from '../../src/tallies/ranking';
import { noVotesCast, rankCandidates } from '@tallyboard/shared';

type Row = [rank: number, winner: boolean, tied: boolean];
const rank = (votes: number[], seats: number): Row[] =>
  rankCandidates(
    votes.map((v, i) => ({ id: `c${i}`, votes: v })),
    seats,
  ).map((c) => [c.rank, c.winner, c.tied]);

const W: Row[number] = true;

describe('rankCandidates', () => {
  it('is the function the server ranks results with', () => {
    expect(serverRank).toBe(rankCandidates);
  });

  describe('1 seat', () => {
    it('makes the leader the winner and flags nobody when the others tie below', () => {
      // Alice 1, Bob 0, Carol 0: Bob and Carol are not tied for a winning place.
      expect(rank([1, 0, 0], 1)).toEqual([
        [1, W, false],
        [2, false, false],
        [2, false, false],
      ]);
      expect(rank([9, 2, 2], 1)).toEqual([
        [1, W, false],
        [2, false, false],
        [2, false, false],
      ]);
    });

    it('flags a tie for the seat and names no winner', () => {
      expect(rank([4, 4, 1], 1)).toEqual([
        [1, false, true],
        [1, false, true],
        [3, false, false],
      ]);
    });
  });

  describe('2 seats', () => {
    it('flags only the group across the last seat; the candidate ahead wins without a tie', () => {
      expect(rank([9, 5, 5, 1], 2)).toEqual([
        [1, W, false],
        [2, false, true],
        [2, false, true],
        [4, false, false],
      ]);
    });

    it('lets a tie inside the seats win without flagging it', () => {
      expect(rank([5, 5, 1], 2)).toEqual([
        [1, W, false],
        [1, W, false],
        [3, false, false],
      ]);
    });

    it('never marks a candidate both winner and tied', () => {
      for (const votes of [
        [10, 10, 4, 4],
        [3, 3, 3],
        [7, 2, 2, 2, 0],
        [1, 0, 0],
      ]) {
        for (const c of rankCandidates(
          votes.map((v, i) => ({ id: `c${i}`, votes: v })),
          2,
        )) {
          expect(c.winner && c.tied).toBe(false);
        }
      }
    });

    it('leaves a seat empty rather than tie candidates without votes', () => {
      expect(rank([4, 0, 0], 2)).toEqual([
        [1, W, false],
        [2, false, false],
        [2, false, false],
      ]);
    });
  });

  describe('3 seats', () => {
    it('flags a three-way tie across the last seat', () => {
      expect(rank([8, 6, 3, 3, 3], 3)).toEqual([
        [1, W, false],
        [2, W, false],
        [3, false, true],
        [3, false, true],
        [3, false, true],
      ]);
    });

    it('does not flag ties inside or below the seats', () => {
      expect(rank([6, 6, 4, 2, 2], 3)).toEqual([
        [1, W, false],
        [1, W, false],
        [3, W, false],
        [4, false, false],
        [4, false, false],
      ]);
    });

    it('flags a tie that reaches from inside past the last seat', () => {
      expect(rank([5, 5, 5, 5], 3)).toEqual([
        [1, false, true],
        [1, false, true],
        [1, false, true],
        [1, false, true],
      ]);
    });
  });

  describe('0 ballots', () => {
    it('has no winners and no ties', () => {
      for (const seats of [1, 2, 3]) {
        expect(rank([0, 0, 0], seats)).toEqual([
          [1, false, false],
          [1, false, false],
          [1, false, false],
        ]);
      }
      expect(noVotesCast([{ id: 'a', votes: 0 }])).toBe(true);
      expect(noVotesCast([{ id: 'a', votes: 1 }])).toBe(false);
    });
  });
});
