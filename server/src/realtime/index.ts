// The live layer of a node: Socket.IO on the node's HTTP server, joined to the other nodes by the
// Redis adapter; viewers join elections, cast ballots, and receive tallies (TallyPublisher),
// presence and status. main.ts calls `attachRealtime` once and `close()` on shutdown.
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { ClientToServerEvents, ServerToClientEvents } from '@tallyboard/shared';
import { parse as parseCookie } from 'cookie';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { voterKey } from '../accounts/tokens';
import type { Deps } from '../deps';
import { createRateLimits, type LimitName } from '../http/rate-limits';
import type { BallotWriter } from '../ballots/writer';
import { createLiveDomain, SESSION_COOKIE } from './domain';
import { registerHandlers } from './handlers';
import { LeaderLease } from './leader';
import { liveMetrics } from './metrics';
import type { Broadcaster, LiveDomain, Scope, Viewer } from './ports';
import { Presence } from './presence';
import { StatusPusher } from './status';
import { TallyPublisher } from './tally-publisher';
import { viewersRoom } from './visibility';

export { announceElectionStatus } from './status';

export interface RealtimeDeps extends Deps {
  /** The node's one BallotWriter, shared with REST. */
  ballots: Pick<BallotWriter, 'cast' | 'on' | 'off'>;
}

export interface Realtime {
  io: LiveServer;
  /** Pushes an election's current status (and a tally) to its viewers. */
  publishStatus(electionId: string): Promise<void>;
  close(): Promise<void>;
}

interface SocketData {
  viewer: Viewer;
  /** The client's address (nginx's X-Real-IP when the peer is a local proxy). */
  address: string;
}
type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

const ANONYMOUS: Viewer = { principal: null, isAdmin: false };

export function attachRealtime(
  server: HttpServer,
  deps: RealtimeDeps,
  domain: LiveDomain = createLiveDomain(deps),
): Realtime {
  const { config, log: parentLog } = deps;
  const log = parentLog.child({ module: 'realtime' });
  const nodeId = config.nodeId;

  // Three connections of our own: the adapter's publisher and subscriber, and one for the live
  // layer's commands. Neither of the command connections queues while Redis is away: a stale
  // publish replayed on reconnect could show a viewer an older tally, so we fail fast instead
  // and run in degraded mode until every connection is ready again.
  const pub = deps.redis.duplicate({ enableOfflineQueue: false });
  // No auto-pipelining on the subscriber: the adapter's close() sends its UNSUBSCRIBEs without
  // waiting for them, and auto-pipelined they would go out after our QUIT and reject, unhandled.
  const sub = deps.redis.duplicate({ enableAutoPipelining: false });
  const live = deps.redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  for (const [name, c] of [
    ['pub', pub],
    ['sub', sub],
    ['live', live],
  ] as const) {
    c.on('error', (err: Error) => log.debug({ err: err.message, conn: name }, 'redis error'));
  }
  swallowPublishErrors(pub);
  const up = (): boolean =>
    pub.status === 'ready' && sub.status === 'ready' && live.status === 'ready';

  const io: LiveServer = new Server(server, {
    path: '/socket.io/',
    serveClient: false,
    perMessageDeflate: false,
    cleanupEmptyChildNamespaces: true,
    adapter: createAdapter(pub, sub, { key: 'tb:sio' }),
  });

  // X-Served-By on the WebSocket upgrade too (polling responses get it from http/app.ts).
  io.engine.on('initial_headers', (headers: Record<string, string>) => {
    headers['X-Served-By'] = nodeId;
  });
  io.engine.on('headers', (headers: Record<string, string>) => {
    headers['X-Served-By'] = nodeId;
  });

  // Keep only what we need of the handshake request (session cookie, client address), then drop
  // it: Socket.IO's memory-usage advice (the request is most of a socket's retained memory).
  const handshakes = new WeakMap<object, { token: string | undefined; address: string }>();
  io.engine.on('connection', (raw: { request: IncomingMessage | null }) => {
    const req = raw.request;
    if (req) handshakes.set(raw, { token: sessionCookie(req), address: clientAddress(req) });
    raw.request = null;
  });

  io.use((socket, next) => {
    const auth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const explicit = typeof auth === 'string' && auth ? auth : undefined;
    const hs = handshakes.get(socket.conn);
    socket.data.address = hs?.address ?? socket.handshake.address;
    const token = explicit ?? hs?.token;
    if (!token) {
      socket.data.viewer = ANONYMOUS;
      return next();
    }
    domain.authenticate(token).then(
      (viewer) => {
        socket.data.viewer = viewer;
        next();
      },
      () => {
        // A stale cookie still lets the browser watch; a token given on purpose must be valid.
        if (!explicit) {
          socket.data.viewer = ANONYMOUS;
          return next();
        }
        const err = new Error('unauthorized') as Error & { data?: unknown };
        err.data = { code: 'unauthorized', message: 'invalid or expired token' };
        next(err);
      },
    );
  });

  const out: Broadcaster = {
    emit(room, event, payload, scope) {
      const target = scope === 'local' ? io.local.to(room) : io.to(room);
      (target.emit as (ev: string, p: unknown) => boolean)(event, payload);
    },
    localViewers: (electionId) => io.of('/').adapter.rooms.get(viewersRoom(electionId))?.size ?? 0,
  };

  // The same budgets as REST ballots, shared through the same Redis keys.
  const limits = createRateLimits(deps.redis, config.rateLimits);
  const lease = new LeaderLease({ redis: live, up, nodeId, log });
  const metrics = liveMetrics({
    sockets: () => io.of('/').sockets.size,
    leader: () => lease.isLeader,
    redisUp: up,
  });
  const isLeader = (): boolean => lease.isLeader;
  const tallies = new TallyPublisher({
    redis: live,
    up,
    domain,
    out,
    isLeader,
    log,
    intervalMs: config.tally.intervalMs,
    onEmit: (scope: Scope) => metrics.tallyEmits.inc({ scope }),
  });
  const presence = new Presence({ redis: live, up, nodeId, out, isLeader, log });
  const status = new StatusPusher({
    domain,
    out,
    isLeader,
    scope: () => (up() ? 'cluster' : 'local'),
    republish: (id) => tallies.forcePublish(id),
    log,
  });

  // A Redis restart loses every mark, lease and count: rebuild ours as soon as it answers again.
  let seenReady = live.status === 'ready';
  live.on('ready', () => {
    if (seenReady) {
      log.info('redis reconnected: live layer resumes cluster mode');
      tallies.onRedisBack();
      presence.rewrite();
    }
    seenReady = true;
  });

  const unsubscribe = domain.onCommitted((batch) => tallies.committed(batch));
  lease.start();
  tallies.start();
  presence.start();
  status.start();

  io.on('connection', (socket: LiveSocket) => {
    registerHandlers(socket, socket.data.viewer, {
      domain,
      lastGtid: (id) => tallies.lastGtid(id),
      touchPresence: (id) => presence.touch(id),
      totalPresence: (id) => presence.total(id),
      async spendBallotBudget(viewer) {
        const spends: Array<[LimitName, string]> = [['ballotsPerIp', socket.data.address]];
        if (viewer.principal) spends.push(['ballotsPerVoter', voterKey(viewer.principal)]);
        await limits.consumeAll(spends);
      },
      log,
    });
  });

  return {
    io,
    publishStatus: (id) => status.push(id),
    async close() {
      unsubscribe();
      status.stop();
      tallies.stop();
      io.local.disconnectSockets(true);
      await Promise.all([presence.stop(), lease.stop()]);
      io.engine.close();
      // Not io.close(): that would also close the HTTP server, which main.ts drains itself.
      await Promise.resolve(io.of('/').adapter.close()).catch(() => undefined);
      await Promise.all([pub, sub, live].map((c) => c.quit().catch(() => c.disconnect())));
      metrics.release();
    },
  };
}

function sessionCookie(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Behind our nginx (a loopback peer) the client is X-Real-IP; otherwise the peer itself. */
function clientAddress(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '?';
  const real = req.headers['x-real-ip'];
  return LOOPBACK.has(peer) && typeof real === 'string' && real ? real : peer;
}

/**
 * The adapter publishes without awaiting; with no offline queue a publish while Redis is away
 * rejects, and an unhandled rejection would take the node down. The local part of a broadcast
 * still reaches this node's sockets.
 */
function swallowPublishErrors(pub: Redis): void {
  const publish = pub.publish.bind(pub) as (
    channel: string,
    msg: string | Buffer,
  ) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (channel, msg) =>
    publish(channel, msg).catch(() => 0);
}
