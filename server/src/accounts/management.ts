// What admins do to accounts: list and search them, block and unblock, promote and demote (never
// the last admin), set a temporary password the user must change, and delete a voter account.
// Every change that takes rights away ends the account's sessions and closes its sockets
// (`sessionsRevoked`); a deleted account leaves a tombstone (users.ts `createUser`) so its
// participation still counts if the same email registers again.
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type {
  TemporaryPasswordResponse,
  UserAccount,
  UserList,
  UserListQuery,
  UserPatch,
} from '@tallyboard/shared';
import { withTransaction } from '../db/master';
import type { DomainEvents } from '../domain-events';
import { DomainError } from '../errors';
import { newTemporaryPassword } from '../ids';
import { hashPassword } from './passwords';
import { emailHash, toUser, type UserRow } from './users';

const toAccount = (r: UserRow): UserAccount => ({
  ...toUser(r),
  blocked: r.blocked === 1,
  createdAt: r.created_at.toISOString(),
});

/** `%` and `_` typed in a search are themselves, not wildcards. */
const likeEscaped = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of the accounts whose email or name contains `query` (any case), oldest first. */
export async function listUsers(pool: Pool, q: UserListQuery): Promise<UserList> {
  const pattern = `%${likeEscaped(q.query.toLowerCase())}%`;
  const where = q.query ? 'WHERE email LIKE ? OR LOWER(name) LIKE ?' : '';
  const args = q.query ? [pattern, pattern] : [];
  const [[count], [rows]] = await Promise.all([
    pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS total FROM users ${where}`, args),
    pool.query<UserRow[]>(
      `SELECT id, email, name, role, blocked, must_change_password, created_at FROM users ${where}
       ORDER BY created_at, id LIMIT ? OFFSET ?`,
      [...args, q.limit, q.offset],
    ),
  ]);
  return {
    users: rows.map(toAccount),
    total: Number(count[0]?.total ?? 0),
    offset: q.offset,
    limit: q.limit,
  };
}

async function lockUser(conn: PoolConnection, id: string): Promise<UserRow> {
  const [rows] = await conn.query<UserRow[]>('SELECT * FROM users WHERE id = ? FOR UPDATE', [id]);
  if (!rows[0]) throw new DomainError('not_found', 'user not found');
  return rows[0];
}

/**
 * Locks every active (unblocked) admin row, in id order, before any other row: concurrent
 * demotions then wait for each other instead of deadlocking, and two admins demoting each other
 * cannot both pass the last-admin check.
 */
async function lockActiveAdmins(conn: PoolConnection): Promise<string[]> {
  const [admins] = await conn.query<RowDataPacket[]>(
    "SELECT id FROM users WHERE role = 'admin' AND blocked = 0 ORDER BY id FOR UPDATE",
  );
  return admins.map((a) => a.id as string);
}

/**
 * Blocks or unblocks, promotes or demotes. Blocking bumps the token generation, so unblocking
 * later does not revive old sessions. A role change keeps REST sessions (their role is read on
 * every request) but closes the account's sockets so they reconnect with the new rights.
 */
export async function updateAccount(
  pool: Pool,
  events: DomainEvents,
  actorId: string,
  userId: string,
  patch: UserPatch,
): Promise<UserAccount> {
  const { row, revoke } = await withTransaction(pool, async (conn) => {
    const mayRemoveAdmin = patch.blocked === true || patch.role === 'voter';
    const admins = mayRemoveAdmin ? await lockActiveAdmins(conn) : [];
    const target = await lockUser(conn, userId);
    if (patch.blocked && userId === actorId) {
      throw new DomainError('conflict', 'you cannot block your own account');
    }
    if (admins.length === 1 && admins[0] === target.id) {
      throw new DomainError(
        'last_admin',
        'this is the last administrator: promote another account first',
      );
    }
    const blocking = patch.blocked === true && target.blocked === 0;
    await conn.query(
      `UPDATE users SET blocked = ?, role = ?, token_gen = token_gen + ? WHERE id = ?`,
      [
        patch.blocked === undefined ? target.blocked : Number(patch.blocked),
        patch.role ?? target.role,
        blocking ? 1 : 0,
        userId,
      ],
    );
    const roleChanged = patch.role !== undefined && patch.role !== target.role;
    return { row: await lockUser(conn, userId), revoke: blocking || roleChanged };
  });
  if (revoke) events.emit('sessionsRevoked', userId);
  return toAccount(row);
}

/**
 * Sets a temporary password (given, or generated) and `mustChangePassword`: the account's
 * sessions end, and its next sign-in can do nothing but change the password.
 */
export async function setTemporaryPassword(
  pool: Pool,
  events: DomainEvents,
  userId: string,
  password?: string,
): Promise<TemporaryPasswordResponse> {
  const temporaryPassword = password ?? newTemporaryPassword();
  const hash = await hashPassword(temporaryPassword);
  const row = await withTransaction(pool, async (conn) => {
    await lockUser(conn, userId);
    await conn.query(
      `UPDATE users SET password_hash = ?, must_change_password = 1, token_gen = token_gen + 1
       WHERE id = ?`,
      [hash, userId],
    );
    return lockUser(conn, userId);
  });
  events.emit('sessionsRevoked', userId);
  return { user: toAccount(row), temporaryPassword };
}

/**
 * Deletes a voter account (an admin must be demoted first). Its participation rows stay, keyed by
 * its id; the tombstone keeps that id under a hash of the email, so registering again with the
 * email gets the id back and cannot vote twice. Nothing of it names a ballot.
 */
export async function deleteAccount(
  pool: Pool,
  events: DomainEvents,
  userId: string,
): Promise<void> {
  await withTransaction(pool, async (conn) => {
    const target = await lockUser(conn, userId);
    if (target.role === 'admin') {
      throw new DomainError('conflict', 'demote this administrator before deleting the account');
    }
    await conn.query(
      `INSERT INTO account_tombstones (email_hash, user_id, token_gen) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), token_gen = VALUES(token_gen)`,
      [emailHash(target.email), target.id, target.token_gen + 1],
    );
    await conn.query('DELETE FROM users WHERE id = ?', [userId]);
  });
  events.emit('sessionsRevoked', userId);
}
