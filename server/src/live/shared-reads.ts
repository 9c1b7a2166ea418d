// A crowd arriving at once (thousands of viewers joining one election in seconds) would cost two
// database reads per join: the election on the master and its results on a replica. Here the
// joins of one election share them, without ever answering a join from a read that started before
// it asked: a caller that finds a read in flight waits for the NEXT one, which starts as soon as
// the current one ends and serves everyone who asked meanwhile. At most two reads per key are
// ever pending, whatever the join rate, and every answer is as fresh as an unshared read.
import { sharedRead } from '../shared-read';
import type { LiveReads } from './ports';

/** The live reads with joins of one election (at one GTID) sharing their reads. */
export function sharedLiveReads(reads: LiveReads): LiveReads {
  const election = sharedRead((id) => reads.getElection(id));
  const results = sharedRead((key) => {
    const [id, gtid] = key.split('\n') as [string, string];
    return reads.readResults(id, gtid || undefined);
  });
  return {
    getElection: election,
    readResults: (id, gtid) => results(`${id}\n${gtid ?? ''}`),
  };
}
