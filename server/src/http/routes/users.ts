// /api/users (admin): list and search accounts, block and unblock, promote and demote, set a
// temporary password, delete a voter account. The rules are accounts/management.ts.
import { Router } from 'express';
import {
  temporaryPasswordSchema,
  userListQuerySchema,
  userPatchSchema,
  type UserPatch,
} from '@tallyboard/shared';
import {
  deleteAccount,
  listUsers,
  setTemporaryPassword,
  updateAccount,
} from '../../accounts/management';
import { requireAdmin } from '../auth';
import { idParam } from './context';
import type { Deps } from '../../deps';

export function userRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    requireAdmin(res);
    res.json(await listUsers(deps.master, userListQuerySchema.parse(req.query)));
  });

  r.patch('/:id', async (req, res) => {
    const admin = requireAdmin(res);
    const id = idParam(req);
    const body = userPatchSchema.parse(req.body);
    res.json(await updateAccount(deps.master, deps.events, admin.userId, id, body));
  });

  // The console's buttons, as actions (like an election's open and close): the PATCH above with a
  // fixed body.
  const actions: Record<string, UserPatch> = {
    block: { blocked: true },
    unblock: { blocked: false },
    promote: { role: 'admin' },
    demote: { role: 'voter' },
  };
  for (const [action, patch] of Object.entries(actions)) {
    r.post(`/:id/${action}`, async (req, res) => {
      const admin = requireAdmin(res);
      res.json(await updateAccount(deps.master, deps.events, admin.userId, idParam(req), patch));
    });
  }

  r.post('/:id/temporary-password', async (req, res) => {
    requireAdmin(res);
    const id = idParam(req);
    const body = temporaryPasswordSchema.parse(req.body ?? {});
    res.json(await setTemporaryPassword(deps.master, deps.events, id, body.password));
  });

  r.delete('/:id', async (req, res) => {
    requireAdmin(res);
    await deleteAccount(deps.master, deps.events, idParam(req));
    res.status(204).end();
  });

  return r;
}
