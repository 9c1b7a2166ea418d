// The live engine's tunables in one place. The engine spreads configuration (TALLY_INTERVAL_MS,
// TALLY_FRAME_BUDGET) over them; tests pass shorter ones.

export interface LiveOptions {
  /** Minimum spacing of two tallies of one election, cluster-wide. @default 100 */
  tallyIntervalMs: number;
  /**
   * Tally frames per second for the whole cluster (viewers × 1000/tallyIntervalMs of the elections
   * publishing): past it every election's interval stretches alike (live/frame-budget.ts). 0 = no
   * budget. @default 24000
   */
  tallyFrameBudget: number;
  /**
   * Event-loop utilisation (0-1) of the busiest node past which the frame budget in force shrinks
   * under tallyFrameBudget; it grows back once every node is 0.2 under it, and only while it holds
   * tallies back (live/load-governor.ts). 0 = the budget stays as configured.
   * @default 0.8
   */
  tallyLoadHigh: number;
  /** How often each node samples and shares its load, and the budget follows it. @default 1000 */
  loadEveryMs: number;
  /**
   * Tally groups per election: while the budget stretches the interval T, each election's viewers
   * get their tally a group at a time, one group every T/groups (live/tally-groups.ts). 1 = one
   * burst to the whole room per T. @default 10
   */
  tallyGroups: number;
  /** Shortest spacing of two group slots (the leader polls every 10-25 ms). @default 50 */
  tallyMinSlotMs: number;
  /** How long a node remembers its commits, to re-mark them after a Redis restart. @default 60000 */
  recentCommitsMs: number;
  /** How long the publisher trusts a cached election status and visibility. @default 1000 */
  electionCacheMs: number;
  /** Lifetime of the leader lease; renewed every third of it. @default 3000 */
  leaderTtlMs: number;
  /** Lifetime of a node's presence heartbeat: a dead node's viewers drop out after it. @default 10000 */
  heartbeatTtlMs: number;
  /** How often a node renews its heartbeat and re-writes its counts. @default 3000 */
  heartbeatEveryMs: number;
  /** How often changed local viewer counts are written to Redis. @default 250 */
  presenceFlushMs: number;
  /** Spacing of `presence` pushes per election. @default 500 */
  presencePushMs: number;
  /** How often the leader opens and closes elections whose time has come. @default 1000 */
  clockEveryMs: number;
}

export const liveDefaults: LiveOptions = {
  tallyIntervalMs: 100,
  tallyFrameBudget: 24_000,
  tallyLoadHigh: 0.8,
  loadEveryMs: 1000,
  tallyGroups: 10,
  tallyMinSlotMs: 50,
  recentCommitsMs: 60_000,
  electionCacheMs: 1000,
  leaderTtlMs: 3000,
  heartbeatTtlMs: 10_000,
  heartbeatEveryMs: 3000,
  presenceFlushMs: 250,
  presencePushMs: 500,
  clockEveryMs: 1000,
};
