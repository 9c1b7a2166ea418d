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
import type { Principal } from '../../accounts/tokens';

/** What casting a ballot takes from its request, whichever way it was read. */
export interface BallotRequest {
  principal: Principal;
  electionId: string;
  /** The caller's address (`clientAddress`), for the per-address budget. */
  address: string;
  /** The `Idempotency-Key` header as sent, if any. */
  idempotencyKey: string | undefined;
  /** The parsed JSON body. */
  body: unknown;
}

/**
 * Casts one ballot for a request: the budgets, the Idempotency-Key and body checks, then the
 * BallotWriter. 201 with the receipt, or 200 for a retry with the same key.
 */
export async function submitBallot(
  deps: Deps,
  r: BallotRequest,
): Promise<{ status: 200 | 201; body: BallotReceipt }> {
  await spendBallotBudget(deps.limits, r.address, r.principal);
  const idempotencyKey =
    r.idempotencyKey === undefined ? undefined : idempotencyKeySchema.parse(r.idempotencyKey);
  const { selections } = ballotRequestSchema.parse(r.body);
  const { receipt, replayed } = await deps.ballots.cast({
    principal: r.principal,
    electionId: r.electionId,
    selections,
    idempotencyKey,
  });
  return { status: replayed ? 200 : 201, body: { receipt, replayed } };
}

/**
 * POST /api/elections/:id/ballots through Express (registered ahead of the other routes:
 * routes.ts). Most ballots take the fast path instead (ballot-fast-path.ts), which ends in the
 * same `submitBallot`.
 */
export function castBallot(deps: Deps): RequestHandler {
  return async (req, res) => {
    const principal = requirePrincipal(res);
    const { status, body } = await submitBallot(deps, {
      principal,
      electionId: idParam(req),
      address: clientAddress(deps, req),
      idempotencyKey: req.get('Idempotency-Key'),
      body: req.body,
    });
    res.status(status).json(body);
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
