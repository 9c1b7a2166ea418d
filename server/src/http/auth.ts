// Who is calling: a token from `Authorization: Bearer` or the `tb_session` cookie, turned into a
// Principal. A forged, expired or revoked Bearer token is refused (401); a stale cookie is
// ignored, so a browser with an old session can still see public pages.
import type { Request, RequestHandler, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import { SESSION_COOKIE, type Principal } from '../accounts/tokens';
import { authenticateToken } from '../accounts/users';
import { isAdmin } from '../elections/rules';
import { DomainError } from '../errors';
import type { Deps } from '../deps';

function tokenOf(req: Request): { token: string; from: 'bearer' | 'cookie' } | null {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new DomainError('unauthorized', 'malformed Authorization header');
    return { token: m[1] as string, from: 'bearer' };
  }
  const cookie = req.headers.cookie ? parseCookie(req.headers.cookie)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, from: 'cookie' } : null;
}

/** Resolves the caller into `res.locals.principal` (null when anonymous). */
export function authenticate(deps: Pick<Deps, 'master' | 'config'>): RequestHandler {
  return async (req, res, next) => {
    const found = tokenOf(req);
    let principal: Principal | null = null;
    if (found) {
      principal = await authenticateToken(deps.master, deps.config, found.token);
      if (!principal && found.from === 'bearer') {
        throw new DomainError('unauthorized', 'invalid, expired or revoked token');
      }
    }
    res.locals.principal = principal;
    next();
  };
}

export const principalOf = (res: Response): Principal | null =>
  (res.locals.principal as Principal | null | undefined) ?? null;

export function requirePrincipal(res: Response): Principal {
  const p = principalOf(res);
  if (!p) throw new DomainError('unauthorized', 'sign in or get a voter token first');
  return p;
}

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

export function setSessionCookie(res: Response, token: string, deps: Pick<Deps, 'config'>): void {
  res.append(
    'Set-Cookie',
    stringifySetCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.env === 'production',
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
      secure: deps.config.env === 'production',
      path: '/',
      maxAge: 0,
    }),
  );
}
