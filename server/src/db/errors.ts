// Which database errors mean "this server is unreachable" (try elsewhere or later) as opposed to
// "this statement is wrong", and which are worth retrying on the same server. One list for the
// ballot writer and the replica router.
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

/** Lock conflicts between concurrent transactions: the same statement succeeds on a retry. */
const TRANSIENT_ERROR_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

const codeOf = (err: unknown): string =>
  typeof err === 'object' && err !== null ? String((err as { code?: unknown }).code ?? '') : '';

/** True for errors that say "this server is unreachable", as opposed to "this query is wrong". */
export function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  return (err as { fatal?: unknown }).fatal === true || CONNECTION_ERROR_CODES.has(codeOf(err));
}

/** True for a deadlock or lock wait timeout: retry the transaction. */
export const isTransientError = (err: unknown): boolean => TRANSIENT_ERROR_CODES.has(codeOf(err));

/**
 * The server refused a write because it is read-only: an old master during a failover (the app's
 * account has no privilege to write past `read_only`). Nothing was written; the write belongs on
 * the new master.
 */
export const isReadOnlyError = (err: unknown): boolean =>
  codeOf(err) === 'ER_OPTION_PREVENTS_STATEMENT' || codeOf(err) === 'ER_READ_ONLY_MODE';

/** The master cannot take this write now: gone, or read-only. Retry later, maybe elsewhere. */
export const isMasterUnavailableError = (err: unknown): boolean =>
  isConnectionError(err) || isReadOnlyError(err);

/**
 * mysql2's per-query timeout: no answer in time. On a node whose event loop is starved this may be
 * the node itself (the answer waits unread while the timer fires), so a probe counts it as one
 * strike (`PROBE_TIMEOUTS_TO_FAIL`), not as a verdict.
 */
export const isQueryTimeout = (err: unknown): boolean =>
  codeOf(err) === 'PROTOCOL_SEQUENCE_TIMEOUT';

/** Probe timeouts in a row before a server counts as away (refusals and losses count at once). */
export const PROBE_TIMEOUTS_TO_FAIL = 3;

/**
 * A probe failed with `err` after `before` timeouts in a row: the streak now, and whether it is
 * still short enough to keep the server as it was (true only for a timeout). The one rule for the
 * master link's and the replica router's probes.
 */
export function timeoutStreak(
  err: unknown,
  before: number,
  toFail = PROBE_TIMEOUTS_TO_FAIL,
): { inRow: number; tolerated: boolean } {
  if (!isQueryTimeout(err)) return { inRow: 0, tolerated: false };
  return { inRow: before + 1, tolerated: before + 1 < toFail };
}
