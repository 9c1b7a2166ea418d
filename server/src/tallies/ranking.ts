// Ranking a position's counters: standard competition ranking ("1224") and winners.
// Rule: candidates are ranked by votes (more is better; equal votes share a rank). `tied` marks a
// candidate sharing its vote count with another. A candidate wins when it has at least one vote
// and its whole tie group fits within the position's `winners` seats; when a tie straddles the
// last seat, nobody in that group is marked a winner (the tie must be broken by a human), while
// candidates strictly ahead of it still win.
import type { CandidateResult } from '@tallyboard/shared';

export function rankCandidates(
  counters: Array<{ id: string; votes: number }>,
  winners: number,
): CandidateResult[] {
  const byVotes = new Map<number, number>();
  for (const c of counters) byVotes.set(c.votes, (byVotes.get(c.votes) ?? 0) + 1);
  return counters.map((c) => {
    // Candidates strictly ahead, and how far this candidate's tie group reaches.
    const ahead = counters.filter((o) => o.votes > c.votes).length;
    const group = byVotes.get(c.votes) ?? 1;
    return {
      id: c.id,
      votes: c.votes,
      rank: ahead + 1,
      tied: group > 1,
      winner: c.votes > 0 && ahead + group <= winners,
    };
  });
}
