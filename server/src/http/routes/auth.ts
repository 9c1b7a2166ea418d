// /api/auth: sign in, sign out, who am I, register a voter account.
import { Router } from 'express';
import { loginRequestSchema, registerRequestSchema } from '@tallyboard/shared';
import { createUser, getUser, login, logout } from '../../accounts/users';
import { issueSessionToken } from '../../accounts/tokens';
import { DomainError } from '../../errors';
import { clearSessionCookie, principalOf, requireUser, setSessionCookie } from '../auth';
import { guardLogin } from '../../limits/rate-limits';
import { clientAddress, limitPerAddress } from './context';
import type { Deps } from '../../deps';

export function authRoutes(deps: Deps): Router {
  const r = Router();

  r.post('/login', limitPerAddress(deps, 'loginPerIp'), async (req, res) => {
    const body = loginRequestSchema.parse(req.body);
    const result = await guardLogin(deps.limits, body.email, clientAddress(deps, req), () =>
      login(deps.master, deps.config, body.email, body.password),
    );
    setSessionCookie(res, result.token, deps);
    res.json(result);
  });

  r.post('/logout', async (_req, res) => {
    const p = principalOf(res);
    if (p?.kind === 'user') await logout(deps.master, deps.events, p.userId);
    clearSessionCookie(res, deps);
    res.status(204).end();
  });

  r.get('/me', async (_req, res) => {
    const p = principalOf(res);
    if (!p) throw new DomainError('unauthorized', 'not signed in');
    if (p.kind === 'voter') {
      res.json({ user: null, voter: { id: p.voterId } });
      return;
    }
    const user = await getUser(deps.master, requireUser(res).userId);
    if (!user) throw new DomainError('unauthorized', 'not signed in');
    res.json({ user });
  });

  r.post('/register', limitPerAddress(deps, 'loginPerIp'), async (req, res) => {
    const body = registerRequestSchema.parse(req.body);
    const user = await createUser(deps.master, { ...body, role: 'voter' });
    const token = issueSessionToken(
      deps.config.session.secret,
      { id: user.id, role: user.role, tokenGen: 0 },
      deps.config.session.ttlHours,
    );
    setSessionCookie(res, token, deps);
    res.status(201).json({ user, token });
  });

  return r;
}
