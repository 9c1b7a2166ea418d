// Live-layer metrics on the node's one registry (metrics.ts). Registered once per process;
// the attached realtime server plugs its socket count in.
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../metrics';

interface Source {
  sockets: () => number;
  leader: () => boolean;
  redisUp: () => boolean;
  /** Spacing of each election's tallies now (the frame budget stretches it under load). */
  tallyIntervalMs: () => number;
  /** Frames per second the publishing elections would take at the base interval. */
  framesWanted: () => number;
  /** Tally frames per second allowed now: the configured budget, or less while nodes are busy. */
  frameBudget: () => number;
  /** Event-loop utilisation of the busiest node as this node last saw it (0-1). */
  load: () => number;
}
let source: Source | null = null;

new Gauge({
  name: 'tallyboard_sockets_connected',
  help: 'Socket.IO connections open on this node',
  registers: [metricsRegistry],
  collect() {
    this.set(source?.sockets() ?? 0);
  },
});

new Gauge({
  name: 'tallyboard_live_leader',
  help: '1 on the node that publishes tallies and presence for the cluster and runs the clock',
  registers: [metricsRegistry],
  collect() {
    this.set(source?.leader() ? 1 : 0);
  },
});

new Gauge({
  name: 'tallyboard_live_degraded',
  help: '1 while Redis is unreachable from the live layer (per-node publishing)',
  registers: [metricsRegistry],
  collect() {
    this.set(source && !source.redisUp() ? 1 : 0);
  },
});

new Gauge({
  name: 'tallyboard_tally_interval_seconds',
  help: "Spacing of one election's tallies now: the base interval, stretched by the frame budget when viewers × the base rate exceed it (meaningful on the leader)",
  registers: [metricsRegistry],
  collect() {
    this.set((source?.tallyIntervalMs() ?? 0) / 1000);
  },
});

new Gauge({
  name: 'tallyboard_tally_frames_wanted',
  help: "Tally frames per second the publishing elections would take at the base interval (viewers × base rate; the leader's count)",
  registers: [metricsRegistry],
  collect() {
    this.set(source?.framesWanted() ?? 0);
  },
});

new Gauge({
  name: 'tallyboard_tally_frame_budget',
  help: 'Tally frames per second the cluster may send now: TALLY_FRAME_BUDGET, or less while the busiest node is past TALLY_LOAD_HIGH (meaningful on the leader; 0 = no budget)',
  registers: [metricsRegistry],
  collect() {
    this.set(source?.frameBudget() ?? 0);
  },
});

new Gauge({
  name: 'tallyboard_live_load',
  help: "Event-loop utilisation (0-1) of the cluster's busiest node over the last second, as this node last saw it (its own while Redis is away); 0 while the load governor is off",
  registers: [metricsRegistry],
  collect() {
    this.set(source?.load() ?? 0);
  },
});

const tallyEmits = new Counter({
  name: 'tallyboard_tally_emits_total',
  help: 'Tally broadcasts sent by this node: cluster (leader, via the adapter) or local (degraded)',
  labelNames: ['scope'] as const,
  registers: [metricsRegistry],
});

export function liveMetrics(from: Source): {
  tallyEmits: typeof tallyEmits;
  release: () => void;
} {
  source = from;
  return {
    tallyEmits,
    release: () => {
      if (source === from) source = null;
    },
  };
}
