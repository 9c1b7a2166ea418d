// Live-layer metrics on the node's one registry (http/metrics.ts). Registered once per process;
// the attached realtime server plugs its socket count in.
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../http/metrics';

let countSockets: (() => number) | null = null;

new Gauge({
  name: 'tallyboard_sockets_connected',
  help: 'Socket.IO connections open on this node',
  registers: [metricsRegistry],
  collect() {
    this.set(countSockets?.() ?? 0);
  },
});

const tallyEmits = new Counter({
  name: 'tallyboard_tally_emits_total',
  help: 'Tally broadcasts sent by this node: cluster (leader, via the adapter) or local (degraded)',
  labelNames: ['scope'] as const,
  registers: [metricsRegistry],
});

export function liveMetrics(sockets: () => number): {
  tallyEmits: typeof tallyEmits;
  release: () => void;
} {
  countSockets = sockets;
  return {
    tallyEmits,
    release: () => {
      if (countSockets === sockets) countSockets = null;
    },
  };
}
