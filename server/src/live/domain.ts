// The real domain reads behind the live engine's LiveReads port.
import type { Deps } from '../deps';
import { getElectionMeta } from '../elections/store';
import { readResults } from '../tallies/results';
import { readPreferMaster } from '../db/master-link';
import type { LiveReads } from './ports';

export function liveReads(deps: Pick<Deps, 'masterLink' | 'replicas'>): LiveReads {
  return {
    // Status decides who sees what and is what viewers are told: read it on the master (one
    // primary-key read) so a status change is never answered from a lagging replica. While the
    // master is away nothing can change, and a caught-up replica answers (joins go on).
    getElection: (id) =>
      readPreferMaster(deps.masterLink, deps.replicas, (db) => getElectionMeta(db, id)),
    readResults: (id, gtid) => readResults(deps.replicas, id, gtid ? { gtid } : {}),
  };
}
