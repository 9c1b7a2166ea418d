// One group-commit batch: the SQL that writes many ballots in a single master transaction, in
// two round trips on a multi-statement connection (each round trip costs more than the rows):
//   1. START TRANSACTION, lock every touched election row in share mode with its status by the
//      master's clock (close takes it FOR UPDATE, so no ballot commits after close), insert the
//      participation rows (with their sealed Idempotency-Key memory) without failing on
//      duplicates, and read back by this batch's nonce which voters this batch recorded; when an
//      election turns out not open, all that is rolled back and done again in two steps;
//   2. ballots (what was chosen in one column, ballots/choices.ts), the per-election
//      version/ballot count and the per-candidate counters, COMMIT, and the commit's GTID.
// Two rows per ballot, whatever it chose. A failing statement stops the rest of its round trip,
// so COMMIT never follows an error.
import { randomInt } from 'node:crypto';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { onConnection } from '../db/master';
import { randomPooled } from '../ids';
import { currentGtidSql, gtidOfRows, type DbFlavor } from '../db/gtid';
import { ABSTAIN, type ElectionStatus } from '@tallyboard/shared';
import { statusOfRow } from '../elections/store';
import { encodeChoices } from './choices';
import { IDEMPOTENCY_TTL_HOURS } from './idempotency';

export interface BallotToWrite {
  electionId: string;
  voterKey: string;
  receipt: string;
  /** [positionId, candidateId], or [positionId, ABSTAIN] for an explicit abstention */
  pairs: Array<[string, string]>;
  /** The receipt sealed for an Idempotency-Key retry (idempotency.ts), kept with participation. */
  receiptEnc?: Buffer;
}

export type BallotOutcome =
  | { ok: true; receipt: string; /** the batch's commit */ gtid?: string }
  | { ok: false; code: 'not_found' | 'not_open' | 'already_voted'; status?: ElectionStatus };

interface ElectionLockRow extends RowDataPacket {
  id: string;
  status: ElectionStatus;
  opens_at: Date | null;
  closes_at: Date | null;
  now: Date;
}

interface ParticipationRow extends RowDataPacket {
  election_id: string;
  voter_key: string;
}

const pairKey = (electionId: string, voterKey: string): string => `${electionId}\u0000${voterKey}`;

/** A uniformly random permutation (Fisher-Yates over a CSPRNG), leaving `items` as it was. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

type Outcomes = Array<BallotOutcome | undefined>;

/**
 * Writes `ballots` in one transaction on a connection of `pool` (which must allow multiple
 * statements) and returns each ballot's outcome, in order, with the commit's GTID ('' when
 * nothing was written). Throws on database errors, after rolling back.
 */
export function commitBatch(
  pool: Pool,
  flavor: DbFlavor,
  ballots: BallotToWrite[],
): Promise<{ outcomes: BallotOutcome[]; gtid: string }> {
  return onConnection(pool, async (conn, state) => {
    let outcomes: Outcomes = new Array(ballots.length);
    const nothing = async (): Promise<{ outcomes: BallotOutcome[]; gtid: string }> => {
      await conn.query('ROLLBACK');
      state.inTransaction = false;
      return { outcomes: outcomes as BallotOutcome[], gtid: '' };
    };
    const electionIds = [...new Set(ballots.map((b) => b.electionId))].sort();
    state.inTransaction = true;
    // The usual batch (every election open) takes two round trips: the election locks and the
    // participation rows go in one, on the guess that every election is open. When one is not,
    // that is rolled back and the batch goes again, locks first.
    const allOpen = new Map(electionIds.map((id): [string, ElectionStatus] => [id, 'open']));
    let firstOf = firstBallotPerVoter(ballots, allOpen, outcomes);
    const guessed = await lockAndRecord(conn, ballots, firstOf, electionIds);
    let accepted = guessed.accepted;
    if (!electionIds.every((id) => guessed.statuses.get(id) === 'open')) {
      await conn.query('ROLLBACK');
      outcomes = new Array(ballots.length);
      const statuses = await beginAndLockElections(conn, electionIds);
      firstOf = firstBallotPerVoter(ballots, statuses, outcomes);
      if (firstOf.size === 0) return nothing();
      accepted = await recordParticipation(conn, ballots, firstOf, electionIds);
    }
    const written: BallotToWrite[] = [];
    for (const [k, i] of firstOf) {
      const b = ballots[i] as BallotToWrite;
      if (accepted.has(k)) {
        outcomes[i] = { ok: true, receipt: b.receipt };
        written.push(b);
      } else {
        outcomes[i] = { ok: false, code: 'already_voted' };
      }
    }
    if (written.length === 0) return nothing();
    const gtid = await writeBallotsAndCommit(conn, flavor, written, electionIds);
    state.inTransaction = false;
    return { outcomes: outcomes as BallotOutcome[], gtid };
  });
}

const LOCK_ELECTIONS_SQL = `START TRANSACTION;
  SELECT id, status, opens_at, closes_at, UTC_TIMESTAMP(3) AS now FROM elections
  WHERE id IN (?) ORDER BY id LOCK IN SHARE MODE`;

const statusesOf = (rows: ElectionLockRow[]): Map<string, ElectionStatus> =>
  new Map(rows.map((r) => [r.id, statusOfRow(r)]));

/**
 * START TRANSACTION and lock every touched election row in share mode, with its status by the
 * master's clock (close takes the row FOR UPDATE, so no ballot commits after it).
 */
async function beginAndLockElections(
  conn: PoolConnection,
  electionIds: string[],
): Promise<Map<string, ElectionStatus>> {
  const [first] = await conn.query<RowDataPacket[][]>(LOCK_ELECTIONS_SQL, [electionIds]);
  return statusesOf(first[1] as ElectionLockRow[]);
}

/** The election locks and the participation rows in one round trip (the usual case). */
async function lockAndRecord(
  conn: PoolConnection,
  ballots: BallotToWrite[],
  firstOf: Map<string, number>,
  electionIds: string[],
): Promise<{ statuses: Map<string, ElectionStatus>; accepted: Set<string> }> {
  const record = participationSql(ballots, firstOf, electionIds);
  const [rows] = await conn.query<RowDataPacket[][]>(`${LOCK_ELECTIONS_SQL};\n${record.sql}`, [
    electionIds,
    ...record.params,
  ]);
  return {
    statuses: statusesOf(rows[1] as ElectionLockRow[]),
    accepted: acceptedOf(rows[3] as ParticipationRow[]),
  };
}

/**
 * Settles what can be settled without the database (unknown or closed election, a second ballot
 * of one voter within the batch) into `outcomes`; returns the rest: pair key → ballot index.
 */
function firstBallotPerVoter(
  ballots: BallotToWrite[],
  statuses: Map<string, ElectionStatus>,
  outcomes: Outcomes,
): Map<string, number> {
  const firstOf = new Map<string, number>();
  ballots.forEach((b, i) => {
    const status = statuses.get(b.electionId);
    if (status === undefined) outcomes[i] = { ok: false, code: 'not_found' };
    else if (status !== 'open') outcomes[i] = { ok: false, code: 'not_open', status };
    else {
      const k = pairKey(b.electionId, b.voterKey);
      if (firstOf.has(k)) outcomes[i] = { ok: false, code: 'already_voted' };
      else firstOf.set(k, i);
    }
  });
  return firstOf;
}

/**
 * Participation rows, insert-or-keep. A duplicate keeps the other batch's nonce, so reading our
 * nonce back tells exactly which voters this transaction recorded, whatever other nodes do
 * concurrently. Two statements; the second's rows are the recorded voters.
 */
function participationSql(
  ballots: BallotToWrite[],
  firstOf: Map<string, number>,
  electionIds: string[],
): { sql: string; params: unknown[] } {
  // A fixed order of participation rows, so concurrent batches take their locks alike.
  const candidates = [...firstOf.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, i]) => ballots[i] as BallotToWrite);
  const nonce = randomPooled(12);
  const expires = new Date(Date.now() + IDEMPOTENCY_TTL_HOURS * 3600_000);
  return {
    sql: `INSERT INTO participation (election_id, voter_key, batch_nonce, receipt_enc, receipt_expires_at)
     VALUES ?
     ON DUPLICATE KEY UPDATE batch_nonce = batch_nonce;
     SELECT election_id, voter_key FROM participation
     WHERE election_id IN (?) AND voter_key IN (?) AND batch_nonce = ?`,
    params: [
      candidates.map((b) => [
        b.electionId,
        b.voterKey,
        nonce,
        b.receiptEnc ?? null,
        b.receiptEnc ? expires : null,
      ]),
      electionIds,
      [...new Set(candidates.map((b) => b.voterKey))],
      nonce,
    ],
  };
}

const acceptedOf = (rows: ParticipationRow[]): Set<string> =>
  new Set(rows.map((r) => pairKey(r.election_id, r.voter_key)));

/** Participation rows alone (after the locks, when an election was found not open). */
async function recordParticipation(
  conn: PoolConnection,
  ballots: BallotToWrite[],
  firstOf: Map<string, number>,
  electionIds: string[],
): Promise<Set<string>> {
  const { sql, params } = participationSql(ballots, firstOf, electionIds);
  const [rows] = await conn.query<RowDataPacket[][]>(sql, params);
  return acceptedOf(rows[1] as ParticipationRow[]);
}

/** Per position: how many of `ballots` marked a candidate there, and how many abstained. */
export function positionCounts(ballots: BallotToWrite[]): {
  marked: Map<string, number>;
  abstained: Map<string, number>;
} {
  const marked = new Map<string, number>();
  const abstained = new Map<string, number>();
  for (const b of ballots) {
    const mark = new Set<string>();
    const abstain = new Set<string>();
    for (const [p, c] of b.pairs) (c === ABSTAIN ? abstain : mark).add(p);
    for (const p of mark) marked.set(p, (marked.get(p) ?? 0) + 1);
    for (const p of abstain) abstained.set(p, (abstained.get(p) ?? 0) + 1);
  }
  return { marked, abstained };
}

/**
 * The last round trip: ballots with their choices, the per-election version and ballot count and the
 * per-candidate counters, COMMIT, and the commit's GTID.
 */
async function writeBallotsAndCommit(
  conn: PoolConnection,
  flavor: DbFlavor,
  recorded: BallotToWrite[],
  electionIds: string[],
): Promise<string> {
  // The binlog keeps rows in statement order: in arrival order, a ballot's position in its
  // batch could be matched with request times kept elsewhere (access logs). Random order.
  const written = shuffled(recorded);
  const sql: string[] = ['INSERT INTO ballots (election_id, receipt, choices) VALUES ?'];
  const params: unknown[] = [written.map((b) => [b.electionId, b.receipt, encodeChoices(b.pairs)])];
  // Per election, in id order (a fixed lock order between concurrent batches): the version and
  // ballot count first (this row lock serialises batches of one election), then the counters.
  for (const electionId of electionIds) {
    const mine = written.filter((b) => b.electionId === electionId);
    if (mine.length === 0) continue;
    const blank = mine.filter((b) => b.pairs.length === 0).length;
    sql.push(
      `UPDATE election_tallies SET version = version + 1, ballots = ballots + ?, blank = blank + ?
       WHERE election_id = ?`,
    );
    params.push(mine.length, blank, electionId);
    const { marked, abstained } = positionCounts(mine);
    const positionIds = [...new Set([...marked.keys(), ...abstained.keys()])].sort();
    if (positionIds.length) {
      const byId = `CASE id ${positionIds.map(() => 'WHEN ? THEN ?').join(' ')} ELSE 0 END`;
      sql.push(
        `UPDATE positions SET marked = marked + ${byId}, abstained = abstained + ${byId}
         WHERE election_id = ? AND id IN (?)`,
      );
      params.push(
        ...positionIds.flatMap((id) => [id, marked.get(id) ?? 0]),
        ...positionIds.flatMap((id) => [id, abstained.get(id) ?? 0]),
        electionId,
        positionIds,
      );
    }
    const votes = new Map<string, number>();
    for (const b of mine) {
      for (const [, c] of b.pairs) if (c !== ABSTAIN) votes.set(c, (votes.get(c) ?? 0) + 1);
    }
    if (votes.size === 0) continue;
    const ids = [...votes.keys()].sort();
    sql.push(
      `UPDATE tally_counters SET votes = votes + CASE candidate_id ${ids.map(() => 'WHEN ? THEN ?').join(' ')} ELSE 0 END
       WHERE election_id = ? AND candidate_id IN (?)`,
    );
    params.push(...ids.flatMap((id) => [id, votes.get(id)]), electionId, ids);
  }
  sql.push('COMMIT', currentGtidSql(flavor));
  const [third] = await conn.query<RowDataPacket[][]>(sql.join(';\n'), params);
  return gtidOfRows(third[third.length - 1] as RowDataPacket[]);
}
