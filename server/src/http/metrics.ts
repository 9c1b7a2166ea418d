// Prometheus metrics for this node. `metricsRegistry` is the one registry: other modules register
// their own metrics on it (`registers: [metricsRegistry]`). `/metrics` serves it.
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ReplicaRouter } from '../db/replicas';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, matched route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

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
  help: 'Seconds_Behind_Master of each replica at the last probe (absent when unknown)',
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

/** Times every response; the route label is the matched pattern, never the raw URL. */
export const metricsMiddleware: RequestHandler = (req, res, next) => {
  const end = httpRequestDuration.startTimer();
  res.on('finish', () => {
    const pattern = (req.route as { path?: unknown } | undefined)?.path;
    const route = typeof pattern === 'string' ? req.baseUrl + pattern : 'unmatched';
    end({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
};

export const metricsHandler: RequestHandler = async (_req, res) => {
  res.set('Content-Type', metricsRegistry.contentType);
  res.send(await metricsRegistry.metrics());
};
