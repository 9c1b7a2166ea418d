// One group-commit batch: the SQL that writes many ballots in a single master transaction.
// Inside the transaction: every touched election row is locked in share mode and checked open by
// the master's clock (close takes it FOR UPDATE, so no ballot commits after close); participation
// rows are inserted without failing on duplicates and read back by this batch's nonce to learn
// which voters this batch recorded; then ballots, selections, idempotency memory, the per-election
// version/ballot count and the per-candidate counters.
import { randomBytes } from 'node:crypto';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { ElectionStatus } from '@tallyboard/shared';
import { effectiveStatus } from '../elections/rules';
import { IDEMPOTENCY_TTL_HOURS } from './idempotency';

export interface BallotToWrite {
  electionId: string;
  voterKey: string;
  ballotId: string;
  receipt: string;
  /** [positionId, candidateId] */
  pairs: Array<[string, string]>;
  idempotency?: { hash: Buffer; receiptEnc: Buffer };
}

export type BallotOutcome =
  | { ok: true; receipt: string }
  | { ok: false; code: 'not_found' | 'not_open' | 'already_voted'; status?: ElectionStatus };

interface ElectionLockRow extends RowDataPacket {
  id: string;
  status: ElectionStatus;
  opens_at: Date | null;
  closes_at: Date | null;
  now: Date;
}

export async function writeBatch(
  conn: PoolConnection,
  ballots: BallotToWrite[],
): Promise<BallotOutcome[]> {
  const outcomes: Array<BallotOutcome | undefined> = new Array(ballots.length);
  const electionIds = [...new Set(ballots.map((b) => b.electionId))].sort();

  const [locked] = await conn.query<ElectionLockRow[]>(
    `SELECT id, status, opens_at, closes_at, UTC_TIMESTAMP(3) AS now FROM elections
     WHERE id IN (?) ORDER BY id LOCK IN SHARE MODE`,
    [electionIds],
  );
  const statuses = new Map(
    locked.map((r) => [
      r.id,
      effectiveStatus({ status: r.status, opensAt: r.opens_at, closesAt: r.closes_at }, r.now),
    ]),
  );

  // One candidate participation per (election, voter): the first in the batch wins.
  const firstOf = new Map<string, number>();
  ballots.forEach((b, i) => {
    const status = statuses.get(b.electionId);
    if (status === undefined) outcomes[i] = { ok: false, code: 'not_found' };
    else if (status !== 'open') outcomes[i] = { ok: false, code: 'not_open', status };
    else {
      const k = `${b.electionId}\u0000${b.voterKey}`;
      if (firstOf.has(k)) outcomes[i] = { ok: false, code: 'already_voted' };
      else firstOf.set(k, i);
    }
  });
  const candidates = [...firstOf.values()].sort((a, b) => {
    const x = ballots[a] as BallotToWrite;
    const y = ballots[b] as BallotToWrite;
    return x.electionId === y.electionId
      ? x.voterKey < y.voterKey
        ? -1
        : 1
      : x.electionId < y.electionId
        ? -1
        : 1;
  });
  if (candidates.length === 0) return outcomes as BallotOutcome[];

  // Insert-or-keep: a duplicate keeps the other batch's nonce, so reading our nonce back tells us
  // exactly which voters this transaction recorded, whatever other nodes do concurrently.
  const nonce = randomBytes(12);
  await conn.query(
    `INSERT INTO participation (election_id, voter_key, batch_nonce) VALUES ?
     ON DUPLICATE KEY UPDATE batch_nonce = batch_nonce`,
    [candidates.map((i) => [ballots[i]!.electionId, ballots[i]!.voterKey, nonce])],
  );
  const accepted = new Set<string>();
  for (const electionId of electionIds) {
    const keys = candidates
      .map((i) => ballots[i] as BallotToWrite)
      .filter((b) => b.electionId === electionId)
      .map((b) => b.voterKey);
    if (keys.length === 0) continue;
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT voter_key FROM participation
       WHERE election_id = ? AND voter_key IN (?) AND batch_nonce = ?`,
      [electionId, keys, nonce],
    );
    for (const r of rows) accepted.add(`${electionId}\u0000${r.voter_key as string}`);
  }

  const written: BallotToWrite[] = [];
  for (const i of candidates) {
    const b = ballots[i] as BallotToWrite;
    if (accepted.has(`${b.electionId}\u0000${b.voterKey}`)) {
      outcomes[i] = { ok: true, receipt: b.receipt };
      written.push(b);
    } else {
      outcomes[i] = { ok: false, code: 'already_voted' };
    }
  }
  if (written.length === 0) return outcomes as BallotOutcome[];

  await conn.query('INSERT INTO ballots (id, election_id, receipt) VALUES ?', [
    written.map((b) => [b.ballotId, b.electionId, b.receipt]),
  ]);
  const selections = written.flatMap((b) =>
    b.pairs.map(([positionId, candidateId]) => [b.ballotId, candidateId, b.electionId, positionId]),
  );
  if (selections.length) {
    await conn.query(
      'INSERT INTO ballot_selections (ballot_id, candidate_id, election_id, position_id) VALUES ?',
      [selections],
    );
  }
  const remembered = written.filter((b) => b.idempotency);
  if (remembered.length) {
    await conn.query(
      `INSERT INTO idempotency (key_hash, receipt_enc, expires_at) VALUES ?
       ON DUPLICATE KEY UPDATE key_hash = key_hash`,
      [
        remembered.map((b) => [
          b.idempotency!.hash,
          b.idempotency!.receiptEnc,
          new Date(Date.now() + IDEMPOTENCY_TTL_HOURS * 3600_000),
        ]),
      ],
    );
  }

  // Per election, in id order (a fixed lock order between concurrent batches): the version and
  // ballot count first (this row lock serialises batches of one election), then the counters.
  for (const electionId of electionIds) {
    const mine = written.filter((b) => b.electionId === electionId);
    if (mine.length === 0) continue;
    await conn.query(
      'UPDATE election_tallies SET version = version + 1, ballots = ballots + ? WHERE election_id = ?',
      [mine.length, electionId],
    );
    const votes = new Map<string, number>();
    for (const b of mine) for (const [, c] of b.pairs) votes.set(c, (votes.get(c) ?? 0) + 1);
    if (votes.size === 0) continue;
    const ids = [...votes.keys()].sort();
    const cases = ids.map(() => 'WHEN ? THEN ?').join(' ');
    await conn.query(
      `UPDATE tally_counters SET votes = votes + CASE candidate_id ${cases} ELSE 0 END
       WHERE election_id = ? AND candidate_id IN (?)`,
      [...ids.flatMap((id) => [id, votes.get(id)]), electionId, ids],
    );
  }
  return outcomes as BallotOutcome[];
}
