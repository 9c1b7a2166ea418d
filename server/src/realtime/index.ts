// The Socket.IO transport of a node: Socket.IO on the node's HTTP server, joined to the other
// nodes by the Redis adapter. It authenticates sockets, hands their events to the handlers, and
// gives the live engine a Broadcaster to reach viewers. main.ts calls `attachRealtime` once and
// `close()` on shutdown.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Deps } from '../deps';
import { spendBallotBudget } from '../limits/rate-limits';
import { startLiveEngine } from '../live/engine';
import type { LiveOptions } from '../live/defaults';
import type { Broadcaster } from '../live/ports';
import { linkAdapter, openRedisLink } from '../live/redis-link';
import { sharedRead } from '../shared-read';
import { leastFilledGroup, userRoom, viewersRoom, wholeRoomOf } from '../live/rooms';
import { socketDomain } from './domain';
import { registerHandlers } from './handlers';
import { authenticateSockets, type LiveServer } from './handshake';
import { TallyRelay } from './tally-relay';

export interface Realtime {
  close(): Promise<void>;
}

export function attachRealtime(
  server: HttpServer,
  deps: Deps,
  liveOptions: Partial<LiveOptions> = {},
): Realtime {
  const { config } = deps;
  const log = deps.log.child({ module: 'realtime' });
  const link = openRedisLink(deps.redis, log);

  const io: LiveServer = new Server(server, {
    path: '/socket.io/',
    serveClient: false,
    // No compression either way: a zlib context per socket (WebSocket) or per response (polling)
    // costs memory and CPU at tens of thousands of sockets, and like nginx's gzip_proxied off it
    // keeps responses that carry receipts next to echoed input from being measured by size.
    perMessageDeflate: false,
    httpCompression: false,
    pingInterval: config.sockets.pingIntervalMs,
    pingTimeout: config.sockets.pingTimeoutMs,
    maxHttpBufferSize: config.sockets.maxMessageBytes,
    cleanupEmptyChildNamespaces: true,
    adapter: linkAdapter(link),
  });
  stampWebSocketHeaders(io, config.nodeId);

  const relay = new TallyRelay({
    localEmit: (rooms, tally) => io.local.to(rooms).emit('tally', tally),
    toOtherNodes: (rooms, tally, force) => io.serverSideEmit('tb:tally', rooms, tally, force),
    onFromOtherNode: (listener) => io.on('tb:tally', listener),
    ownRoom: (room) => (engine.tallyGroups > 1 ? room : wholeRoomOf(room)),
  });
  const out: Broadcaster = {
    emit(room, event, payload, scope) {
      const target = scope === 'local' ? io.local.to(room) : io.to(room);
      (target.emit as (ev: string, p: unknown) => boolean)(event, payload);
    },
    tally: (rooms, tally, force, scope) => relay.send(rooms, tally, force, scope),
    localViewers: (electionId) => localMembers(viewersRoom(electionId)),
  };
  const engine = startLiveEngine(deps, link, out, () => io.of('/').sockets.size, liveOptions);
  const localMembers = (room: string): number => io.of('/').adapter.rooms.get(room)?.size ?? 0;
  const domain = socketDomain(deps, engine.reads);
  // A join answers with the election's viewers across the cluster (two Redis round trips): the
  // joins of one crowd share them, each from a read that started after its own join counted.
  const totalPresence = sharedRead((electionId) => engine.totalPresence(electionId));
  authenticateSockets(io, domain, {
    publicOrigins: config.http.publicOrigins,
    trustProxy: config.http.trustProxy,
  });
  // A user's sessions ended (logout, blocked): close its sockets here at once, and on the other
  // nodes through the adapter (Redis may be away: the local close does not wait for it).
  const stopRevocations = deps.events.subscribe('sessionsRevoked', (userId) => {
    io.local.in(userRoom(userId)).disconnectSockets(true);
    io.in(userRoom(userId)).disconnectSockets(true);
  });

  io.on('connection', (socket) => {
    const { viewer, session } = socket.data;
    if (viewer.principal?.kind === 'user') void socket.join(userRoom(viewer.principal.userId));
    registerHandlers(socket, viewer, {
      domain,
      // A revocation that raced the handshake (or missed a node while Redis was away) is still
      // caught before the socket acts.
      recheckSession: session ? () => domain.recheckSession(session, viewer) : undefined,
      lastGtid: engine.lastGtid,
      touchPresence: engine.touchPresence,
      // Balanced per node: nginx spreads viewers over the nodes, so the groups stay even overall.
      tallyGroup:
        engine.tallyGroups > 1
          ? (id) => leastFilledGroup(id, engine.tallyGroups, localMembers)
          : undefined,
      totalPresence,
      spendBallotBudget: (viewer) =>
        spendBallotBudget(deps.limits, socket.data.address, viewer.principal),
      guardLookup: (lookup) =>
        deps.limits.guardMisses('lookupMissesPerIp', socket.data.address, lookup),
      log,
    });
  });

  return {
    async close() {
      stopRevocations();
      // Close the transports, not the Socket.IO sessions: a client then sees "transport close"
      // and reconnects to another node at once (nginx routes around this one). A server-side
      // disconnect ("io server disconnect") would tell it to stay away: after a rolling restart
      // every page would sit disconnected.
      io.engine.close();
      await engine.close();
      // Not io.close(): that would also close the HTTP server, which main.ts drains itself.
      await Promise.resolve(io.of('/').adapter.close()).catch(() => undefined);
      await link.close();
    },
  };
}

/** X-Served-By on the WebSocket upgrade too (polling responses get it from http/app.ts). */
function stampWebSocketHeaders(io: LiveServer, nodeId: string): void {
  const stamp = (headers: Record<string, string>): void => {
    headers['X-Served-By'] = nodeId;
  };
  io.engine.on('initial_headers', stamp);
  io.engine.on('headers', stamp);
}
