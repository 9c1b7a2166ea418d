// /api/auth: sign in, sign out, who am I, register a voter account, change one's password.
import { Router } from 'express';
import {
  loginRequestSchema,
  passwordChangeSchema,
  registerRequestSchema,
} from '@tallyboard/shared';
import { changePassword, createUser, getUser, login, logout } from '../../accounts/users';
import { issueSessionToken } from '../../accounts/tokens';
import { DomainError } from '../../errors';
import {
  clearSessionCookie,
  cookieOfBlockedAccount,
  principalOf,
  requireUser,
  setSessionCookie,
} from '../auth';
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
    if (!p && cookieOfBlockedAccount(res)) {
      throw new DomainError('account_blocked', 'this account is blocked');
    }
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
    const { user, tokenGen } = await createUser(deps.master, { ...body, role: 'voter' });
    const token = issueSessionToken(
      deps.config.session.secret,
      { id: user.id, role: user.role, tokenGen },
      deps.config.session.ttlHours,
    );
    setSessionCookie(res, token, deps);
    res.status(201).json({ user, token });
  });

  // The current password is a guess like a sign-in's: it spends the same budgets, keyed by account.
  r.post('/password', limitPerAddress(deps, 'loginPerIp'), async (req, res) => {
    const me = requireUser(res);
    const body = passwordChangeSchema.parse(req.body);
    const result = await guardLogin(
      deps.limits,
      `account:${me.userId}`,
      clientAddress(deps, req),
      () =>
        changePassword(
          deps.master,
          deps.events,
          deps.config,
          me.userId,
          body.currentPassword,
          body.newPassword,
        ),
    );
    setSessionCookie(res, result.token, deps);
    res.json(result);
  });

  return r;
}
