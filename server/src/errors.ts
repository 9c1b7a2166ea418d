// Errors are values with a code the client can act on. `describeError` is the one mapping from
// anything thrown to that code, its status and the JSON body; each transport applies it in one
// place (http/errors.ts for REST, realtime/acks.ts for Socket.IO acks).
import { ZodError } from 'zod';
import { errorStatus, type ApiErrorBody, type ErrorCode } from '@tallyboard/shared';

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

export interface DescribedError {
  status: number;
  body: ApiErrorBody;
  /** Seconds to send as Retry-After (429 rate_limited, 503 master_unavailable). */
  retryAfter?: number;
  /** True when the cause is ours, not the client's: log it. */
  internal: boolean;
}

/**
 * How much of a list of problems an error body carries: a request with 20,000 bad keys gets the
 * first few and a count, not a megabyte of errors.
 */
export const ERROR_LIMITS = {
  /** Problems listed in `details`. @default 20 */
  issues: 20,
  /** Characters of one problem's message or path. @default 200 */
  text: 200,
} as const;

const clip = (s: string): string =>
  s.length > ERROR_LIMITS.text ? `${s.slice(0, ERROR_LIMITS.text - 1)}…` : s;

interface Issue {
  path: unknown;
  message: unknown;
}

const clipIssue = (i: Issue): Issue => ({
  ...i,
  path:
    typeof i.path === 'string'
      ? clip(i.path)
      : Array.isArray(i.path)
        ? i.path.map((p) => (typeof p === 'string' ? clip(p) : p))
        : i.path,
  message: typeof i.message === 'string' ? clip(i.message) : i.message,
});

const listed = (total: number): string =>
  total > ERROR_LIMITS.issues ? ` (the first ${ERROR_LIMITS.issues} of ${total} problems)` : '';

/** `details` with at most ERROR_LIMITS.issues problems, and how many there were. */
function capDetails(message: string, details: unknown): { message: string; details: unknown } {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (Array.isArray(issues)) {
    const capped = {
      ...(details as object),
      issues: issues.slice(0, ERROR_LIMITS.issues).map(clipIssue),
    };
    if (issues.length > ERROR_LIMITS.issues) Object.assign(capped, { issueCount: issues.length });
    return { message: message + listed(issues.length), details: capped };
  }
  return { message, details };
}

export const describe = (code: ErrorCode, message: string, details?: unknown): DescribedError => ({
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

/**
 * Maps any thrown value to its code, status and body: DomainError carries its code; zod errors
 * are 422 `invalid`; lists of problems are cut to ERROR_LIMITS; body-parser's are 400 `bad_json` or 413 `payload_too_large`; anything else
 * is 500 `internal`, with no detail sent.
 */
export function describeError(err: unknown): DescribedError {
  if (isDomainError(err)) {
    const capped = capDetails(err.message, err.details);
    const e = describe(err.code, capped.message, capped.details);
    const after = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof after === 'number') e.retryAfter = after;
    return e;
  }
  if (isZodError(err)) {
    const details = err.issues
      .slice(0, ERROR_LIMITS.issues)
      .map((i) => clipIssue({ path: i.path.map(String).join('.'), message: i.message }));
    return describe('invalid', `the request is not valid${listed(err.issues.length)}`, details);
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as BodyParserError;
    if (e.type === 'entity.parse.failed') return describe('bad_json', 'the body is not valid JSON');
    if (e.type === 'entity.too.large') {
      return describe('payload_too_large', 'the body exceeds 1 MB');
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
      return describe('bad_request', typeof e.message === 'string' ? e.message : 'bad request');
    }
  }
  return describe('internal', 'internal error');
}
