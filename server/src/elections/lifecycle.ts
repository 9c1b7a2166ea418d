// Changes to elections: create, edit while draft or scheduled, schedule and unschedule, open,
// close, delete, and the clock
// that opens and closes them on time. Each change locks the election row on the master; closing
// takes it FOR UPDATE, so it waits for every ballot batch holding it in share mode and no ballot
// commits after the close. Every change that viewers must see is announced as `electionChanged`.
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Election, ElectionInput, ElectionPatch, PositionInput } from '@tallyboard/shared';
import { withTransaction } from '../db/master';
import type { DomainEvents } from '../domain-events';
import { DomainError } from '../errors';
import { newId, newJoinCode } from '../ids';
import { checkSchedule } from './rules';
import { writeAllowlist } from './allowlist';
import { defaultAnonymitySet } from '../ballots/anonymity';
import { lockElection, requireElection, statusOfRow, type ElectionRow } from './store';

/** What a change needs: the master, where to announce it, and the node's ballot writer. */
export interface ElectionWriter {
  master: Pool;
  events: DomainEvents;
  /** Held ballots (anonymitySet) commit before a close; absent where no ballots are written. */
  ballots?: { releaseForClose(electionId: string): Promise<void> };
}

const toDate = (s: string | null | undefined): Date | null => (s ? new Date(s) : null);

function announced<T>(d: ElectionWriter, id: string, result: T): T {
  d.events.emit('electionChanged', id);
  return result;
}

async function insertPositions(
  conn: PoolConnection,
  electionId: string,
  positions: PositionInput[],
): Promise<void> {
  const posRows: unknown[][] = [];
  const candRows: unknown[][] = [];
  const counterRows: unknown[][] = [];
  positions.forEach((p, pi) => {
    const positionId = newId();
    posRows.push([
      positionId,
      electionId,
      pi,
      p.title,
      p.description ?? null,
      p.maxSelections,
      p.winners,
      p.allowAbstain ? 1 : 0,
    ]);
    p.candidates.forEach((c, ci) => {
      const candidateId = newId();
      candRows.push([
        candidateId,
        positionId,
        electionId,
        ci,
        c.name,
        c.description ?? null,
        c.photoUrl ?? null,
      ]);
      counterRows.push([electionId, candidateId, positionId]);
    });
  });
  await conn.query(
    `INSERT INTO positions (id, election_id, ord, title, description, max_selections, winners,
       allow_abstain) VALUES ?`,
    [posRows],
  );
  await conn.query(
    'INSERT INTO candidates (id, position_id, election_id, ord, name, description, photo_url) VALUES ?',
    [candRows],
  );
  await conn.query('INSERT INTO tally_counters (election_id, candidate_id, position_id) VALUES ?', [
    counterRows,
  ]);
}

/** A new draft (nobody watches a draft, so nothing is announced). */
export async function createElection(
  pool: Pool,
  input: ElectionInput,
  createdBy: string | null,
): Promise<Election> {
  checkSchedule(input, new Date());
  const id = newId();
  for (let attempt = 0; ; attempt++) {
    try {
      await withTransaction(pool, async (conn) => {
        await conn.query(
          `INSERT INTO elections (id, join_code, title, description, access, results_visibility,
             anonymity_set, status, opens_at, closes_at, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))`,
          [
            id,
            newJoinCode(),
            input.title,
            input.description ?? null,
            input.access,
            input.resultsVisibility,
            input.anonymitySet ?? defaultAnonymitySet(input.access),
            toDate(input.opensAt),
            toDate(input.closesAt),
            createdBy,
          ],
        );
        await conn.query('INSERT INTO election_tallies (election_id) VALUES (?)', [id]);
        await insertPositions(conn, id, input.positions);
        if (input.access === 'accounts' && input.allowlist?.length) {
          await writeAllowlist(conn, id, input.allowlist);
        }
      });
      break;
    } catch (e) {
      // A join code collision: draw another one.
      const err = e as { code?: string; message?: string };
      if (err.code === 'ER_DUP_ENTRY' && attempt < 5 && /join_code/.test(err.message ?? ''))
        continue;
      throw e;
    }
  }
  return requireElection(pool, id);
}

/**
 * Edits a draft, or a scheduled election that has not opened yet (it stays scheduled, so it still
 * needs a future opensAt). An access mode other than `accounts` drops the allowlist.
 */
export async function patchElection(
  d: ElectionWriter,
  id: string,
  patch: ElectionPatch,
): Promise<Election> {
  checkSchedule(patch, new Date());
  await withTransaction(d.master, async (conn) => {
    const row = await lockElection(conn, id);
    const status = statusOfRow(row);
    if (status !== 'draft' && status !== 'scheduled') {
      throw new DomainError('not_draft', 'only a draft or a scheduled election can be edited');
    }
    const opensAt = patch.opensAt !== undefined ? toDate(patch.opensAt) : row.opens_at;
    const closesAt = patch.closesAt !== undefined ? toDate(patch.closesAt) : row.closes_at;
    if (opensAt && closesAt && closesAt <= opensAt) {
      throw new DomainError('invalid', 'closesAt must be after opensAt', {
        issues: [{ path: ['closesAt'], message: 'must be after opensAt' }],
      });
    }
    if (status === 'scheduled' && (!opensAt || opensAt <= row.now)) {
      throw new DomainError(
        'conflict',
        'a scheduled election needs a future opensAt: unschedule it first to clear it',
      );
    }
    const access = patch.access ?? row.access;
    if (access !== 'accounts' && patch.allowlist?.length) {
      throw new DomainError('invalid', 'an allowlist applies to accounts elections only', {
        issues: [{ path: ['allowlist'], message: 'applies to accounts elections only' }],
      });
    }
    // A new access mode without an explicit anonymitySet takes that mode's default.
    const anonymitySet =
      patch.anonymitySet ??
      (patch.access !== undefined && patch.access !== row.access
        ? defaultAnonymitySet(patch.access)
        : row.anonymity_set);
    await conn.query(
      `UPDATE elections SET title = ?, description = ?, access = ?, results_visibility = ?,
         anonymity_set = ?, opens_at = ?, closes_at = ?, updated_at = UTC_TIMESTAMP(3)
       WHERE id = ?`,
      [
        patch.title ?? row.title,
        patch.description !== undefined ? patch.description : row.description,
        access,
        patch.resultsVisibility ?? row.results_visibility,
        anonymitySet,
        opensAt,
        closesAt,
        id,
      ],
    );
    if (patch.positions) {
      await conn.query('DELETE FROM tally_counters WHERE election_id = ?', [id]);
      await conn.query('DELETE FROM positions WHERE election_id = ?', [id]);
      await insertPositions(conn, id, patch.positions);
    }
    if (access !== 'accounts') await writeAllowlist(conn, id, []);
    else if (patch.allowlist) await writeAllowlist(conn, id, patch.allowlist);
  });
  return announced(d, id, await requireElection(d.master, id));
}

/**
 * One status change under the row lock: `decide` looks at the locked row and returns the UPDATE
 * to run, null when the election is already where it should be, or throws why it cannot be.
 */
async function transition(
  d: ElectionWriter,
  id: string,
  decide: (row: ElectionRow) => string | null,
): Promise<Election> {
  await withTransaction(d.master, async (conn) => {
    const update = decide(await lockElection(conn, id));
    if (update) await conn.query(`${update}, updated_at = UTC_TIMESTAMP(3) WHERE id = ?`, [id]);
  });
  return announced(d, id, await requireElection(d.master, id));
}

/** draft → scheduled: opens by itself at `opensAt`. */
export const scheduleElection = (d: ElectionWriter, id: string): Promise<Election> =>
  transition(d, id, (row) => {
    if (row.status !== 'draft') throw new DomainError('not_draft', 'only a draft can be scheduled');
    if (!row.opens_at || row.opens_at <= row.now) {
      throw new DomainError('conflict', 'set opensAt to a future time before scheduling');
    }
    return "UPDATE elections SET status = 'scheduled'";
  });

/** scheduled → draft, before it opened: it keeps its times and no longer opens by itself. */
export const unscheduleElection = (d: ElectionWriter, id: string): Promise<Election> =>
  transition(d, id, (row) => {
    const status = statusOfRow(row);
    if (status === 'draft') return null;
    if (status !== 'scheduled') {
      throw new DomainError(
        'conflict',
        `only a scheduled election can be unscheduled (it is ${status})`,
      );
    }
    return "UPDATE elections SET status = 'draft'";
  });

/** Opens now (from draft or scheduled). */
export const openElection = (d: ElectionWriter, id: string): Promise<Election> =>
  transition(d, id, (row) => {
    const status = statusOfRow(row);
    if (status === 'open') return null;
    if (status === 'closed') throw new DomainError('conflict', 'the election is closed');
    return "UPDATE elections SET status = 'open', opens_at = UTC_TIMESTAMP(3)";
  });

/**
 * Closes now. First every node commits the ballots it holds for the election's anonymity set
 * (`closing`, then the writer's bounded wait, see BallotWriter.releaseForClose), then the row
 * lock waits for in-flight ballot batches; none can commit afterwards.
 */
export async function closeElection(d: ElectionWriter, id: string): Promise<Election> {
  d.events.emit('closing', id);
  await d.ballots?.releaseForClose(id);
  return closeNow(d, id);
}

const closeNow = (d: ElectionWriter, id: string): Promise<Election> =>
  transition(d, id, (row) => {
    if (row.status === 'closed') return null;
    if (row.status === 'draft') throw new DomainError('not_open', 'a draft cannot be closed');
    return `UPDATE elections SET status = 'closed',
      closes_at = LEAST(COALESCE(closes_at, UTC_TIMESTAMP(3)), UTC_TIMESTAMP(3))`;
  });

/** Deletes a draft or a closed election with everything stored for it. */
export async function deleteElection(d: ElectionWriter, id: string): Promise<void> {
  await withTransaction(d.master, async (conn) => {
    const row = await lockElection(conn, id);
    const status = statusOfRow(row);
    if (status === 'open' || status === 'scheduled') {
      throw new DomainError('conflict', `close the election before deleting it (it is ${status})`);
    }
    for (const table of [
      'ballots',
      'participation',
      'tally_counters',
      'election_tallies',
      'election_allowlist',
    ]) {
      await conn.query(`DELETE FROM ${table} WHERE election_id = ?`, [id]);
    }
    await conn.query('DELETE FROM elections WHERE id = ?', [id]);
  });
}

/**
 * The clock: rewrites the stored status of elections whose time has come (scheduled→open at
 * opensAt, scheduled/open→closed at closesAt) and announces each. A plain read finds candidates
 * (no locks while nothing is due); each flip is then one primary-key UPDATE guarded by the stored
 * status and the time, so it happens once whoever runs it, and its row lock waits for in-flight
 * ballot batches as a manual close does. Uses the master's clock, like every status decision.
 * Every read already applies the clock (`statusOfRow`), so a late run changes no decision.
 */
export async function advanceDueElections(d: ElectionWriter): Promise<string[]> {
  const [due] = await d.master.query<RowDataPacket[]>(
    `SELECT id, closes_at IS NOT NULL AND closes_at <= UTC_TIMESTAMP(3) AS closing
     FROM elections
     WHERE (status = 'scheduled' AND opens_at <= UTC_TIMESTAMP(3))
        OR (status IN ('scheduled', 'open') AND closes_at <= UTC_TIMESTAMP(3))`,
  );
  const changed: string[] = [];
  for (const row of due) {
    const id = row.id as string;
    const [r] = await d.master.query<ResultSetHeader>(
      Number(row.closing) === 1
        ? `UPDATE elections SET status = 'closed', updated_at = UTC_TIMESTAMP(3)
           WHERE id = ? AND status IN ('scheduled', 'open') AND closes_at <= UTC_TIMESTAMP(3)`
        : `UPDATE elections SET status = 'open', updated_at = UTC_TIMESTAMP(3)
           WHERE id = ? AND status = 'scheduled' AND opens_at <= UTC_TIMESTAMP(3)`,
      [id],
    );
    if (r.affectedRows === 1) changed.push(announced(d, id, id));
  }
  return changed;
}
