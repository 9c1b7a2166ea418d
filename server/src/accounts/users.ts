// User accounts: registration, login, logout (revokes every session of the user by bumping its
// token generation), and turning a token into a Principal. Blocked users are refused at login
// and on every use of an existing session. Revocations are announced (`sessionsRevoked`) so that
// open sockets close too.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { LoginResponse, Role, User, UserAccount } from '@tallyboard/shared';
import type { Config } from '../config';
import type { DomainEvents } from '../domain-events';
import { DomainError } from '../errors';
import { newId } from '../ids';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords';
import { issueSessionToken, issueVoterToken, verifyToken, type Principal } from './tokens';

interface UserRow extends RowDataPacket {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  blocked: number;
  token_gen: number;
}

const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, name: r.name, role: r.role });
const normalizeEmail = (email: string): string => email.trim().toLowerCase();

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

export async function createUser(
  pool: Pool,
  input: { email: string; password: string; name: string; role: Role },
): Promise<User> {
  const id = newId();
  const hash = await hashPassword(input.password);
  try {
    await pool.query(
      'INSERT INTO users (id, email, name, role, password_hash) VALUES (?, ?, ?, ?, ?)',
      [id, normalizeEmail(input.email), input.name, input.role, hash],
    );
  } catch (e) {
    if ((e as { code?: string }).code === 'ER_DUP_ENTRY') {
      throw new DomainError('conflict', 'an account with this email already exists');
    }
    throw e;
  }
  return { id, email: normalizeEmail(input.email), name: input.name, role: input.role };
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
  if (row.blocked) throw new DomainError('forbidden', 'this account is blocked');
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

export async function listUsers(pool: Pool): Promise<UserAccount[]> {
  const [rows] = await pool.query<UserRow[]>(
    'SELECT id, email, name, role, blocked FROM users ORDER BY created_at, id',
  );
  return rows.map((r) => ({ ...toUser(r), blocked: r.blocked === 1 }));
}

/**
 * Blocks or unblocks an account; a blocked user's sessions stop working on every node at once.
 * Blocking also bumps the token generation, so unblocking later does not revive old sessions.
 */
export async function setBlocked(
  pool: Pool,
  events: DomainEvents,
  userId: string,
  blocked: boolean,
): Promise<UserAccount> {
  await pool.query(
    blocked
      ? 'UPDATE users SET blocked = 1, token_gen = token_gen + 1 WHERE id = ?'
      : 'UPDATE users SET blocked = 0 WHERE id = ?',
    [userId],
  );
  const user = await getUser(pool, userId);
  if (!user) throw new DomainError('not_found', 'user not found');
  if (blocked) events.emit('sessionsRevoked', userId);
  return { ...user, blocked };
}

export function newVoterToken(config: Config): string {
  return issueVoterToken(config.session.secret, config.session.voterTtlHours);
}

/**
 * Token → Principal, or null when the token is forged, expired, revoked or its user is blocked.
 * Voter tokens need no lookup; sessions are checked against the master (a primary-key read), so
 * logout and blocking take effect on every node at once.
 */
export async function authenticateToken(
  pool: Pool,
  config: Config,
  token: string,
): Promise<Principal | null> {
  const claims = verifyToken(config.session.secret, token);
  if (!claims) return null;
  if (claims.t === 'v') return { kind: 'voter', voterId: claims.sub };
  if (claims.t === 'r') {
    const roll = { electionId: claims.e, entryId: claims.sub, codeId: claims.c };
    return { kind: 'voter', voterId: claims.sub, roll };
  }
  const [rows] = await pool.query<UserRow[]>(
    'SELECT id, role, blocked, token_gen FROM users WHERE id = ?',
    [claims.sub],
  );
  const row = rows[0];
  if (!row || row.blocked || row.token_gen !== claims.g) return null;
  return { kind: 'user', userId: row.id, role: row.role };
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
