// Results from the counters, read on a replica (the router spreads reads over both and waits
// for a GTID when given one). One statement, so version, count and counters form one snapshot;
// its cost does not depend on how many ballots were cast.
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { AccessMode, ElectionStatus, Results } from '@tallyboard/shared';
import { isGtidSyntax, masterHasGtid, type DbFlavor } from '../db/gtid';
import type { ReadOptions, ReplicaRouter } from '../db/replicas';
import { DomainError } from '../errors';
import { eligibleOf, statusOfRow } from '../elections/store';
import { rankCandidates } from './ranking';

interface CounterRow extends RowDataPacket {
  version: number;
  ballots: number;
  blank: number;
  status: ElectionStatus;
  access: AccessMode;
  roll_size: number;
  opens_at: Date | null;
  closes_at: Date | null;
  now: Date;
  position_id: string;
  winners: number;
  marked: number;
  abstained: number;
  candidate_id: string;
  votes: number | null;
}

export type ResultsReader = Pick<ReplicaRouter, 'read'>;

export async function readResultsOn(conn: PoolConnection, electionId: string): Promise<Results> {
  const [rows] = await conn.query<CounterRow[]>(
    `SELECT t.version, t.ballots, t.blank, e.status, e.opens_at, e.closes_at, e.access, e.roll_size,
            UTC_TIMESTAMP(3) AS now, p.id AS position_id, p.winners, p.marked, p.abstained, c.id AS candidate_id, k.votes
     FROM election_tallies t
     JOIN elections e ON e.id = t.election_id
     JOIN positions p ON p.election_id = t.election_id
     JOIN candidates c ON c.position_id = p.id
     LEFT JOIN tally_counters k ON k.election_id = t.election_id AND k.candidate_id = c.id
     WHERE t.election_id = ?
     ORDER BY p.ord, c.ord`,
    [electionId],
  );
  const first = rows[0];
  if (!first) throw new DomainError('not_found', 'election not found');
  // Rows come ordered by position, then candidate; group them keeping that order.
  const groups = new Map<
    string,
    {
      winners: number;
      marked: number;
      abstained: number;
      counters: Array<{ id: string; votes: number }>;
    }
  >();
  for (const r of rows) {
    let g = groups.get(r.position_id);
    if (!g) {
      g = {
        winners: Number(r.winners),
        marked: Number(r.marked),
        abstained: Number(r.abstained),
        counters: [],
      };
      groups.set(r.position_id, g);
    }
    g.counters.push({ id: r.candidate_id, votes: Number(r.votes ?? 0) });
  }
  const ballots = Number(first.ballots);
  const positions = [...groups].map(([id, g]) => ({
    id,
    candidates: rankCandidates(g.counters, g.winners),
    abstained: g.abstained,
    // Unmarked here and not abstaining: every ballot counted in, whatever it did elsewhere.
    blank: Math.max(0, ballots - g.marked - g.abstained),
  }));
  const status = statusOfRow(first);
  return {
    version: Number(first.version),
    ballots,
    blank: Number(first.blank),
    final: status === 'closed',
    eligible: eligibleOf(first),
    positions,
  };
}

/** The results of an election from a replica; pass `gtid` to reflect a known write. */
export function readResults(
  router: ResultsReader,
  electionId: string,
  opts: ReadOptions = {},
): Promise<Results> {
  return router.read((conn) => readResultsOn(conn, electionId), opts);
}

const badGtid = (message: string): DomainError =>
  new DomainError('invalid', message, { issues: [{ path: ['gtid'], message }] });

/**
 * The GTID a caller asks its results to reflect (`?gtid=`), checked before any replica waits for
 * it: it must be a GTID of the database's flavor and one the master has already committed. A
 * malformed one would reach the wait function as an SQL error; one from the future would hold the
 * read on every replica until the wait times out. Both are refused (422), not served unwaited: a
 * client that sends a GTID wants that write reflected, and no replica can promise it.
 */
export async function checkClientGtid(
  master: Pool,
  flavor: DbFlavor,
  raw: unknown,
): Promise<string | undefined> {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !isGtidSyntax(flavor, raw)) {
    throw badGtid(
      flavor === 'mariadb'
        ? 'gtid must be a MariaDB GTID such as 0-1-42'
        : 'gtid must be a MySQL GTID set such as 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42',
    );
  }
  if (!(await masterHasGtid(master, flavor, raw))) {
    throw badGtid('gtid is ahead of the master: no write with this GTID has committed');
  }
  return raw;
}
