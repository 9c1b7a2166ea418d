// Audit recount: counts the stored ballots' choices and compares them with the counters, all
// in one consistent snapshot so concurrent batches cannot make it disagree with itself.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { AuditReport } from '@tallyboard/shared';
import { countChoices } from '../ballots/choices';
import type { ResultsReader } from './results';

/** Ballots read per query: a large election is recounted in pages, not in one result set. */
const PAGE = 10_000;

/** Per candidate, how many stored ballots of the election chose it; and how many ballots. */
async function recountBallots(
  conn: PoolConnection,
  electionId: string,
): Promise<{ votes: Map<string, number>; ballots: number }> {
  const votes = new Map<string, number>();
  const abstained = new Map<string, number>();
  let ballots = 0;
  // Paged along the (election_id, receipt) unique key.
  for (let after = ''; ;) {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT receipt, choices FROM ballots WHERE election_id = ? AND receipt > ?
       ORDER BY receipt LIMIT ?`,
      [electionId, after, PAGE],
    );
    for (const r of rows) countChoices(r.choices as string, votes, abstained);
    ballots += rows.length;
    if (rows.length < PAGE) return { votes, ballots };
    after = rows[rows.length - 1]?.receipt as string;
  }
}

export async function recountOn(conn: PoolConnection, electionId: string): Promise<AuditReport> {
  await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    const [counters] = await conn.query<RowDataPacket[]>(
      'SELECT position_id, candidate_id, votes FROM tally_counters WHERE election_id = ?',
      [electionId],
    );
    const { votes: recounted, ballots: ballotCount } = await recountBallots(conn, electionId);
    const [[participation], [tally]] = await Promise.all([
      conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM participation WHERE election_id = ?', [
        electionId,
      ]),
      conn.query<RowDataPacket[]>('SELECT ballots FROM election_tallies WHERE election_id = ?', [
        electionId,
      ]),
    ]);
    const mismatches: AuditReport['mismatches'] = [];
    for (const c of counters) {
      const counter = Number(c.votes);
      const n = recounted.get(c.candidate_id as string) ?? 0;
      recounted.delete(c.candidate_id as string);
      if (counter !== n) {
        mismatches.push({
          positionId: c.position_id as string,
          candidateId: c.candidate_id as string,
          counter,
          recount: n,
        });
      }
    }
    // Selections of a candidate with no counter at all.
    for (const [candidateId, n] of recounted) {
      mismatches.push({ positionId: '', candidateId, counter: 0, recount: n });
    }
    const participationCount = Number(participation[0]?.n ?? 0);
    const counted = Number(tally[0]?.ballots ?? 0);
    return {
      match:
        mismatches.length === 0 && ballotCount === participationCount && ballotCount === counted,
      ballots: ballotCount,
      participation: participationCount,
      mismatches,
    };
  } finally {
    await conn.query('COMMIT');
  }
}

export function recount(
  router: ResultsReader,
  electionId: string,
  gtid?: string,
): Promise<AuditReport> {
  return router.read((conn) => recountOn(conn, electionId), gtid ? { gtid } : {});
}
