// The one rule for winners and ties, used by the server's results and the client's badges alike.
// Candidates are ranked by votes, equal votes sharing a rank ("1224"). Winners are the candidates
// whose whole vote group lies strictly inside the seats. `tied` marks only the group that crosses
// the last seat: those candidates tie for a winning place, and a human must break it. Ties wholly
// inside the seats (all win) or below them (none wins) are not flagged. A candidate without votes
// never wins nor ties, so a position without votes (0 ballots, or every ballot blank there) has no
// winners and no tie, and a seat may stay empty.
import type { CandidateResult } from './wire';

export interface CandidateCount {
  id: string;
  votes: number;
}

/** Rank, winner and tie for each candidate of one position, in the order given. */
export function rankCandidates(counts: CandidateCount[], seats: number): CandidateResult[] {
  return counts.map((c) => {
    const ahead = counts.filter((o) => o.votes > c.votes).length;
    const group = counts.filter((o) => o.votes === c.votes).length;
    const contends = c.votes > 0 && ahead < seats;
    return {
      id: c.id,
      votes: c.votes,
      rank: ahead + 1,
      winner: contends && ahead + group <= seats,
      tied: contends && ahead + group > seats,
    };
  });
}

/** True when nobody in the position has a vote: there are no winners to announce. */
export const noVotesCast = (counts: CandidateCount[]): boolean => counts.every((c) => c.votes <= 0);
