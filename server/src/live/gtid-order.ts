// Ordering of GTIDs, so the dirty mark of an election keeps the newest batch it has seen. The same
// rule exists in Lua (redis-scripts.ts) for the atomic mark in Redis; keep the two in step.
//
// MariaDB `@@last_gtid` is 'domain-server-seq': within one domain the seq only grows (the server
// id changes on failover, the seq does not go back). MySQL gives the executed set
// ('uuid:1-42[,uuid2:1-7]'); a set from later in time contains the earlier one, and with one
// source uuid the last interval end orders them. Anything we cannot order is treated as newer
// (arrival order follows commit order on one node closely enough; the read waits for it anyway).

const MARIADB = /^(\d+)-\d+-(\d+)$/;
const MYSQL_SINGLE = /^([0-9a-fA-F-]+):(?:\d+-)?(\d+)$/;

function parse(gtid: string): { domain: string; seq: number } | null {
  const m = MARIADB.exec(gtid) ?? MYSQL_SINGLE.exec(gtid.trim());
  return m ? { domain: m[1] as string, seq: Number(m[2]) } : null;
}

/** True when `candidate` should replace `current` as the newest known GTID. */
export function isNewerGtid(current: string | null | undefined, candidate: string): boolean {
  if (!current) return true;
  if (!candidate) return false;
  const a = parse(current);
  const b = parse(candidate);
  if (a && b && a.domain === b.domain) return b.seq >= a.seq;
  return true;
}

/** The newer of two GTIDs by `isNewerGtid`. */
export function newerGtid(a: string | null | undefined, b: string): string {
  return isNewerGtid(a, b) ? b : (a as string);
}
