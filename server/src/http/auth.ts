// Who is calling: a token from `Authorization: Bearer` or the `tb_session` cookie, turned into a
// Principal. A forged, expired or revoked Bearer token is refused (401); a stale cookie is
// ignored, so a browser with an old session can still see public pages. A state change that does
// not carry a Bearer token must come from a page of ours (origins.ts): that is the CSRF defence.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import { SESSION_COOKIE, type Principal } from '../accounts/tokens';
import { checkSession } from '../accounts/users';
import { isAdmin } from '../elections/rules';
import { DomainError } from '../errors';
import { crossSiteReason, requestScheme } from '../origins';
import type { Deps } from '../deps';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses (403) a POST, PATCH, PUT or DELETE from another site's page unless it authenticates
 * with `Authorization: Bearer` (which a page elsewhere cannot make a browser send). Covers every
 * cookie-authenticated change and also login and register, which set the cookie. Throws; the
 * middleware below and the ballot fast path (ballot-fast-path.ts) both call it.
 */
export function crossSiteGuard(deps: Pick<Deps, 'config'>): (req: IncomingMessage) => void {
  const policy = {
    publicOrigins: deps.config.http.publicOrigins,
    trustProxy: deps.config.http.trustProxy,
  };
  return (req) => {
    if (SAFE_METHODS.has(req.method ?? '') || req.headers.authorization) return;
    const reason = crossSiteReason(req, policy);
    if (reason) throw new DomainError('forbidden', `cross-site request refused: ${reason}`);
  };
}

export function refuseCrossSite(deps: Pick<Deps, 'config'>): RequestHandler {
  const guard = crossSiteGuard(deps);
  return (req, _res, next) => {
    guard(req);
    next();
  };
}

function tokenOf(req: IncomingMessage): { token: string; from: 'bearer' | 'cookie' } | null {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new DomainError('unauthorized', 'malformed Authorization header');
    return { token: m[1] as string, from: 'bearer' };
  }
  const cookie = req.headers.cookie ? parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, from: 'cookie' } : null;
}

/**
 * What a session that must change its temporary password may still do (paths under /api): see
 * who it is, sign out, change the password. Everything else is 403 `password_change_required`.
 */
const WHILE_PASSWORD_MUST_CHANGE = new Set([
  'GET /auth/me',
  'POST /auth/logout',
  'POST /auth/password',
]);

const blockedAccount = (): DomainError =>
  new DomainError('account_blocked', 'this account is blocked');

/** Who is calling, as `authenticate` resolves it. */
export interface Caller {
  principal: Principal | null;
  /** A blocked account's cookie: the caller is anonymous, and `GET /api/auth/me` says why. */
  accountBlocked: boolean;
}

/**
 * Resolves the caller of `req` (its `path` under /api, e.g. `/auth/me`, for the sessions that
 * must change their password first). A blocked account's Bearer token is 403 `account_blocked`;
 * its cookie leaves the caller anonymous but remembered as blocked.
 */
export function callerResolver(
  deps: Pick<Deps, 'master' | 'config'>,
): (req: IncomingMessage, path: string) => Promise<Caller> {
  return async (req, path) => {
    const found = tokenOf(req);
    if (!found) return { principal: null, accountBlocked: false };
    const check = await checkSession(deps.master, deps.config, found.token);
    if (check.ok) {
      const allowed = WHILE_PASSWORD_MUST_CHANGE.has(`${req.method} ${path}`);
      if (check.mustChangePassword && !allowed) {
        throw new DomainError(
          'password_change_required',
          'change the temporary password first (POST /api/auth/password)',
        );
      }
      return { principal: check.principal, accountBlocked: false };
    }
    if (found.from === 'bearer') {
      if (check.reason === 'account_blocked') throw blockedAccount();
      throw new DomainError('unauthorized', 'invalid, expired or revoked token');
    }
    return { principal: null, accountBlocked: check.reason === 'account_blocked' };
  };
}

/** Resolves the caller into `res.locals.principal` (null when anonymous): `callerResolver`. */
export function authenticate(deps: Pick<Deps, 'master' | 'config'>): RequestHandler {
  const resolve = callerResolver(deps);
  return async (req, res, next) => {
    const caller = await resolve(req, req.path);
    if (caller.accountBlocked) res.locals.accountBlocked = true;
    res.locals.principal = caller.principal;
    next();
  };
}

/** Whether the caller's cookie belongs to a blocked account (it is treated as anonymous). */
export const cookieOfBlockedAccount = (res: Response): boolean =>
  res.locals.accountBlocked === true;

export const principalOf = (res: Response): Principal | null =>
  (res.locals.principal as Principal | null | undefined) ?? null;

/** The caller, or 401 when anonymous. */
export function principalRequired(p: Principal | null): Principal {
  if (!p) throw new DomainError('unauthorized', 'sign in or get a voter token first');
  return p;
}

export const requirePrincipal = (res: Response): Principal => principalRequired(principalOf(res));

export function requireUser(res: Response): Extract<Principal, { kind: 'user' }> {
  const p = principalOf(res);
  if (p?.kind !== 'user') throw new DomainError('unauthorized', 'sign in first');
  return p;
}

export function requireAdmin(res: Response): Extract<Principal, { kind: 'user' }> {
  const p = requireUser(res);
  if (!isAdmin(p)) throw new DomainError('forbidden', 'administrators only');
  return p;
}

/**
 * `Secure` follows the scheme the browser used (as the trusted proxy reports it): a Secure cookie
 * set over plain HTTP would be dropped by the browser, and the sign-in would silently not stick.
 */
const secureCookie = (res: Response, deps: Pick<Deps, 'config'>): boolean =>
  requestScheme(res.req, deps.config.http.trustProxy) === 'https';

export function setSessionCookie(res: Response, token: string, deps: Pick<Deps, 'config'>): void {
  res.append(
    'Set-Cookie',
    stringifySetCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookie(res, deps),
      path: '/',
      maxAge: Math.floor(deps.config.session.ttlHours * 3600),
    }),
  );
}

export function clearSessionCookie(res: Response, deps: Pick<Deps, 'config'>): void {
  res.append(
    'Set-Cookie',
    stringifySetCookie(SESSION_COOKIE, '', {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookie(res, deps),
      path: '/',
      maxAge: 0,
    }),
  );
}
