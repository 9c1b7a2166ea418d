// Stateless signed tokens: any node validates any token with the shared secret alone.
// Sessions carry the user's token generation (bumped by logout) so they can be revoked;
// anonymous voter tokens carry only a random voter id; roll voter tokens name one election, one
// roll entry and the ballot code they were exchanged for (checked at each ballot, so reissuing
// the code or removing the entry ends the token).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '@tallyboard/shared';
import { newId } from '../ids';

/** A voter on an election's roll: the entry is who votes; the code is what let them in. */
export interface RollScope {
  electionId: string;
  entryId: string;
  codeId: string;
}

export type Principal =
  | { kind: 'user'; userId: string; role: Role }
  | { kind: 'voter'; voterId: string; roll?: RollScope };

export type TokenClaims =
  | { t: 's'; sub: string; r: Role; g: number; exp: number }
  | { t: 'v'; sub: string; exp: number }
  | { t: 'r'; sub: string; e: string; c: string; exp: number };

const PREFIX = 'tb1';

/** The browser's session cookie: it carries a session token (set by POST /api/auth/login). */
export const SESSION_COOKIE = 'tb_session';

/** The participation key of a roll entry: the same whether its voter used a code or signed in. */
export const rollEntryKey = (entryId: string): string => `r:${entryId}`;

/**
 * The stable identity used for one ballot per voter per election. A signed-in user voting in a
 * `roll` election votes as their roll entry instead (roll/voters.ts `rollVoterKey`).
 */
export function voterKey(p: Principal): string {
  if (p.kind === 'user') return `u:${p.userId}`;
  return p.roll ? rollEntryKey(p.roll.entryId) : `v:${p.voterId}`;
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
  const given = strictBase64url(sig);
  const expected = mac(secret, body);
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const json = strictBase64url(body);
  if (!json) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(json.toString('utf8'));
  } catch {
    return null;
  }
  if (!isClaims(claims) || claims.exp * 1000 <= nowMs) return null;
  return claims;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes base64url only in its canonical form (our alphabet, no padding, no unused bits set):
 * Node's decoder skips foreign characters and ignores trailing bits, so one signature would have
 * many spellings. Re-encoding and comparing leaves exactly one.
 */
export function strictBase64url(s: string): Buffer | null {
  if (!BASE64URL.test(s)) return null;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : null;
}

function isClaims(c: unknown): c is TokenClaims {
  if (typeof c !== 'object' || c === null) return false;
  const o = c as Record<string, unknown>;
  if (typeof o.sub !== 'string' || typeof o.exp !== 'number' || !o.sub) return false;
  if (o.t === 'v') return true;
  if (o.t === 'r') return typeof o.e === 'string' && typeof o.c === 'string' && !!o.e && !!o.c;
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

/** A voter token for one roll entry of one election, given for a ballot code (roll/exchange.ts). */
export function issueRollVoterToken(
  secret: string,
  scope: RollScope,
  ttlHours: number,
  nowMs = Date.now(),
): string {
  const exp = Math.floor(nowMs / 1000 + ttlHours * 3600);
  return signToken(secret, {
    t: 'r',
    sub: scope.entryId,
    e: scope.electionId,
    c: scope.codeId,
    exp,
  });
}

export function issueVoterToken(secret: string, ttlHours: number, nowMs = Date.now()): string {
  const exp = Math.floor(nowMs / 1000 + ttlHours * 3600);
  return signToken(secret, { t: 'v', sub: newId(), exp });
}
