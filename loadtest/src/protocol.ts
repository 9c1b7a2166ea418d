// Messages between the coordinator (cli) and its worker processes, over the fork IPC channel.
import type { Buckets } from './histogram';
import type { CastPath, Client, Transport } from './options';

/** How a voter gets its identity: an anonymous token, or one of the roll's ballot codes. */
export type VoterSource = { kind: 'open' } | { kind: 'roll'; codes: string[] };

export interface WorkerPlan {
  url: string;
  electionId: string;
  /** One choice per ballot, rotated: the selections of ballot i are choices[i % length]. */
  choices: Array<Record<string, string[]>>;
  connections: number;
  /** How many of this worker's sockets hold a voter token (they cast first). */
  voters: number;
  /** Ballots this worker casts, at `rate` per second. */
  ballots: number;
  rate: number;
  ramp: number;
  transport: Transport;
  client: Client;
  cast: CastPath;
  /**
   * Send the voters' tokens to the coordinator (for the casting worker) instead of casting with
   * them here.
   */
  handOverVoters: boolean;
  sources: string[];
  voterSource: VoterSource;
}

export type ToWorker =
  | { kind: 'start'; plan: WorkerPlan }
  | { kind: 'cast'; baseline: number }
  | { kind: 'acks'; from: number; times: number[] }
  | { kind: 'final'; ballots: number }
  /** To the casting worker: voters held by the viewers' workers, to cast with first. */
  | { kind: 'voters'; tokens: string[] }
  /** Ctrl-C: cast nothing more; report castDone once what is in flight is answered. */
  | { kind: 'stop' }
  | { kind: 'finish' };

export interface Progress {
  kind: 'progress';
  /** Every ack with a time ≤ asOf has been reported; null once casting is over (JSON has no Infinity). */
  asOf: number | null;
  attempted: number;
  /** Sockets joined and connected now. */
  connected: number;
  connectFailures: number;
  /** The same by reason (HTTP status, network error, timeout, the join's error code). */
  connectFailureReasons: Record<string, number>;
  disconnects: number;
  /** Tokens of voters joined since the last message (only with `handOverVoters`). */
  voterTokens: string[];
  /** Ack times (ms since the epoch, fractional) since the last message. */
  acks: number[];
  ackLatency: Buckets;
  commitToViewer: Buckets;
  castAttempted: number;
  castFailures: Record<string, number>;
  frames: number;
  /** Viewers at or past the final count (after a `final` message), and the latest such time. */
  reached: number;
  reachedAt: number;
  ramped: boolean;
  castDone: boolean;
  /** This process's event-loop delay p99 so far, ms: high means the generator itself is late. */
  loopDelayP99: number;
}

export type FromWorker = Progress | { kind: 'closed' };
