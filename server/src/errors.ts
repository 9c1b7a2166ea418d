// Errors are values with a code the client can act on; transports map them to HTTP statuses or
// Socket.IO acks in one place each (http/errors.ts, realtime/).
import { errorStatus, type ErrorCode } from '@tallyboard/shared';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
