// /api/elections/:id/results, audit and exports: counters read from the replicas, visibility
// enforced for every caller.
import { Router } from 'express';
import { DomainError } from '../../errors';
import { assertCanSeeResults } from '../../elections/rules';
import { getElectionMeta, requireElection } from '../../elections/store';
import { recount } from '../../tallies/audit';
import { resultsCsv, resultsJson } from '../../tallies/export';
import { checkClientGtid, readResults } from '../../tallies/results';
import { readPreferMaster } from '../../db/master-link';
import { principalOf, requireAdmin } from '../auth';
import { idParam } from './context';
import type { Deps } from '../../deps';

export function resultRoutes(deps: Deps): Router {
  const r = Router();
  // The election's status on the master, or on a replica while the master is away: results,
  // audits and exports do not need a master.
  const meta = (id: string) =>
    readPreferMaster(deps.masterLink, deps.replicas, (db) => getElectionMeta(db, id));

  r.get('/:id/results', async (req, res) => {
    const id = idParam(req);
    const found = await meta(id);
    if (!found) throw new DomainError('not_found', 'election not found');
    assertCanSeeResults(found, principalOf(res));
    const gtid = await checkClientGtid(deps.master, deps.config.db.flavor, req.query.gtid);
    res.json(await readResults(deps.replicas, id, gtid ? { gtid } : {}));
  });

  r.get('/:id/audit', async (req, res) => {
    requireAdmin(res);
    const id = idParam(req);
    if (!(await meta(id))) throw new DomainError('not_found', 'election not found');
    res.json(await recount(deps.replicas, id));
  });

  const exportFor = async (id: string, principal: ReturnType<typeof principalOf>) => {
    const election = await readPreferMaster(deps.masterLink, deps.replicas, (db) =>
      requireElection(db, id),
    );
    assertCanSeeResults(election, principal);
    return { election, results: await readResults(deps.replicas, id) };
  };

  r.get('/:id/export.csv', async (req, res) => {
    const { election, results } = await exportFor(idParam(req), principalOf(res));
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="results-${election.joinCode}.csv"`);
    res.send(resultsCsv(election, results));
  });

  r.get('/:id/export.json', async (req, res) => {
    const { election, results } = await exportFor(idParam(req), principalOf(res));
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="results-${election.joinCode}.json"`,
    );
    res.json(resultsJson(election, results));
  });

  return r;
}
