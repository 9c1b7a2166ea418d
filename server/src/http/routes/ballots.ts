// /api/elections/:id/ballots and receipts: casting goes through the BallotWriter, the same path
// as the socket's `ballot:cast`.
import { Router } from 'express';
import type { RowDataPacket } from 'mysql2/promise';
import {
  ballotRequestSchema,
  idempotencyKeySchema,
  type BallotReceipt,
  type ReceiptCheck,
} from '@tallyboard/shared';
import { voterKey } from '../../accounts/tokens';
import { DomainError } from '../../errors';
import { assertCanView } from '../../elections/rules';
import { getElectionMeta } from '../../elections/store';
import { principalOf, requirePrincipal } from '../auth';
import { clientAddress, idParam, type RouteContext } from './context';

export function ballotRoutes({ deps, limits }: RouteContext): Router {
  const r = Router({ mergeParams: true });

  r.post('/:id/ballots', async (req, res) => {
    const principal = requirePrincipal(res);
    const electionId = idParam(req);
    await limits.consumeAll([
      ['ballotsPerIp', clientAddress(req)],
      ['ballotsPerVoter', voterKey(principal)],
    ]);
    const header = req.get('Idempotency-Key');
    const idempotencyKey = header === undefined ? undefined : idempotencyKeySchema.parse(header);
    const { selections } = ballotRequestSchema.parse(req.body);
    const { receipt, replayed } = await deps.ballots.cast({
      principal,
      electionId,
      selections,
      idempotencyKey,
    });
    const body: BallotReceipt = { receipt };
    res.status(replayed ? 200 : 201).json(body);
  });

  r.get('/:id/receipts/:receipt', async (req, res) => {
    const electionId = idParam(req);
    const meta = await getElectionMeta(deps.master, electionId);
    if (!meta) throw new DomainError('not_found', 'election not found');
    assertCanView(meta, principalOf(res));
    const receipt = String(req.params.receipt).trim().toUpperCase().slice(0, 32);
    const find = async (db: { query: typeof deps.master.query }): Promise<boolean> => {
      const [rows] = await db.query<RowDataPacket[]>(
        'SELECT 1 FROM ballots WHERE election_id = ? AND receipt = ?',
        [electionId, receipt],
      );
      return rows.length > 0;
    };
    // Replicas first; a receipt just issued may not have arrived there yet.
    const counted = (await deps.replicas.read((c) => find(c))) || (await find(deps.master));
    const body: ReceiptCheck = { receipt, electionId, counted };
    res.json(body);
  });

  return r;
}
