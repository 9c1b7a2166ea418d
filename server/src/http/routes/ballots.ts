// /api/elections/:id/ballots and receipts: casting goes through the BallotWriter, the same path
// as the socket's `ballot:cast`; the receipt check is ballots/receipts.ts.
import { Router, type RequestHandler } from 'express';
import { ballotRequestSchema, idempotencyKeySchema, type BallotReceipt } from '@tallyboard/shared';
import { checkReceipt } from '../../ballots/receipts';
import { DomainError } from '../../errors';
import { spendBallotBudget } from '../../limits/rate-limits';
import { assertCanView } from '../../elections/rules';
import { getElectionMeta } from '../../elections/store';
import { readPreferMaster } from '../../db/master-link';
import { principalOf, requirePrincipal } from '../auth';
import { clientAddress, idParam } from './context';
import type { Deps } from '../../deps';

/** POST /api/elections/:id/ballots (registered ahead of the other routes: routes.ts). */
export function castBallot(deps: Deps): RequestHandler {
  return async (req, res) => {
    const principal = requirePrincipal(res);
    const electionId = idParam(req);
    await spendBallotBudget(deps.limits, clientAddress(deps, req), principal);
    const header = req.get('Idempotency-Key');
    const idempotencyKey = header === undefined ? undefined : idempotencyKeySchema.parse(header);
    const { selections } = ballotRequestSchema.parse(req.body);
    const { receipt, replayed } = await deps.ballots.cast({
      principal,
      electionId,
      selections,
      idempotencyKey,
    });
    const body: BallotReceipt = { receipt, replayed };
    res.status(replayed ? 200 : 201).json(body);
  };
}

export function ballotRoutes(deps: Deps): Router {
  const r = Router({ mergeParams: true });

  r.get('/:id/receipts/:receipt', async (req, res) => {
    const electionId = idParam(req);
    const meta = await readPreferMaster(deps.masterLink, deps.replicas, (db) =>
      getElectionMeta(db, electionId),
    );
    if (!meta) throw new DomainError('not_found', 'election not found');
    assertCanView(meta, principalOf(res));
    res.json(await checkReceipt(deps, electionId, String(req.params.receipt)));
  });

  return r;
}
