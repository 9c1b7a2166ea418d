// The allowlist of an `accounts` election as stored (election_allowlist): replaced whole with the
// election's other settings, shown to admins only, and checked for each ballot of a signed-in
// account. Entries arrive normalised by the shared schema; matching is shared/allowlist.ts.
import type { Connection, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { allowlistKeys, type Election } from '@tallyboard/shared';

/** Rows per INSERT when an allowlist is written (10,000 entries: five statements). */
const INSERT_CHUNK = 2000;

export async function readAllowlist(db: Connection | Pool, electionId: string): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT entry FROM election_allowlist WHERE election_id = ? ORDER BY entry',
    [electionId],
  );
  return rows.map((r) => r.entry as string);
}

/** Replaces the election's allowlist inside the caller's transaction. */
export async function writeAllowlist(
  conn: PoolConnection,
  electionId: string,
  entries: readonly string[],
): Promise<void> {
  await conn.query('DELETE FROM election_allowlist WHERE election_id = ?', [electionId]);
  for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
    const rows = entries.slice(i, i + INSERT_CHUNK).map((e) => [electionId, e]);
    await conn.query('INSERT INTO election_allowlist (election_id, entry) VALUES ?', [rows]);
  }
}

/** The election with its allowlist, for an admin's eyes. */
export async function withAllowlist(db: Connection | Pool, e: Election): Promise<Election> {
  return { ...e, allowlist: await readAllowlist(db, e.id) };
}

/**
 * Whether the account may vote under the election's allowlist: true when the list is empty, or
 * it holds the account's email or its domain; false for an unknown account. One round trip when
 * the election has no list (the common case), two when it has one.
 */
export async function admitsAccount(
  db: Connection | Pool,
  electionId: string,
  userId: string,
): Promise<boolean> {
  const [users] = await db.query<RowDataPacket[]>(
    `SELECT u.email, EXISTS(SELECT 1 FROM election_allowlist WHERE election_id = ?) AS restricted
     FROM users u WHERE u.id = ?`,
    [electionId, userId],
  );
  const user = users[0];
  if (!user) return false;
  if (!Number(user.restricted)) return true;
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT 1 FROM election_allowlist WHERE election_id = ? AND entry IN (?) LIMIT 1',
    [electionId, allowlistKeys(user.email as string)],
  );
  return rows.length > 0;
}
