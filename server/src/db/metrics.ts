// Replica health and read routing as metrics, on the node's one registry.
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../metrics';
import type { ReplicaRouter } from './replicas';

let router: ReplicaRouter | null = null;

/** Makes replica health and read routing visible as metrics (called once by main). */
export function watchReplicas(r: ReplicaRouter): void {
  router = r;
}

new Gauge({
  name: 'tallyboard_replica_up',
  help: '1 when the replica is in the read rotation (replicating, lag within bounds)',
  labelNames: ['replica'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const h of router?.health() ?? []) this.set({ replica: h.name }, h.ok ? 1 : 0);
  },
});

new Gauge({
  name: 'tallyboard_replica_lag_seconds',
  help: 'Replication lag of each replica at the last probe, from sampled master GTIDs (absent when unknown)',
  labelNames: ['replica'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const h of router?.health() ?? []) {
      if (h.lagSeconds != null) this.set({ replica: h.name }, h.lagSeconds);
    }
  },
});

new Counter({
  name: 'tallyboard_db_reads_total',
  help: 'Router reads served, by target (replicaN or master)',
  labelNames: ['target'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [target, n] of Object.entries(router?.stats() ?? {})) this.inc({ target }, n);
  },
});
