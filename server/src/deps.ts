// What every module of a running node may use, built once in main.ts and passed down to the live
// engine and the transports. Add a field here when a new long-lived object appears; keep it a
// plain bag.
import type { Pool } from 'mysql2/promise';
import type { RedisClient } from './redis';
import type { Config } from './config';
import type { Logger } from './log';
import type { ReplicaRouter } from './db/replicas';
import type { MasterLink } from './db/master-link';
import type { BallotWriter } from './ballots/writer';
import type { Participation } from './ballots/participation';
import type { DomainEvents } from './domain-events';
import type { RateLimits } from './limits/rate-limits';

export interface Lifecycle {
  /** Set when SIGTERM/SIGINT arrives: readiness turns false, new work is refused. */
  shuttingDown: boolean;
}

export interface Deps {
  config: Config;
  log: Logger;
  /** Every write and every authoritative read (`masterLink.pool`: follows a failover). */
  master: Pool;
  /** Whether the master takes writes now, and where it is (SIGHUP re-reads its address). */
  masterLink: MasterLink;
  /** Reads from the replicas (tallies), with GTID waits and fallback to the master. */
  replicas: ReplicaRouter;
  redis: RedisClient;
  /** The node's one ballot path, shared by REST and Socket.IO. */
  ballots: BallotWriter;
  /** Who voted where, read never older than the voter's own last ballot. */
  participation: Participation;
  /** The node's one set of rate limits (per address, per voter, per login), kept in Redis. */
  limits: RateLimits;
  /** Committed batches and election changes, for the live engine. */
  events: DomainEvents;
  lifecycle: Lifecycle;
}
