// Voter rolls (access `roll`): admins import, list and prune the roll, issue ballot codes and
// download the marked register; a voter exchanges a code for a voter token. Transport only: the
// rules and their SQL are in roll/.
import express, { Router, type Request } from 'express';
import {
  codeExchangeSchema,
  rollCodesRequestSchema,
  rollImportSchema,
  type RollCodesResponse,
  type RollImportResponse,
  type RollListResponse,
  type VoterTokenResponse,
} from '@tallyboard/shared';
import { DomainError } from '../../errors';
import { requireElection } from '../../elections/store';
import { guardCodeGuess } from '../../limits/rate-limits';
import { importRoll, listRoll, markedRegisterCsv, removeEntry } from '../../roll/entries';
import { exchangeCode, issueCodes } from '../../roll/exchange';
import { requireAdmin } from '../auth';
import { clientAddress, idParam } from './context';
import type { Deps } from '../../deps';

/**
 * A roll import may be far larger than the 1 MB every other body is held to: 10,000 entries with
 * emails are about 1 MB. nginx allows the same on this one path (deploy/nginx/nginx.conf.template).
 */
export const ROLL_IMPORT_BODY_LIMIT = '8mb';

/** The import route, whose body app.ts leaves to this router's own parser (after the admin check). */
export const isRollImport = (req: Request): boolean =>
  req.method === 'POST' && /^\/api\/elections\/[^/]+\/roll\/?$/.test(req.path);

const rollBody = express.json({ limit: ROLL_IMPORT_BODY_LIMIT });

function refParam(req: Request): string {
  const ref = req.params.ref;
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 64) {
    throw new DomainError('not_found', 'no entry with this ref on the roll');
  }
  return ref;
}

export function rollRoutes(deps: Deps): Router {
  const r = Router();
  const db = deps.master;

  r.post(
    '/:id/roll',
    (_req, res, next) => {
      requireAdmin(res); // before reading a body of up to 8 MB
      next();
    },
    rollBody,
    async (req, res) => {
      const id = idParam(req);
      const { voters } = rollImportSchema.parse(req.body);
      const body: RollImportResponse = await importRoll(db, id, voters);
      res.status(201).json(body);
    },
  );

  r.get('/:id/roll', async (req, res) => {
    requireAdmin(res);
    const id = idParam(req);
    const election = await requireElection(db, id);
    const entries = await listRoll(db, id);
    const body: RollListResponse = {
      eligible: election.eligible ?? entries.length,
      voted: entries.filter((e) => e.voted).length,
      entries,
    };
    res.json(body);
  });

  r.get('/:id/roll/register.csv', async (req, res) => {
    requireAdmin(res);
    const election = await requireElection(db, idParam(req));
    res.type('text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="register-${election.joinCode}.csv"`,
    );
    res.send(await markedRegisterCsv(db, election.id));
  });

  r.delete('/:id/roll/:ref', async (req, res) => {
    requireAdmin(res);
    await removeEntry(db, idParam(req), refParam(req));
    res.status(204).end();
  });

  r.post('/:id/roll/codes', async (req, res) => {
    requireAdmin(res);
    const id = idParam(req);
    const { refs } = rollCodesRequestSchema.parse(req.body ?? {});
    const body: RollCodesResponse = { codes: await issueCodes(db, deps.config, id, refs) };
    res.status(201).json(body);
  });

  r.post('/:id/voters', async (req, res) => {
    const id = idParam(req);
    const { code } = codeExchangeSchema.parse(req.body);
    const voterToken = await guardCodeGuess(deps.limits, clientAddress(deps, req), id, () =>
      exchangeCode(db, deps.config, id, code),
    );
    const body: VoterTokenResponse = { voterToken };
    res.status(201).json(body);
  });

  return r;
}
