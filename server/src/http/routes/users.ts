// /api/users (admin): the account list, and blocking an account (it can no longer sign in, and
// its existing sessions stop working at once on every node).
import { Router } from 'express';
import { userPatchSchema } from '@tallyboard/shared';
import { listUsers, setBlocked } from '../../accounts/users';
import { DomainError } from '../../errors';
import { requireAdmin } from '../auth';
import { idParam } from './context';
import type { Deps } from '../../deps';

export function userRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/', async (_req, res) => {
    requireAdmin(res);
    res.json(await listUsers(deps.master));
  });

  r.patch('/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const id = idParam(req);
    const body = userPatchSchema.parse(req.body);
    if (id === admin.userId && body.blocked) {
      throw new DomainError('conflict', 'you cannot block your own account');
    }
    res.json(await setBlocked(deps.master, deps.events, id, body.blocked));
  });

  return r;
}
