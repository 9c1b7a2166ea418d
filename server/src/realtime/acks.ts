// The one place where errors become `{ok:false, error}` acks, as http/errors.ts does for REST.
import type { ErrorCode } from '@tallyboard/shared';
import { ZodError } from 'zod';
import { isDomainError } from '../errors';
import type { Logger } from '../log';

export interface AckError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export function toAckError(e: unknown, log?: Logger): AckError {
  if (isDomainError(e)) {
    return e.details === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, details: e.details };
  }
  if (e instanceof ZodError) {
    return {
      code: 'invalid',
      message: 'invalid request',
      details: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  log?.error({ err: e }, 'socket handler failed');
  return { code: 'internal', message: 'internal error' };
}
