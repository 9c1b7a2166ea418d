// The real domain reads behind the live engine's LiveReads port.
import type { Deps } from '../deps';
import { getElectionMeta } from '../elections/store';
import { readResults } from '../tallies/results';
import type { LiveReads } from './ports';

export function liveReads(deps: Pick<Deps, 'master' | 'replicas'>): LiveReads {
  return {
    // Status decides who sees what and is what viewers are told: read it on the master (one
    // primary-key read) so a status change is never answered from a lagging replica.
    getElection: (id) => getElectionMeta(deps.master, id),
    readResults: (id, gtid) => readResults(deps.replicas, id, gtid ? { gtid } : {}),
  };
}
