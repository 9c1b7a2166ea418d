// GTID SQL for both database flavors: read the GTID a master connection just committed, and wait
// on a replica until it has applied that GTID (read-your-writes across replication).
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';

export type DbFlavor = 'mariadb' | 'mysql';

/**
 * SQL returning (as column `gtid`) the position to wait for after a commit, run on the SAME
 * connection right after COMMIT. MariaDB: `@@last_gtid` is exactly that transaction. MySQL: mysql2
 * does not expose session GTID tracking, so we read the master's whole executed set, a superset
 * that includes our transaction (waiting for it is correct, at worst a little longer).
 */
export function currentGtidSql(flavor: DbFlavor): string {
  return flavor === 'mariadb'
    ? 'SELECT @@last_gtid AS gtid'
    : 'SELECT @@GLOBAL.gtid_executed AS gtid';
}

/**
 * SQL waiting on a replica for a GTID (first placeholder) with a timeout in seconds (second),
 * returning column `r`. MariaDB `MASTER_GTID_WAIT`: 0 reached, -1 timeout. MySQL
 * `WAIT_FOR_EXECUTED_GTID_SET`: 0 reached, 1 timeout.
 */
export function waitGtidSql(flavor: DbFlavor): string {
  return flavor === 'mariadb'
    ? 'SELECT MASTER_GTID_WAIT(?, ?) AS r'
    : 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS r';
}

/** Both wait functions take seconds and accept fractions; never pass 0 (that means "poll once"). */
export function waitTimeoutSeconds(ms: number): number {
  return Math.max(ms, 1) / 1000;
}

/** Only 0 means the replica reached the GTID; anything else (timeout, NULL on error) does not. */
export function gtidWaitReached(result: unknown): boolean {
  return result !== null && result !== undefined && Number(result) === 0;
}

/** The GTID in the result of `currentGtidSql` ('' when the connection wrote nothing). */
export function gtidOfRows(rows: RowDataPacket[]): string {
  const gtid = rows[0]?.gtid as unknown;
  return gtid == null ? '' : String(gtid);
}

/** The GTID of the transaction just committed on `conn` ('' when it wrote nothing). */
export async function readCommittedGtid(conn: PoolConnection, flavor: DbFlavor): Promise<string> {
  const [rows] = await conn.query<RowDataPacket[]>(currentGtidSql(flavor));
  return gtidOfRows(rows);
}

/** Waits on a replica connection for `gtid`; true when reached within `timeoutMs`. */
export async function waitForGtid(
  conn: PoolConnection,
  flavor: DbFlavor,
  gtid: string,
  timeoutMs: number,
): Promise<boolean> {
  if (!gtid) return true;
  const [rows] = await conn.query<RowDataPacket[]>(waitGtidSql(flavor), [
    gtid,
    waitTimeoutSeconds(timeoutMs),
  ]);
  return gtidWaitReached(rows[0]?.r);
}
