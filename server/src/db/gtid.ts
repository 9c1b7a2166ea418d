// GTID SQL for both database flavors: read the GTID a master connection just committed, and wait
// on a replica until it has applied that GTID (read-your-writes across replication), and check a
// GTID a client sends: its syntax by flavor, and that the master has reached it.
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';

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

/** Longest GTID text a caller may hand us (a MySQL set of a few sources fits easily). */
export const MAX_GTID_TEXT = 1000;

const U32 = 4294967295n;
const U64 = 18446744073709551615n;
const I63 = 9223372036854775807n;

const MARIADB_GTID = /^(\d{1,10})-(\d{1,10})-(\d{1,20})$/;
const MYSQL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MYSQL_TAG = /^[a-z_][a-z0-9_]{0,31}$/i;
const MYSQL_INTERVAL = /^(\d{1,19})(?:-(\d{1,19}))?$/;

/** One MariaDB GTID of a position list: the wait compares sequence numbers per domain. */
export interface MariadbGtid {
  domain: number;
  server: number;
  seq: bigint;
}

/** A MariaDB GTID position ('0-1-42' or a comma list, one per domain); null when malformed. */
export function parseMariadbPosition(text: string): MariadbGtid[] | null {
  if (text.trim() === '') return [];
  const out: MariadbGtid[] = [];
  for (const part of text.split(',')) {
    const m = MARIADB_GTID.exec(part.trim());
    if (!m) return null;
    const [domain, server, seq] = [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)];
    if (domain > U32 || server > U32 || seq > U64) return null;
    out.push({ domain: Number(domain), server: Number(server), seq });
  }
  return out;
}

/** A MySQL GTID set ('uuid[:tag]:1-42[:50],uuid2:7'): the syntax GTID functions accept. */
function isMysqlGtidSet(text: string): boolean {
  return text.split(',').every((member) => {
    const [uuid, ...rest] = member.trim().split(':');
    if (!uuid || !MYSQL_UUID.test(uuid) || rest.length === 0) return false;
    let intervals = 0;
    for (const piece of rest) {
      const m = MYSQL_INTERVAL.exec(piece);
      if (!m) {
        if (intervals > 0 || !MYSQL_TAG.test(piece)) return false; // a tag precedes its intervals
        continue;
      }
      const [start, end] = [BigInt(m[1]!), BigInt(m[2] ?? m[1]!)];
      if (start < 1n || end < start || end > I63) return false;
      intervals++;
    }
    return intervals > 0;
  });
}

/**
 * Whether `text` is a GTID the flavor's wait function accepts: anything else would reach
 * MASTER_GTID_WAIT / WAIT_FOR_EXECUTED_GTID_SET as an SQL error.
 */
export function isGtidSyntax(flavor: DbFlavor, text: string): boolean {
  if (text.length === 0 || text.length > MAX_GTID_TEXT) return false;
  if (flavor === 'mysql') return isMysqlGtidSet(text);
  const position = parseMariadbPosition(text);
  return position !== null && position.length > 0;
}

/**
 * MariaDB: whether the master's position (`@@gtid_binlog_pos`) has reached every domain's
 * sequence number in `gtid`, the comparison MASTER_GTID_WAIT makes on a replica.
 */
export function mariadbPositionCovers(masterPos: string, gtid: string): boolean {
  const have = parseMariadbPosition(masterPos);
  const want = parseMariadbPosition(gtid);
  if (!have || !want) return false;
  return want.every((w) => have.some((h) => h.domain === w.domain && h.seq >= w.seq));
}

/**
 * Whether the master has already committed `gtid` (a valid GTID of the flavor): a replica can
 * only ever reach what the master has, so waiting for anything newer is time thrown away.
 */
export async function masterHasGtid(
  master: Pool,
  flavor: DbFlavor,
  gtid: string,
): Promise<boolean> {
  if (flavor === 'mysql') {
    const [rows] = await master.query<RowDataPacket[]>(
      'SELECT GTID_SUBSET(?, @@GLOBAL.gtid_executed) AS r',
      [gtid],
    );
    return Number(rows[0]?.r) === 1;
  }
  const [rows] = await master.query<RowDataPacket[]>('SELECT @@GLOBAL.gtid_binlog_pos AS pos');
  return mariadbPositionCovers(String(rows[0]?.pos ?? ''), gtid);
}
