// The live engine of one node: tallies (TallyPublisher), presence, the leader lease and the
// status clock, fed by domain events and speaking to viewers through the transport's
// Broadcaster. Cluster-wide through Redis while it answers, per node while it does not.
import type { Deps } from '../deps';
import { advanceDueElections } from '../elections/lifecycle';
import { liveDefaults, type LiveOptions } from './defaults';
import { liveReads } from './domain';
import { FrameBudget } from './frame-budget';
import { LeaderLease } from './leader';
import { ClusterLoad, LoadGovernor } from './load-governor';
import { liveMetrics } from './metrics';
import type { Broadcaster, LiveReads, Scope } from './ports';
import { Presence } from './presence';
import type { RedisLink } from './redis-link';
import { sharedLiveReads } from './shared-reads';
import { StatusPusher } from './status';
import { TallyPublisher } from './tally-publisher';
import { startClosingRelay } from './closing-relay';

export interface LiveEngine {
  reads: LiveReads;
  /** Newest committed GTID of an election (a join reads at least that far). */
  lastGtid(electionId: string): Promise<string | undefined>;
  /** A socket joined or left an election on this node. */
  touchPresence(electionId: string): void;
  /** Tally groups per election: a joining viewer also joins one of them (live/rooms.ts). */
  tallyGroups: number;
  /** Viewers of an election across the cluster. */
  totalPresence(electionId: string): Promise<number>;
  close(): Promise<void>;
}

export function startLiveEngine(
  deps: Deps,
  link: RedisLink,
  out: Broadcaster,
  sockets: () => number,
  options: Partial<LiveOptions> = {},
): LiveEngine {
  const o: LiveOptions = {
    ...liveDefaults,
    tallyIntervalMs: deps.config.tally.intervalMs,
    tallyFrameBudget: deps.config.tally.frameBudget,
    tallyLoadHigh: deps.config.tally.loadHigh,
    tallyGroups: deps.config.tally.groups,
    ...options,
  };
  const log = deps.log.child({ module: 'live' });
  // Joins of one election share their reads (a crowd arriving at once): live/shared-reads.ts.
  const reads = sharedLiveReads(liveReads(deps));
  const { live: redis, up } = link;
  const nodeId = deps.config.nodeId;

  const lease = new LeaderLease({ redis, up, nodeId, log, ttlMs: o.leaderTtlMs });
  const isLeader = (): boolean => lease.isLeader;
  // Viewer counts come from presence (created below): the leader counts the cluster's.
  const budget: FrameBudget = new FrameBudget({
    framesPerSecond: o.tallyFrameBudget,
    baseIntervalMs: o.tallyIntervalMs,
    presencePushMs: o.presencePushMs,
    viewers: (id): number => presence.counted(id),
  });
  // The budget in force follows the busiest node's load, under the configured one.
  const load = new ClusterLoad({
    redis,
    up,
    nodeId,
    log,
    governor: new LoadGovernor({ ceiling: o.tallyFrameBudget, high: o.tallyLoadHigh }),
    apply: (fps) => budget.setFramesPerSecond(fps),
    binding: (ms) => budget.boundWithin(Date.now(), ms),
    everyMs: o.loadEveryMs,
  });
  const metrics = liveMetrics({
    sockets,
    leader: isLeader,
    redisUp: up,
    tallyIntervalMs: () => budget.intervalMs(Date.now()),
    framesWanted: () => budget.wantedFramesPerSecond,
    frameBudget: () => budget.framesPerSecond,
    load: () => load.load,
  });
  const tallies = new TallyPublisher({
    redis,
    up,
    reads,
    out,
    isLeader,
    log,
    intervalMs: o.tallyIntervalMs,
    budget,
    recentMs: o.recentCommitsMs,
    electionCacheMs: o.electionCacheMs,
    groups: o.tallyGroups,
    minSlotMs: o.tallyMinSlotMs,
    onEmit: (scope: Scope) => metrics.tallyEmits.inc({ scope }),
  });
  const presence: Presence = new Presence({ redis, up, nodeId, out, isLeader, log, budget, ...o });
  const status = new StatusPusher({
    reads,
    events: deps.events,
    advanceClock: () => advanceDueElections(deps),
    out,
    isLeader,
    scope: () => (up() ? 'cluster' : 'local'),
    republish: (id) => tallies.forcePublish(id),
    log,
    clockEveryMs: o.clockEveryMs,
  });

  // A Redis restart loses every mark, lease and count: rebuild ours as soon as it answers again.
  let seenReady = redis.status === 'ready';
  redis.on('ready', () => {
    if (seenReady) {
      log.info('redis reconnected: live engine resumes cluster mode');
      tallies.onRedisBack();
      presence.rewrite();
    }
    seenReady = true;
  });

  const unsubscribe = deps.events.subscribe('committed', (batch) => tallies.committed(batch));
  const stopClosingRelay = startClosingRelay({
    redis,
    events: deps.events,
    onClosing: (id) => deps.ballots.noteClosing(id),
    log,
  });
  lease.start();
  load.start();
  tallies.start();
  presence.start();
  status.start();

  return {
    reads,
    lastGtid: (id) => tallies.lastGtid(id),
    touchPresence: (id) => presence.touch(id),
    tallyGroups: o.tallyGroups,
    totalPresence: (id) => presence.total(id),
    async close() {
      unsubscribe();
      await stopClosingRelay();
      status.stop();
      load.stop();
      tallies.stop();
      await Promise.all([presence.stop(), lease.stop()]);
      metrics.release();
    },
  };
}
