// HTTP request metrics and the /metrics endpoint, which serves the node's one registry
// (foundations: metrics.ts) with every layer's metrics on it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { Histogram } from 'prom-client';
import { metricsRegistry } from '../metrics';

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, matched route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

/** Times the response to `req` under the route `route()` names once it is answered. */
export function timeRequest(req: IncomingMessage, res: ServerResponse, route: () => string): void {
  const end = httpRequestDuration.startTimer();
  res.on('finish', () =>
    end({ method: req.method, route: route(), status: String(res.statusCode) }),
  );
}

/** Times every response; the route label is the matched pattern, never the raw URL. */
export const metricsMiddleware: RequestHandler = (req, res, next) => {
  timeRequest(req, res, () => {
    const pattern = (req.route as { path?: unknown } | undefined)?.path;
    return typeof pattern === 'string' ? req.baseUrl + pattern : 'unmatched';
  });
  next();
};

export const metricsHandler: RequestHandler = async (_req, res) => {
  res.set('Content-Type', metricsRegistry.contentType);
  res.send(await metricsRegistry.metrics());
};
