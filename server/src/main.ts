// Composition of one node: config → logger → master pool, replica router, Redis → domain objects
// and their events → HTTP app and Socket.IO (with the live engine) on one http.Server. On SIGTERM/SIGINT it drains within cfg.shutdownGraceMs.
import http from 'node:http';
import { parseConfig } from './config';
import { createLogger } from './log';
import { MasterLink } from './db/master-link';
import { ReplicaRouter } from './db/replicas';
import { readTopology, reloadTopology } from './db/topology';
import { watchReplicas } from './db/metrics';
import type { Deps } from './deps';
import { DomainEvents } from './domain-events';
import { createApp, stampServedBy } from './http/app';
import { registerBallotRoute, registerRoutes } from './http/routes';
import { withBallotFastPath } from './http/ballot-fast-path';
import { BallotWriter } from './ballots/writer';
import { createParticipation } from './ballots/participation';
import { createRateLimits } from './limits/rate-limits';
import { attachRealtime } from './realtime';
import { createRedis } from './redis';

async function main(): Promise<void> {
  const config = parseConfig();
  const log = createLogger(config.nodeId, config.logLevel);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));

  const masterLink = new MasterLink(config.db, log.child({ module: 'master' }), config.db.poolSize);
  const master = masterLink.pool;
  const replicas = new ReplicaRouter(config.db, log.child({ module: 'replicas' }), master);
  const redis = createRedis(config.redis, log);
  const events = new DomainEvents();
  const participation = createParticipation({
    redis,
    master,
    replicas,
    secret: config.session.secret,
  });
  const ballots = new BallotWriter({
    pool: master,
    batchPool: masterLink.batchPool,
    gate: masterLink,
    config,
    log,
    events,
    participation,
  });
  const deps: Deps = {
    config,
    log,
    master,
    masterLink,
    replicas,
    redis,
    ballots,
    participation,
    limits: createRateLimits(redis, config.rateLimits),
    events,
    lifecycle: { shuttingDown: false },
  };
  // One read of DB_MASTER_FILE for both, so the master and the replicas come from one version.
  const dbLog = log.child({ module: 'topology' });
  const atStart = await readTopology(config.db.masterFile, dbLog);
  await masterLink.start(atStart);
  await replicas.start(atStart);
  // An operator's failover (deploy/local/operations.sh) rewrote DB_MASTER_FILE: follow it.
  process.on('SIGHUP', () => {
    log.info('SIGHUP: re-reading the database topology');
    void reloadTopology(config.db.masterFile, dbLog, [
      (t) =>
        masterLink.follow(t).catch((err: unknown) => log.error({ err }, 'master reload failed')),
      (t) =>
        replicas.follow(t).catch((err: unknown) => log.error({ err }, 'replica reload failed')),
    ]);
  });
  watchReplicas(replicas);
  ballots.start();

  const app = createApp(deps, {
    early: (a, json) => registerBallotRoute(a, json, deps),
    routes: (a) => registerRoutes(a, deps),
  });
  const server = http.createServer(withBallotFastPath(deps, app));
  // Above nginx's upstream keepalive so the proxy, not us, closes idle connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const realtime = attachRealtime(server, deps);
  stampServedBy(server, config.nodeId); // after Socket.IO took over the 'request' listeners

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(
      { port: config.http.port, host: config.http.host, backlog: config.http.listenBacklog },
      () => resolve(),
    );
  });
  log.info({ host: config.http.host, port: config.http.port }, 'listening');

  let stopping = false;
  const shutdown = async (why: string, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    deps.lifecycle.shuttingDown = true;
    log.info({ why, graceMs: config.shutdownGraceMs }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown grace period over, exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // nginx's keep-alive connections: idle ones close now, and every answer from now on closes
    // its own, so the drain lasts as long as the slowest request instead of the grace period (a
    // connection busy at close() stayed open for keepAliveTimeout and held server.close). New
    // connections are refused already: nginx passes them to another node.
    server.prependListener('request', (_req, res) => res.setHeader('Connection', 'close'));
    server.closeIdleConnections();
    const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        log.warn({ err, step: name }, 'shutdown step failed');
      }
    };
    await step('ballots', () => ballots.drain()); // queued ballots commit and get their acks
    await step('realtime', () => realtime.close());
    await step('http', () => closed);
    await step('replicas', () => replicas.stop());
    await step('master', () => masterLink.stop());
    await step('redis', () => redis.quit());
    log.info('stopped');
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    void shutdown('uncaughtException', 1);
  });
}

main().catch((err: unknown) => {
  console.error(
    `tallyboard node failed to start: ${err instanceof Error ? err.stack : String(err)}`,
  );
  process.exit(1);
});
