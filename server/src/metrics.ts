// The node's one Prometheus registry, with Node's default metrics. Every layer registers its own
// metrics on it (`registers: [metricsRegistry]`); the HTTP transport serves it at /metrics.
import { collectDefaultMetrics, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
