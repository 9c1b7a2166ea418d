// One log line per HTTP request, carrying the request id nginx assigned (`X-Request-Id`), so an
// operator can follow a request from nginx's access log to the node that answered it. The line
// names the route pattern (`/api/elections/:id/receipts/:receipt`), never the URL: a path can hold
// a receipt or a join code, and the log must not link a voter's request to anything they hold.
// No address is logged either. The same id is echoed on the response.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../log';

export const REQUEST_ID = 'X-Request-Id';

/** What an id from upstream may look like (nginx's $request_id is 32 hex digits). */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Probes and scrapes arrive every few seconds from every checker; they would drown the log. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/api/health']);

/** The id from upstream when it is well formed, else a fresh one. */
export function requestIdOf(given: string | undefined): string {
  return given !== undefined && ACCEPTED_ID.test(given) ? given : randomBytes(16).toString('hex');
}

/**
 * The matched route's pattern, or `unmatched` (a 404 or an error before routing). After a route
 * failed, Express has already restored `baseUrl`, so the mount path is taken from the URL: the
 * segments before the route's own (our routers are mounted on literal paths, never on params).
 */
export function routeOf(req: Pick<Request, 'route' | 'baseUrl' | 'originalUrl'>): string {
  const route = req.route as { path?: unknown } | undefined;
  if (typeof route?.path !== 'string') return 'unmatched';
  if (req.baseUrl) return `${req.baseUrl}${route.path}`;
  const own = route.path.split('/').filter(Boolean).length;
  const segments = (req.originalUrl.split('?')[0] ?? '').split('/').filter(Boolean);
  const base = segments.slice(0, Math.max(0, segments.length - own));
  return `${base.length ? `/${base.join('/')}` : ''}${route.path}`;
}

/**
 * Stamps `res` with the request's id and, unless `quiet`, logs one line when it is answered,
 * naming `route()` (the middleware below and the ballot fast path both call it).
 */
export function traceRequest(
  log: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  route: () => string,
  quiet = false,
): void {
  const given = req.headers['x-request-id'];
  const id = requestIdOf(Array.isArray(given) ? given[0] : given);
  res.setHeader(REQUEST_ID, id);
  if (quiet) return;
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log.info(
      {
        reqId: id,
        method: req.method,
        route: route(),
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      },
      'request',
    );
  });
}

export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    traceRequest(log, req, res, () => routeOf(req), QUIET_PATHS.has(req.path));
    next();
  };
}
