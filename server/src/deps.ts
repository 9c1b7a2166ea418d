// What every module of a running node may use, built once in main.ts and passed down. Add a field
// here when a new long-lived object appears (a writer, a publisher); keep it a plain bag.
import type { Pool } from 'mysql2/promise';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { Logger } from './log';
import type { ReplicaRouter } from './db/replicas';

export interface Lifecycle {
  /** Set when SIGTERM/SIGINT arrives: readiness turns false, new work is refused. */
  shuttingDown: boolean;
}

export interface Deps {
  config: Config;
  log: Logger;
  /** Every write and every authoritative read. */
  master: Pool;
  /** Reads from the replicas (tallies), with GTID waits and fallback to the master. */
  replicas: ReplicaRouter;
  redis: Redis;
  lifecycle: Lifecycle;
}
