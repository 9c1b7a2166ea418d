// Elections in the database: create, read, edit while draft, schedule, open, close, delete.
// Lifecycle changes lock the election row on the master; closing takes it FOR UPDATE, so it waits
// for every ballot batch holding it in share mode and no ballot commits after the close.
import type { Connection, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type {
  AccessMode,
  Election,
  ElectionInput,
  ElectionPatch,
  ElectionStatus,
  ElectionSummary,
  PositionInput,
  ResultsVisibility,
} from '@tallyboard/shared';
import { withTransaction } from '../db/master';
import { DomainError } from '../errors';
import type { Principal } from '../accounts/tokens';
import { newId, newJoinCode, normalizeJoinCode } from './ids';
import { canSeeResults, checkSchedule, effectiveStatus, isAdmin } from './rules';

interface ElectionRow extends RowDataPacket {
  id: string;
  join_code: string;
  title: string;
  description: string | null;
  access: AccessMode;
  results_visibility: ResultsVisibility;
  status: ElectionStatus;
  opens_at: Date | null;
  closes_at: Date | null;
  created_at: Date;
  updated_at: Date;
  now: Date;
}

/** What the realtime layer and the ballot path need without loading positions. */
export interface ElectionMeta {
  id: string;
  joinCode: string;
  title: string;
  status: ElectionStatus;
  access: AccessMode;
  resultsVisibility: ResultsVisibility;
  opensAt: string | null;
  closesAt: string | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const toDate = (s: string | null | undefined): Date | null => (s ? new Date(s) : null);

const SELECT_ELECTION = 'SELECT e.*, UTC_TIMESTAMP(3) AS now FROM elections e';

function toMeta(r: ElectionRow): ElectionMeta {
  return {
    id: r.id,
    joinCode: r.join_code,
    title: r.title,
    status: effectiveStatus(
      { status: r.status, opensAt: r.opens_at, closesAt: r.closes_at },
      r.now,
    ),
    access: r.access,
    resultsVisibility: r.results_visibility,
    opensAt: iso(r.opens_at),
    closesAt: iso(r.closes_at),
  };
}

function toSummaryBase(r: ElectionRow): Omit<Election, 'positions'> {
  const m = toMeta(r);
  return {
    ...m,
    description: r.description,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function loadPositions(db: Connection, electionId: string): Promise<Election['positions']> {
  const [positions] = await db.query<RowDataPacket[]>(
    'SELECT * FROM positions WHERE election_id = ? ORDER BY ord',
    [electionId],
  );
  const [candidates] = await db.query<RowDataPacket[]>(
    'SELECT * FROM candidates WHERE election_id = ? ORDER BY ord',
    [electionId],
  );
  return positions.map((p) => ({
    id: p.id as string,
    title: p.title as string,
    description: (p.description as string | null) ?? null,
    maxSelections: Number(p.max_selections),
    winners: Number(p.winners),
    candidates: candidates
      .filter((c) => c.position_id === p.id)
      .map((c) => ({
        id: c.id as string,
        name: c.name as string,
        description: (c.description as string | null) ?? null,
        photoUrl: (c.photo_url as string | null) ?? null,
      })),
  }));
}

async function loadElection(db: Connection, where: string, arg: string): Promise<Election | null> {
  const [rows] = await db.query<ElectionRow[]>(`${SELECT_ELECTION} WHERE ${where}`, [arg]);
  const row = rows[0];
  if (!row) return null;
  return { ...toSummaryBase(row), positions: await loadPositions(db, row.id) };
}

export function getElection(db: Connection, id: string): Promise<Election | null> {
  return loadElection(db, 'e.id = ?', id);
}

export function getElectionByCode(db: Connection, joinCode: string): Promise<Election | null> {
  return loadElection(db, 'e.join_code = ?', normalizeJoinCode(joinCode));
}

async function loadMeta(db: Connection, where: string, arg: string): Promise<ElectionMeta | null> {
  const [rows] = await db.query<ElectionRow[]>(`${SELECT_ELECTION} WHERE ${where}`, [arg]);
  return rows[0] ? toMeta(rows[0]) : null;
}

/** One primary-key read, no positions: status (by the clock), access and visibility. */
export function getElectionMeta(db: Connection, id: string): Promise<ElectionMeta | null> {
  return loadMeta(db, 'e.id = ?', id);
}

/** `getElectionMeta` by join code (one unique-key read). */
export function getElectionMetaByCode(
  db: Connection,
  joinCode: string,
): Promise<ElectionMeta | null> {
  return loadMeta(db, 'e.join_code = ?', normalizeJoinCode(joinCode));
}

export async function requireElection(db: Connection, id: string): Promise<Election> {
  const e = await getElection(db, id);
  if (!e) throw new DomainError('not_found', 'election not found');
  return e;
}

/** Admins see every election; others see those past draft that they may enter. */
export async function listElections(
  db: Connection,
  p: Principal | null,
): Promise<ElectionSummary[]> {
  // `canView` as SQL, applied before the LIMIT: a visitor's list is never cut short by drafts or
  // accounts elections they could not see anyway (a stored non-draft never becomes a draft).
  const where = isAdmin(p)
    ? ''
    : p?.kind === 'user'
      ? "WHERE e.status <> 'draft'"
      : "WHERE e.status <> 'draft' AND e.access = 'open'";
  const [rows] = await db.query<(ElectionRow & { ballots: number | null })[]>(
    `SELECT e.*, UTC_TIMESTAMP(3) AS now, t.ballots FROM elections e
     LEFT JOIN election_tallies t ON t.election_id = e.id ${where}
     ORDER BY e.created_at DESC LIMIT 500`,
  );
  return rows.map((r) => {
    const e = toSummaryBase(r);
    return { ...e, ballots: canSeeResults(e, p) ? Number(r.ballots ?? 0) : null };
  });
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
    'INSERT INTO positions (id, election_id, ord, title, description, max_selections, winners) VALUES ?',
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

function checkPositionNames(positions: PositionInput[]): void {
  positions.forEach((p, pi) => {
    const names = new Set<string>();
    p.candidates.forEach((c, ci) => {
      const key = c.name.toLowerCase();
      if (names.has(key)) {
        throw new DomainError('invalid', 'two candidates of one position share a name', {
          issues: [
            { path: ['positions', pi, 'candidates', ci, 'name'], message: 'duplicate name' },
          ],
        });
      }
      names.add(key);
    });
  });
}

export async function createElection(
  pool: Pool,
  input: ElectionInput,
  createdBy: string | null,
): Promise<Election> {
  checkSchedule(input, new Date());
  checkPositionNames(input.positions);
  const id = newId();
  for (let attempt = 0; ; attempt++) {
    try {
      await withTransaction(pool, async (conn) => {
        await conn.query(
          `INSERT INTO elections (id, join_code, title, description, access, results_visibility,
             status, opens_at, closes_at, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))`,
          [
            id,
            newJoinCode(),
            input.title,
            input.description ?? null,
            input.access,
            input.resultsVisibility,
            toDate(input.opensAt),
            toDate(input.closesAt),
            createdBy,
          ],
        );
        await conn.query('INSERT INTO election_tallies (election_id) VALUES (?)', [id]);
        await insertPositions(conn, id, input.positions);
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

/** Locks the row FOR UPDATE inside `conn`'s transaction and returns it. */
async function lockElection(conn: PoolConnection, id: string): Promise<ElectionRow> {
  const [rows] = await conn.query<ElectionRow[]>(`${SELECT_ELECTION} WHERE e.id = ? FOR UPDATE`, [
    id,
  ]);
  if (!rows[0]) throw new DomainError('not_found', 'election not found');
  return rows[0];
}

const statusOf = (r: ElectionRow): ElectionStatus =>
  effectiveStatus({ status: r.status, opensAt: r.opens_at, closesAt: r.closes_at }, r.now);

export async function patchElection(
  pool: Pool,
  id: string,
  patch: ElectionPatch,
): Promise<Election> {
  checkSchedule(patch, new Date());
  if (patch.positions) checkPositionNames(patch.positions);
  await withTransaction(pool, async (conn) => {
    const row = await lockElection(conn, id);
    if (row.status !== 'draft') throw new DomainError('not_draft', 'only a draft can be edited');
    const opensAt = patch.opensAt !== undefined ? toDate(patch.opensAt) : row.opens_at;
    const closesAt = patch.closesAt !== undefined ? toDate(patch.closesAt) : row.closes_at;
    if (opensAt && closesAt && closesAt <= opensAt) {
      throw new DomainError('invalid', 'closesAt must be after opensAt', {
        issues: [{ path: ['closesAt'], message: 'must be after opensAt' }],
      });
    }
    await conn.query(
      `UPDATE elections SET title = ?, description = ?, access = ?, results_visibility = ?,
         opens_at = ?, closes_at = ?, updated_at = UTC_TIMESTAMP(3) WHERE id = ?`,
      [
        patch.title ?? row.title,
        patch.description !== undefined ? patch.description : row.description,
        patch.access ?? row.access,
        patch.resultsVisibility ?? row.results_visibility,
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
  });
  return requireElection(pool, id);
}

/** draft → scheduled: opens by itself at `opensAt`. */
export async function scheduleElection(pool: Pool, id: string): Promise<Election> {
  await withTransaction(pool, async (conn) => {
    const row = await lockElection(conn, id);
    if (row.status !== 'draft') throw new DomainError('not_draft', 'only a draft can be scheduled');
    if (!row.opens_at || row.opens_at <= row.now) {
      throw new DomainError('conflict', 'set opensAt to a future time before scheduling');
    }
    await conn.query(
      "UPDATE elections SET status = 'scheduled', updated_at = UTC_TIMESTAMP(3) WHERE id = ?",
      [id],
    );
  });
  return requireElection(pool, id);
}

/** Opens now (from draft or scheduled). */
export async function openElection(pool: Pool, id: string): Promise<Election> {
  await withTransaction(pool, async (conn) => {
    const row = await lockElection(conn, id);
    const status = statusOf(row);
    if (status === 'open') return;
    if (status === 'closed') throw new DomainError('conflict', 'the election is closed');
    await conn.query(
      `UPDATE elections SET status = 'open', opens_at = UTC_TIMESTAMP(3),
         updated_at = UTC_TIMESTAMP(3) WHERE id = ?`,
      [id],
    );
  });
  return requireElection(pool, id);
}

/** Closes now. Waits (row lock) for in-flight ballot batches; none can commit afterwards. */
export async function closeElection(pool: Pool, id: string): Promise<Election> {
  await withTransaction(pool, async (conn) => {
    const row = await lockElection(conn, id);
    if (row.status === 'closed') return;
    if (row.status === 'draft') throw new DomainError('not_open', 'a draft cannot be closed');
    await conn.query(
      `UPDATE elections SET status = 'closed',
         closes_at = LEAST(COALESCE(closes_at, UTC_TIMESTAMP(3)), UTC_TIMESTAMP(3)),
         updated_at = UTC_TIMESTAMP(3) WHERE id = ?`,
      [id],
    );
  });
  return requireElection(pool, id);
}

/** Deletes a draft or a closed election with everything stored for it. */
export async function deleteElection(pool: Pool, id: string): Promise<void> {
  await withTransaction(pool, async (conn) => {
    const row = await lockElection(conn, id);
    const status = statusOf(row);
    if (status === 'open' || status === 'scheduled') {
      throw new DomainError('conflict', `close the election before deleting it (it is ${status})`);
    }
    for (const table of [
      'ballot_selections',
      'ballots',
      'participation',
      'tally_counters',
      'election_tallies',
    ]) {
      await conn.query(`DELETE FROM ${table} WHERE election_id = ?`, [id]);
    }
    await conn.query('DELETE FROM elections WHERE id = ?', [id]);
  });
}
