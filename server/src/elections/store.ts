// Elections as stored: reading one (whole, or the small `ElectionMeta`), by id or join code, and
// the list. Changes are elections/lifecycle.ts.
import type { Connection, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type {
  AccessMode,
  Election,
  ElectionStatus,
  ElectionSummary,
  ResultsVisibility,
} from '@tallyboard/shared';
import { DomainError } from '../errors';
import type { Principal } from '../accounts/tokens';

export type { ElectionMeta };
import { normalizeJoinCode } from '../ids';
import { canSeeResults, effectiveStatus, isAdmin, type ElectionMeta } from './rules';

/** The stored lifecycle columns of an election row, with the database's clock read alongside. */
export interface StoredClock {
  status: ElectionStatus;
  opens_at: Date | null;
  closes_at: Date | null;
  now: Date;
}

export interface ElectionRow extends RowDataPacket, StoredClock {
  id: string;
  join_code: string;
  title: string;
  description: string | null;
  access: AccessMode;
  results_visibility: ResultsVisibility;
  anonymity_set: number;
  roll_size: number;
  created_at: Date;
  updated_at: Date;
  now: Date;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Turnout's denominator: the size of the voter roll for `roll` elections, else null. */
export const eligibleOf = (r: { access: AccessMode; roll_size: number | string }): number | null =>
  r.access === 'roll' ? Number(r.roll_size) : null;

export const SELECT_ELECTION = 'SELECT e.*, UTC_TIMESTAMP(3) AS now FROM elections e';

/** The row's status in force by the database's clock (`now`, read with the row). */
export const statusOfRow = (r: StoredClock): ElectionStatus =>
  effectiveStatus({ status: r.status, opensAt: r.opens_at, closesAt: r.closes_at }, r.now);

/** Locks the row FOR UPDATE inside `conn`'s transaction and returns it. */
export async function lockElection(conn: PoolConnection, id: string): Promise<ElectionRow> {
  const [rows] = await conn.query<ElectionRow[]>(`${SELECT_ELECTION} WHERE e.id = ? FOR UPDATE`, [
    id,
  ]);
  if (!rows[0]) throw new DomainError('not_found', 'election not found');
  return rows[0];
}

function toMeta(r: ElectionRow): ElectionMeta {
  return {
    id: r.id,
    joinCode: r.join_code,
    title: r.title,
    status: statusOfRow(r),
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
    anonymitySet: Number(r.anonymity_set),
    eligible: eligibleOf(r),
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
    allowAbstain: Boolean(p.allow_abstain),
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
