// The topology file (DB_MASTER_FILE): where the master is and which replicas serve reads, as an
// operator's failover leaves them. Read once at start and once per SIGHUP, and what it says goes to
// both the master link (the master) and the replica router (the replicas), so a promote or rejoin
// reaches the nodes without a restart. Also what both do with the pools a change replaced.
//
//   # comments and blank lines are ignored
//   DB_MASTER=127.0.0.1:3308                 (or a bare host:port line: the older format)
//   DB_REPLICAS=replica2@127.0.0.1:3309,old-master@127.0.0.1:3307
//
// A replica may carry a name (`name@host:port`, as the operator calls the instance; not `master`,
// which names the reads that fell back to the master); without one it keeps the name it had or
// gets the next free `replicaN`. No DB_REPLICAS line leaves the
// replica list as configured; an empty one (`DB_REPLICAS=`) means reads go to the master.
import { readFile } from 'node:fs/promises';
import type { Logger } from '../log';
import type { Endpoint } from './master';

export interface ReplicaEntry {
  name?: string;
  endpoint: Endpoint;
}

export interface Topology {
  master: Endpoint;
  /** Absent when the file does not list the replicas. */
  replicas?: ReplicaEntry[];
}

const HOST_PORT = /^([^\s:@,]+):(\d{1,5})$/;
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function endpointOf(text: string): Endpoint | null {
  const m = HOST_PORT.exec(text);
  const port = m ? Number(m[2]) : 0;
  return m && port >= 1 && port <= 65535 ? { host: m[1]!, port } : null;
}

/** The replica list of a `DB_REPLICAS=` value: `[name@]host:port`, comma-separated. */
export function parseReplicaList(value: string): ReplicaEntry[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const at = item.lastIndexOf('@');
      const name = at >= 0 ? item.slice(0, at) : undefined;
      const endpoint = endpointOf(at >= 0 ? item.slice(at + 1) : item);
      if (!endpoint || (name !== undefined && (!NAME.test(name) || name === 'master'))) {
        throw new Error(
          `bad replica ${JSON.stringify(item)} in the topology file ([name@]host:port, name not "master")`,
        );
      }
      return name === undefined ? { endpoint } : { name, endpoint };
    });
}

/** Parses a topology file; throws when it names no usable master address. */
export function parseTopology(text: string): Topology {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const replicaLine = lines.find((l) => l.startsWith('DB_REPLICAS='));
  const masterLine = lines.find((l) => !l.startsWith('DB_REPLICAS='));
  const master = masterLine ? endpointOf(masterLine.replace(/^DB_MASTER=/, '')) : null;
  if (!master) {
    throw new Error(
      `no host:port in the master address file (got ${JSON.stringify(masterLine ?? '')})`,
    );
  }
  return replicaLine === undefined
    ? { master }
    : { master, replicas: parseReplicaList(replicaLine.slice('DB_REPLICAS='.length)) };
}

/**
 * Reads and parses the file. Null when there is nothing to follow: no file configured, none
 * written yet (DB_MASTER and DB_REPLICAS stand as configured), or one that cannot be used (said
 * once here; the current master and replicas stay).
 */
export async function readTopology(
  file: string | undefined,
  log: Logger,
): Promise<Topology | null> {
  if (!file) return null;
  try {
    return parseTopology(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') {
      log.error({ err, file }, 'topology file not usable: master and replicas stay as they are');
    }
    return null;
  }
}

/**
 * Reads the file once and hands that one read to every follower (the master link, the replica
 * router): were each to read it, a rewrite between the reads would leave a node writing to one
 * version's master while reading from the other's replicas.
 */
export async function reloadTopology(
  file: string | undefined,
  log: Logger,
  followers: ((topology: Topology) => Promise<unknown>)[],
): Promise<void> {
  const topology = await readTopology(file, log);
  if (topology) await Promise.all(followers.map((follow) => follow(topology)));
}

/**
 * How long a pool replaced by a topology change (the old master's, a dropped replica's) stays
 * open, so statements already running on it finish.
 */
export const RETIRE_AFTER_MS = 10_000;

/**
 * What a topology change replaced, each closed RETIRE_AFTER_MS later: the master link's old pools
 * and the replica router's dropped replicas retire the same way.
 */
export class RetiredPools<T> {
  private readonly pending = new Map<NodeJS.Timeout, T>();

  constructor(private readonly close: (retired: T) => void) {}

  add(retired: T): void {
    const t = setTimeout(() => {
      this.pending.delete(t);
      this.close(retired);
    }, RETIRE_AFTER_MS);
    // A pool waiting to close must not keep a stopping process alive.
    t.unref();
    this.pending.set(t, retired);
  }

  /** Cancels every close still waiting and returns what it would have closed (for stop()). */
  cancel(): T[] {
    const waiting = [...this.pending];
    this.pending.clear();
    for (const [t] of waiting) clearTimeout(t);
    return waiting.map(([, retired]) => retired);
  }
}
