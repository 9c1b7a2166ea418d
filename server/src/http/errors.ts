// The one place errors become HTTP responses: `{"error":{code,message,details}}` with the status of
// its code. DomainError carries its code; zod errors are 422 `invalid`; body-parser's are 400
// `bad_json` or 413 `payload_too_large`; anything else is a logged 500 `internal`, no stack sent.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { errorStatus, type ApiErrorBody, type ErrorCode } from '@tallyboard/shared';
import { isDomainError } from '../errors';
import type { Logger } from '../log';

export interface HttpError {
  status: number;
  body: ApiErrorBody;
  /** Seconds to send as Retry-After (429 rate_limited). */
  retryAfter?: number;
  /** True when the cause is ours, not the client's: log it. */
  internal: boolean;
}

const make = (code: ErrorCode, message: string, details?: unknown): HttpError => ({
  status: errorStatus[code],
  body: { error: details === undefined ? { code, message } : { code, message, details } },
  internal: code === 'internal',
});

interface BodyParserError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message?: unknown;
}

const isZodError = (err: unknown): err is ZodError =>
  err instanceof ZodError ||
  (err instanceof Error && err.name === 'ZodError' && Array.isArray((err as ZodError).issues));

/** Maps any thrown value to its status and JSON body. Also used by the realtime acks. */
export function toHttpError(err: unknown): HttpError {
  if (isDomainError(err)) {
    const e = make(err.code, err.message, err.details);
    const after = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (err.code === 'rate_limited' && typeof after === 'number') e.retryAfter = after;
    return e;
  }
  if (isZodError(err)) {
    const details = err.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    return make('invalid', 'the request is not valid', details);
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as BodyParserError;
    if (e.type === 'entity.parse.failed') return make('bad_json', 'the body is not valid JSON');
    if (e.type === 'entity.too.large') return make('payload_too_large', 'the body exceeds 1 MB');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
      return make('bad_request', typeof e.message === 'string' ? e.message : 'bad request');
    }
  }
  return make('internal', 'internal error');
}

export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  details?: unknown,
): void {
  const e = make(code, message, details);
  res.status(e.status).json(e.body);
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const e = toHttpError(err);
    if (e.internal) log.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return next(err);
    if (e.retryAfter !== undefined) res.setHeader('Retry-After', String(e.retryAfter));
    res.status(e.status).json(e.body);
  };
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 'not_found', `no route for ${req.method} ${req.path}`);
};
