// Stateless signed tokens: any node validates any token with the shared secret alone.
// Sessions carry the user's token generation (bumped by logout) so they can be revoked;
// anonymous voter tokens carry only a random voter id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '@tallyboard/shared';
import { newId } from '../ids';

export type Principal =
  { kind: 'user'; userId: string; role: Role } | { kind: 'voter'; voterId: string };

export type TokenClaims =
  { t: 's'; sub: string; r: Role; g: number; exp: number } | { t: 'v'; sub: string; exp: number };

const PREFIX = 'tb1';

/** The browser's session cookie: it carries a session token (set by POST /api/auth/login). */
export const SESSION_COOKIE = 'tb_session';

/** The stable identity used for one ballot per voter per election. */
export function voterKey(p: Principal): string {
  return p.kind === 'user' ? `u:${p.userId}` : `v:${p.voterId}`;
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${PREFIX}.${body}`).digest();
}

export function signToken(secret: string, claims: TokenClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${PREFIX}.${body}.${mac(secret, body).toString('base64url')}`;
}

/** Returns the claims of a well-formed, correctly signed, unexpired token; otherwise null. */
export function verifyToken(secret: string, token: string, nowMs = Date.now()): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const [, body, sig] = parts as [string, string, string];
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isClaims(claims) || claims.exp * 1000 <= nowMs) return null;
  return claims;
}

function isClaims(c: unknown): c is TokenClaims {
  if (typeof c !== 'object' || c === null) return false;
  const o = c as Record<string, unknown>;
  if (typeof o.sub !== 'string' || typeof o.exp !== 'number' || !o.sub) return false;
  if (o.t === 'v') return true;
  return o.t === 's' && (o.r === 'admin' || o.r === 'voter') && Number.isInteger(o.g);
}

export function issueSessionToken(
  secret: string,
  user: { id: string; role: Role; tokenGen: number },
  ttlHours: number,
  nowMs = Date.now(),
): string {
  const exp = Math.floor(nowMs / 1000 + ttlHours * 3600);
  return signToken(secret, { t: 's', sub: user.id, r: user.role, g: user.tokenGen, exp });
}

export function issueVoterToken(secret: string, ttlHours: number, nowMs = Date.now()): string {
  const exp = Math.floor(nowMs / 1000 + ttlHours * 3600);
  return signToken(secret, { t: 'v', sub: newId(), exp });
}
