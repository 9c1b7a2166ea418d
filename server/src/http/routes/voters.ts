// /api/voters: anonymous voter identities for `open` elections.
import { Router } from 'express';
import type { VoterTokenResponse } from '@tallyboard/shared';
import { newVoterToken } from '../../accounts/users';
import { limit } from '../rate-limits';
import { clientAddress, type RouteContext } from './context';

export function voterRoutes({ deps, limits }: RouteContext): Router {
  const r = Router();
  r.post('/', limit(limits, 'voterTokensPerIp', clientAddress), (_req, res) => {
    const body: VoterTokenResponse = { voterToken: newVoterToken(deps.config) };
    res.status(201).json(body);
  });
  return r;
}
