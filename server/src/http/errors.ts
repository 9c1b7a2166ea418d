// The one place errors become HTTP responses: `{"error":{code,message,details}}` with the status
// of its code (the mapping itself is errors.ts `describeError`, shared with the socket acks).
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ErrorCode } from '@tallyboard/shared';
import { describe, describeError, type DescribedError } from '../errors';
import type { Logger } from '../log';

export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  details?: unknown,
): void {
  const e = describe(code, message, details);
  res.status(e.status).json(e.body);
}

/** What an error thrown while answering `method url` becomes; ours (internal) are logged. */
export function errorReply(log: Logger, err: unknown, method: string, url: string): DescribedError {
  const e = describeError(err);
  if (e.internal) log.error({ err, method, url }, 'request failed');
  return e;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const e = errorReply(log, err, req.method, req.originalUrl);
    if (res.headersSent) return next(err);
    if (e.retryAfter !== undefined) res.setHeader('Retry-After', String(e.retryAfter));
    res.status(e.status).json(e.body);
  };
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 'not_found', `no route for ${req.method} ${req.path}`);
};
