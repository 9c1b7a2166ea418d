// Errors become `{ok:false, error}` acks through the same mapping REST uses (errors.ts
// `describeError`), so a refused ballot reads the same over both transports.
import type { ErrorCode } from '@tallyboard/shared';
import { describeError } from '../errors';
import type { Logger } from '../log';

export interface AckError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export function toAckError(e: unknown, log?: Logger): AckError {
  const mapped = describeError(e);
  if (mapped.internal) log?.error({ err: e }, 'socket handler failed');
  return mapped.body.error;
}
