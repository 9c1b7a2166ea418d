// Health for operators and load balancers. `/api/health`: this node and each dependency (master,
// every replica with replication state and lag, Redis) and whether it takes writes. `/healthz`:
// the process answers. `/readyz`: the node should get traffic: not shutting down and able to
// READ (the master or a replica answers). A master outage alone keeps the node in rotation:
// results, joins and live tallies go on from the replicas while ballots get 503
// `master_unavailable`; the body says `writable: false`. `/api/health` and `/metrics` are for
// operators on the node's own port: through nginx they are unknown routes.
import { Router, type RequestHandler } from 'express';
import type { DependencyHealth, HealthReport } from '@tallyboard/shared';
import { forwardedByProxy } from '../client-address';
import type { Deps } from '../deps';
import type { ReplicaHealth } from '../db/replicas';
import { notFound } from './errors';

const CHECK_TIMEOUT_MS = 1000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function check(fn: () => Promise<unknown>, what: string): Promise<DependencyHealth> {
  try {
    await withTimeout(fn(), CHECK_TIMEOUT_MS, what);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export const checkMaster = (deps: Pick<Deps, 'master'>): Promise<DependencyHealth> =>
  check(() => deps.master.query({ sql: 'SELECT 1', timeout: CHECK_TIMEOUT_MS }), 'master');

export const checkRedis = (deps: Pick<Deps, 'redis'>): Promise<DependencyHealth> =>
  check(() => deps.redis.ping(), 'redis');

export type NodeHealthReport = HealthReport & { replicas: ReplicaHealth[] };

/** The master answers, or at least one replica is in rotation: reads can be served. */
const canRead = (master: DependencyHealth, replicas: ReplicaHealth[]): boolean =>
  master.ok || replicas.some((r) => r.ok);

/** Writable: the master answers and its link says it takes writes (not read-only). */
const writable = (deps: Pick<Deps, 'masterLink'>, master: DependencyHealth): boolean =>
  master.ok && deps.masterLink.writable;

export async function healthReport(deps: Deps): Promise<NodeHealthReport> {
  const [master, redis] = await Promise.all([checkMaster(deps), checkRedis(deps)]);
  const replicas = deps.replicas.health();
  const writes = writable(deps, master);
  const status = !canRead(master, replicas)
    ? 'down'
    : writes && redis.ok && replicas.every((r) => r.ok) && !deps.lifecycle.shuttingDown
      ? 'ok'
      : 'degraded';
  return { node: deps.config.nodeId, status, writable: writes, master, replicas, redis };
}

/**
 * Answers like an unknown route when the request came through the public proxy: health names the
 * replicas' addresses and the metrics reveal turnout. nginx refuses these paths too; this holds
 * whatever path spelling gets past it.
 */
export function nodePortOnly(deps: Pick<Deps, 'config'>): RequestHandler {
  return (req, res, next) => {
    if (forwardedByProxy(req, deps.config.http.trustProxy)) notFound(req, res, next);
    else next();
  };
}

export function healthRoutes(deps: Deps): Router {
  const router = Router();
  router.get('/api/health', nodePortOnly(deps), async (_req, res) => {
    const report = await healthReport(deps);
    res.status(report.status === 'down' ? 503 : 200).json(report);
  });
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true, node: deps.config.nodeId });
  });
  router.get('/readyz', async (_req, res) => {
    const node = deps.config.nodeId;
    if (deps.lifecycle.shuttingDown) {
      res.status(503).json({ ready: false, node, writable: false, error: 'shutting down' });
      return;
    }
    const master = await checkMaster(deps);
    const replicas = deps.replicas.health();
    const ready = canRead(master, replicas);
    res.status(ready ? 200 : 503).json({
      ready,
      node,
      writable: writable(deps, master),
      master,
      replicasInRotation: replicas.filter((r) => r.ok).length,
    });
  });
  return router;
}
