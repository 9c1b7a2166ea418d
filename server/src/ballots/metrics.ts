// Group-commit metrics on the node's one registry: how big batches are, how long one takes on
// the master, and how long a ballot waits from queued to committed (what its caller waits for).
import { Histogram } from 'prom-client';
import { metricsRegistry } from '../metrics';

const ms = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.25, 0.5, 1];

export const batchMetrics = {
  size: new Histogram({
    name: 'tallyboard_ballot_batch_size',
    help: 'Ballots written per group-commit transaction',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [metricsRegistry],
  }),
  commitSeconds: new Histogram({
    name: 'tallyboard_ballot_batch_commit_seconds',
    help: 'Time to write and commit one batch on the master (three round trips)',
    buckets: ms,
    registers: [metricsRegistry],
  }),
  waitSeconds: new Histogram({
    name: 'tallyboard_ballot_commit_wait_seconds',
    help: 'Time from a ballot being queued to its batch having committed',
    buckets: ms,
    registers: [metricsRegistry],
  }),
};
