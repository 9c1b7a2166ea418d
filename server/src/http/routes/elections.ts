// /api/elections: building and running elections (admin), and reading them (everyone, by access).
// Lifecycle changes announce themselves to the live engine (elections/lifecycle.ts).
import { Router, type Response } from 'express';
import {
  electionInputSchema,
  electionPatchSchema,
  joinCodeSchema,
  type Election,
  type ElectionLobby,
  type VoterStanding,
} from '@tallyboard/shared';
import { DomainError } from '../../errors';
import { assertCanView, canView, isAdmin } from '../../elections/rules';
import { withAllowlist } from '../../elections/allowlist';
import { duplicateElection } from '../../elections/duplicate';
import {
  closeElection,
  createElection,
  deleteElection,
  openElection,
  patchElection,
  scheduleElection,
  unscheduleElection,
} from '../../elections/lifecycle';
import { voterStanding } from '../../elections/standing';
import {
  getElectionByCode,
  getElectionMeta,
  getElectionMetaByCode,
  listElections,
  requireElection,
} from '../../elections/store';
import { principalOf, requireAdmin } from '../auth';
import { guardLookup, idParam } from './context';
import { readPreferMaster } from '../../db/master-link';
import type { Deps } from '../../deps';

export function electionRoutes(deps: Deps): Router {
  const r = Router();
  const db = deps.master;
  // The allowlist is for admins' eyes only.
  const forCaller = (e: Election, res: Response): Promise<Election> | Election =>
    isAdmin(principalOf(res)) ? withAllowlist(db, e) : e;

  r.post('/', async (req, res) => {
    const admin = requireAdmin(res);
    const input = electionInputSchema.parse(req.body);
    res.status(201).json(await forCaller(await createElection(db, input, admin.userId), res));
  });

  r.get('/', async (_req, res) => {
    res.json(await listElections(db, principalOf(res)));
  });

  r.get('/by-code/:joinCode', async (req, res) => {
    const e = await guardLookup(deps, req, async () => {
      const code = joinCodeSchema.safeParse(req.params.joinCode);
      if (!code.success) throw new DomainError('not_found', 'no election with this code');
      const found = await readPreferMaster(deps.masterLink, deps.replicas, (c) =>
        getElectionByCode(c, code.data),
      );
      if (!found) throw new DomainError('not_found', 'no election with this code');
      assertCanView(found, principalOf(res));
      return found;
    });
    res.json(await forCaller(e, res));
  });

  // Public for anyone with the code (drafts excepted): title, access and schedule, and whether
  // this caller may enter. Lets the ballot page ask for a sign-in without a 401 first.
  r.get('/by-code/:joinCode/lobby', async (req, res) => {
    const principal = principalOf(res);
    const { e, canEnter } = await guardLookup(deps, req, async () => {
      const code = joinCodeSchema.safeParse(req.params.joinCode);
      if (!code.success) throw new DomainError('not_found', 'no election with this code');
      const found = await readPreferMaster(deps.masterLink, deps.replicas, (c) =>
        getElectionMetaByCode(c, code.data),
      );
      const may = found !== null && canView(found, principal);
      if (!found || (!may && found.status === 'draft')) {
        throw new DomainError('not_found', 'no election with this code');
      }
      return { e: found, canEnter: may };
    });
    const lobby: ElectionLobby = {
      id: e.id,
      joinCode: e.joinCode,
      title: e.title,
      access: e.access,
      status: e.status,
      opensAt: e.opensAt,
      closesAt: e.closesAt,
      canEnter,
    };
    res.json(lobby);
  });

  r.get('/:id', async (req, res) => {
    const e = await requireElection(db, idParam(req));
    assertCanView(e, principalOf(res));
    res.json(await forCaller(e, res));
  });

  // Whether the caller may vote, and why not: asked before showing the ballot.
  r.get('/:id/me', async (req, res) => {
    const meta = await getElectionMeta(db, idParam(req));
    if (!meta) throw new DomainError('not_found', 'election not found');
    const standing: VoterStanding = await voterStanding(deps, meta, principalOf(res));
    res.json(standing);
  });

  r.patch('/:id', async (req, res) => {
    requireAdmin(res);
    const id = idParam(req);
    const patch = electionPatchSchema.parse(req.body);
    res.json(await forCaller(await patchElection(deps, id, patch), res));
  });

  r.post('/:id/duplicate', async (req, res) => {
    const admin = requireAdmin(res);
    const copy = await duplicateElection(db, idParam(req), admin.userId);
    res.status(201).json(await forCaller(copy, res));
  });

  const transitions = {
    schedule: scheduleElection,
    unschedule: unscheduleElection,
    open: openElection,
    close: closeElection,
  };
  for (const [action, change] of Object.entries(transitions)) {
    r.post(`/:id/${action}`, async (req, res) => {
      requireAdmin(res);
      res.json(await forCaller(await change(deps, idParam(req)), res));
    });
  }

  r.delete('/:id', async (req, res) => {
    requireAdmin(res);
    await deleteElection(deps, idParam(req));
    res.status(204).end();
  });

  return r;
}
