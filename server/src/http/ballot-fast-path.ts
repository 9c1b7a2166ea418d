// POST /api/elections/:id/ballots answered by node:http itself, ahead of Express: otherwise each
// ballot pays Express's request setup, a dozen router layers, body-parser and res.json (an ETag
// hashed for a POST). Every step is the Express route's own function, in its order (routes.ts
// registerBallotRoute): request id, log line and metrics, security headers, body, cross-site
// refusal, caller, then submitBallot; errors through the one mapper. A request it does not
// recognise exactly (another method or path, a percent-encoded id) goes to Express, whose
// ballot route answers it as before.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { clientAddress } from '../client-address';
import type { Deps } from '../deps';
import { applyHeaders, helmetHeaders, JSON_BODY_LIMIT, jsonBody, SERVED_BY } from './app';
import { callerResolver, crossSiteGuard, principalRequired } from './auth';
import { errorReply } from './errors';
import { readJsonBody } from './json-body';
import { timeRequest } from './metrics';
import { traceRequest } from './request-log';
import { submitBallot } from './routes/ballots';

/** The ids we issue (ids.ts), with an optional query string Express would ignore too. */
const BALLOT_URL = /^\/api\/elections\/([A-Za-z0-9_-]{1,64})\/ballots(?:\?.*)?$/;

/** The route as the Express route names it in logs and metrics. */
const ROUTE = '/api/elections/:id/ballots';
const route = (): string => ROUTE;

function sendJson(res: ServerResponse, status: number, body: unknown, retryAfter?: number): void {
  const text = JSON.stringify(body);
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** `app` with ballots cast ahead of it. */
export function withBallotFastPath(deps: Deps, app: RequestListener): RequestListener {
  const security = helmetHeaders();
  const json = jsonBody();
  const refuseCrossSite = crossSiteGuard(deps);
  const resolveCaller = callerResolver(deps);
  const trustProxy = deps.config.http.trustProxy;

  async function cast(req: IncomingMessage, res: ServerResponse, electionId: string) {
    const body = await readJsonBody(req, res, json, JSON_BODY_LIMIT);
    refuseCrossSite(req);
    const caller = await resolveCaller(req, `/api/elections/${electionId}/ballots`);
    const principal = principalRequired(caller.principal);
    const key = req.headers['idempotency-key'];
    const answer = await submitBallot(deps, {
      principal,
      electionId,
      address: clientAddress(req, trustProxy),
      idempotencyKey: Array.isArray(key) ? key.join(', ') : key,
      body,
    });
    sendJson(res, answer.status, answer.body);
  }

  return (req, res) => {
    const m = req.method === 'POST' ? BALLOT_URL.exec(req.url ?? '') : null;
    if (!m) {
      app(req, res);
      return;
    }
    res.setHeader(SERVED_BY, deps.config.nodeId);
    traceRequest(deps.log, req, res, route);
    timeRequest(req, res, route);
    applyHeaders(res, security);
    cast(req, res, m[1] as string).catch((err: unknown) => {
      const e = errorReply(deps.log, err, 'POST', req.url ?? '');
      // Express's answer to an error after the headers went out: the connection is closed.
      if (res.headersSent) res.destroy();
      else sendJson(res, e.status, e.body, e.retryAfter);
    });
  };
}
