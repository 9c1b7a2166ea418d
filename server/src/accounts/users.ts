// User accounts: registration, login, logout (revokes every session of the user by bumping its
// token generation), password changes, and turning a token into a Principal. Blocked users are
// refused at login and on every use of an existing session. Revocations are announced
// (`sessionsRevoked`) so that open sockets close too. What admins do to accounts is
// management.ts.
import { createHash } from 'node:crypto';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { normalizeEmail, type LoginResponse, type Role, type User } from '@tallyboard/shared';
import type { Config } from '../config';
import { withTransaction } from '../db/master';
import type { DomainEvents } from '../domain-events';
import { DomainError } from '../errors';
import { newId } from '../ids';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords';
import { issueSessionToken, issueVoterToken, verifyToken, type Principal } from './tokens';

export interface UserRow extends RowDataPacket {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  blocked: number;
  token_gen: number;
  must_change_password: number;
  created_at: Date;
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  mustChangePassword: r.must_change_password === 1,
});

/**
 * What a deleted account leaves behind (account_tombstones): a hash of its email, never the email.
 * A fixed prefix keeps it apart from any other sha256 of an email.
 */
export const emailHash = (email: string): Buffer =>
  createHash('sha256')
    .update(`tallyboard:deleted-account:${normalizeEmail(email)}`)
    .digest();

export async function findUserByEmail(pool: Pool, email: string): Promise<UserRow | null> {
  const [rows] = await pool.query<UserRow[]>('SELECT * FROM users WHERE email = ?', [
    normalizeEmail(email),
  ]);
  return rows[0] ?? null;
}

export async function getUser(pool: Pool, id: string): Promise<User | null> {
  const [rows] = await pool.query<UserRow[]>('SELECT * FROM users WHERE id = ?', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

/**
 * A new account. An email whose account was deleted gets that account's id back (and a token
 * generation past its last one, so none of its old sessions revive): its participation key is
 * the id, so the same person cannot vote again in an election they already voted in.
 */
export async function createUser(
  pool: Pool,
  input: { email: string; password: string; name: string; role: Role },
): Promise<{ user: User; tokenGen: number }> {
  const email = normalizeEmail(input.email);
  const hash = await hashPassword(input.password);
  try {
    return await withTransaction(pool, async (conn: PoolConnection) => {
      const [tomb] = await conn.query<RowDataPacket[]>(
        'SELECT user_id, token_gen FROM account_tombstones WHERE email_hash = ? FOR UPDATE',
        [emailHash(email)],
      );
      const id = (tomb[0]?.user_id as string | undefined) ?? newId();
      const tokenGen = tomb[0] ? Number(tomb[0].token_gen) : 0;
      await conn.query(
        `INSERT INTO users (id, email, name, role, password_hash, token_gen)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [id, email, input.name, input.role, hash, tokenGen],
      );
      if (tomb[0]) {
        await conn.query('DELETE FROM account_tombstones WHERE email_hash = ?', [emailHash(email)]);
      }
      const user: User = {
        id,
        email,
        name: input.name,
        role: input.role,
        mustChangePassword: false,
      };
      return { user, tokenGen };
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'ER_DUP_ENTRY') {
      throw new DomainError('conflict', 'an account with this email already exists');
    }
    throw e;
  }
}

export async function login(
  pool: Pool,
  config: Config,
  email: string,
  password: string,
): Promise<LoginResponse> {
  const row = await findUserByEmail(pool, email);
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok) throw new DomainError('unauthorized', 'wrong email or password');
  if (row.blocked) throw new DomainError('account_blocked', 'this account is blocked');
  const token = issueSessionToken(
    config.session.secret,
    { id: row.id, role: row.role, tokenGen: row.token_gen },
    config.session.ttlHours,
  );
  return { user: toUser(row), token };
}

/** Revokes every session of the user: tokens carry the generation they were issued under. */
export async function logout(pool: Pool, events: DomainEvents, userId: string): Promise<void> {
  await pool.query('UPDATE users SET token_gen = token_gen + 1 WHERE id = ?', [userId]);
  events.emit('sessionsRevoked', userId);
}

export function newVoterToken(config: Config): string {
  return issueVoterToken(config.session.secret, config.session.voterTtlHours);
}

/** What a token says about its bearer, as the REST transport needs it. */
export type SessionCheck =
  | { ok: true; principal: Principal; mustChangePassword: boolean }
  | { ok: false; reason: 'invalid' | 'account_blocked' };

/**
 * Token → its bearer. Voter tokens need no lookup; sessions are checked against the master (a
 * primary-key read), so logout, blocking and deletion take effect on every node at once. A
 * correctly signed session of a blocked account says so (`account_blocked`), so its open page can
 * tell the person why it stopped working.
 */
export async function checkSession(
  pool: Pool,
  config: Config,
  token: string,
): Promise<SessionCheck> {
  const claims = verifyToken(config.session.secret, token);
  if (!claims) return { ok: false, reason: 'invalid' };
  if (claims.t === 'v') {
    return {
      ok: true,
      principal: { kind: 'voter', voterId: claims.sub },
      mustChangePassword: false,
    };
  }
  if (claims.t === 'r') {
    const roll = { electionId: claims.e, entryId: claims.sub, codeId: claims.c };
    return {
      ok: true,
      principal: { kind: 'voter', voterId: claims.sub, roll },
      mustChangePassword: false,
    };
  }
  const [rows] = await pool.query<UserRow[]>(
    'SELECT id, role, blocked, token_gen, must_change_password FROM users WHERE id = ?',
    [claims.sub],
  );
  const row = rows[0];
  if (!row) return { ok: false, reason: 'invalid' };
  if (row.blocked) return { ok: false, reason: 'account_blocked' };
  if (row.token_gen !== claims.g) return { ok: false, reason: 'invalid' };
  return {
    ok: true,
    principal: { kind: 'user', userId: row.id, role: row.role },
    mustChangePassword: row.must_change_password === 1,
  };
}

/**
 * Token → Principal, or null when the token is forged, expired, revoked, its user is blocked or
 * must change a temporary password first (such a session may do nothing else).
 */
export async function authenticateToken(
  pool: Pool,
  config: Config,
  token: string,
): Promise<Principal | null> {
  const check = await checkSession(pool, config, token);
  return check.ok && !check.mustChangePassword ? check.principal : null;
}

/**
 * The signed-in user's own password change (the way out of a temporary password): needs the
 * current password, clears `mustChangePassword`, ends every other session (sockets included) and
 * returns a fresh one.
 */
export async function changePassword(
  pool: Pool,
  events: DomainEvents,
  config: Config,
  userId: string,
  current: string,
  next: string,
): Promise<LoginResponse> {
  const [rows] = await pool.query<UserRow[]>('SELECT * FROM users WHERE id = ?', [userId]);
  const row = rows[0];
  if (!row) throw new DomainError('unauthorized', 'not signed in');
  if (!(await verifyPassword(current, row.password_hash))) {
    throw new DomainError('invalid', 'the current password is wrong', {
      issues: [{ path: ['currentPassword'], message: 'is wrong' }],
    });
  }
  const hash = await hashPassword(next);
  // The generation is read under the row lock, so the new session is the one that stays valid.
  const tokenGen = await withTransaction(pool, async (conn) => {
    await conn.query(
      `UPDATE users SET password_hash = ?, must_change_password = 0, token_gen = token_gen + 1
       WHERE id = ?`,
      [hash, userId],
    );
    const [gen] = await conn.query<UserRow[]>('SELECT token_gen FROM users WHERE id = ?', [userId]);
    return Number(gen[0]?.token_gen ?? 0);
  });
  events.emit('sessionsRevoked', userId);
  const token = issueSessionToken(
    config.session.secret,
    { id: row.id, role: row.role, tokenGen },
    config.session.ttlHours,
  );
  return { user: { ...toUser(row), mustChangePassword: false }, token };
}

/** Creates the admin from the configuration, or resets its password to it. Idempotent. */
export async function seedAdmin(pool: Pool, config: Config): Promise<void> {
  const existing = await findUserByEmail(pool, config.admin.email);
  if (!existing) {
    await createUser(pool, {
      email: config.admin.email,
      password: config.admin.password,
      name: 'Administrator',
      role: 'admin',
    });
    return;
  }
  if (!(await verifyPassword(config.admin.password, existing.password_hash))) {
    await pool.query("UPDATE users SET password_hash = ?, role = 'admin' WHERE id = ?", [
      await hashPassword(config.admin.password),
      existing.id,
    ]);
  }
}
