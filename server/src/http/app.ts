// The Express app of one node: a log line per request with its X-Request-Id, security headers (helmet's, computed once), JSON bodies up to
// 1 MB, health and metrics, the domain routes (registered by the caller), then JSON 404s and the
// one error mapper.
import type { Server, ServerResponse } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { compileTrustProxy } from '../client-address';
import type { Deps } from '../deps';
import { errorHandler, notFound } from './errors';
import { healthRoutes, nodePortOnly } from './health';
import { metricsHandler, metricsMiddleware } from './metrics';
import { requestLog } from './request-log';
import { isRollImport } from './routes/roll';

export const SERVED_BY = 'X-Served-By';

/** Largest JSON body a request may carry (413 above): 1 MB. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** The JSON body parser every route uses (a roll import has its own, larger one). */
export const jsonBody = (): RequestHandler => express.json({ limit: JSON_BODY_LIMIT });

export interface AppOptions {
  /**
   * Registers routes that skip the layers they do not need (health, the general body parser,
   * the other routers): right after the security headers, given the JSON body parser. For the
   * hot path (casting a ballot), where each layer passed costs.
   */
  early?: (app: Express, json: RequestHandler) => void;
  /** Registers the API routes, between the body parser and the 404/error handlers. */
  routes?: (app: Express) => void;
}

/** Headers to set and to remove on a response. */
export interface FixedHeaders {
  set: ReadonlyArray<readonly [string, string | number | readonly string[]]>;
  remove: readonly string[];
}

/**
 * helmet's default headers, worked out once: helmet runs a dozen middlewares per request that
 * always set the same values (no nonces here), so we run them once against a recording response
 * and replay the result (the middleware below, and the ballot fast path).
 */
export const helmetHeaders: () => FixedHeaders = (() => {
  let recorded: FixedHeaders | undefined;
  return () => (recorded ??= recordHelmet());
})();

function recordHelmet(): FixedHeaders {
  const set = new Map<string, string | number | readonly string[]>();
  const removed = new Set<string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      set.set(name, value);
      removed.delete(name.toLowerCase());
    },
    removeHeader: (name: string) => {
      set.delete(name);
      removed.add(name.toLowerCase());
    },
  };
  let done = false;
  helmet()({} as never, recorder as never, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    done = true;
  });
  if (!done) throw new Error('helmet did not finish synchronously; use it as a middleware');
  return { set: [...set], remove: [...removed] };
}

export function applyHeaders(res: ServerResponse, headers: FixedHeaders): void {
  for (const [name, value] of headers.set) res.setHeader(name, value);
  for (const name of headers.remove) res.removeHeader(name);
}

export function securityHeaders(): RequestHandler {
  const headers = helmetHeaders();
  return (_req, res, next) => {
    applyHeaders(res, headers);
    next();
  };
}

export function createApp(deps: Deps, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', compileTrustProxy(deps.config.http.trustProxy));
  app.use((_req, res, next) => {
    res.setHeader(SERVED_BY, deps.config.nodeId);
    next();
  });
  app.use(requestLog(deps.log));
  app.use(metricsMiddleware);
  app.use(securityHeaders());
  const json = jsonBody();
  opts.early?.(app, json);
  app.use(healthRoutes(deps));
  app.get('/metrics', nodePortOnly(deps), metricsHandler);
  // A roll import parses its own, larger body once its caller is known to be an admin.
  app.use((req, res, next) => (isRollImport(req) ? next() : json(req, res, next)));
  opts.routes?.(app);
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}

/**
 * Puts `X-Served-By` on every response of the raw server, including those Socket.IO answers
 * itself (the polling handshake). Socket.IO takes over the server's 'request' listeners when it
 * attaches, so call this AFTER attaching it. The WebSocket upgrade (101) never passes here:
 * realtime adds the header through engine.io's `headers` event.
 */
export function stampServedBy(server: Server, nodeId: string): void {
  server.prependListener('request', (_req, res) => {
    res.setHeader(SERVED_BY, nodeId);
  });
}
