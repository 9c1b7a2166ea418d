// Audit recount: counts the stored ballots' selections and compares them with the counters, all
// in one consistent snapshot so concurrent batches cannot make it disagree with itself.
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { AuditReport } from '@tallyboard/shared';
import type { ResultsReader } from './results';

export async function recountOn(conn: PoolConnection, electionId: string): Promise<AuditReport> {
  await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    const [counters] = await conn.query<RowDataPacket[]>(
      'SELECT position_id, candidate_id, votes FROM tally_counters WHERE election_id = ?',
      [electionId],
    );
    const [recount] = await conn.query<RowDataPacket[]>(
      `SELECT candidate_id, COUNT(*) AS n FROM ballot_selections WHERE election_id = ?
       GROUP BY candidate_id`,
      [electionId],
    );
    const [[ballots], [participation], [tally]] = await Promise.all([
      conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM ballots WHERE election_id = ?', [
        electionId,
      ]),
      conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM participation WHERE election_id = ?', [
        electionId,
      ]),
      conn.query<RowDataPacket[]>('SELECT ballots FROM election_tallies WHERE election_id = ?', [
        electionId,
      ]),
    ]);
    const recounted = new Map(recount.map((r) => [r.candidate_id as string, Number(r.n)]));
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
    const ballotCount = Number(ballots[0]?.n ?? 0);
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
