// Entry of a worker process (forked by run.ts).
import { runWorker } from './worker';

runWorker();
