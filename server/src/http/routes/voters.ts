// /api/voters: anonymous voter identities for `open` elections.
import { Router } from 'express';
import type { VoterTokenResponse } from '@tallyboard/shared';
import { newVoterToken } from '../../accounts/users';
import { limitPerAddress } from './context';
import type { Deps } from '../../deps';

export function voterRoutes(deps: Deps): Router {
  const r = Router();
  r.post('/', limitPerAddress(deps, 'voterTokensPerIp'), (_req, res) => {
    const body: VoterTokenResponse = { voterToken: newVoterToken(deps.config) };
    res.status(201).json(body);
  });
  return r;
}
