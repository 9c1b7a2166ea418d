// Who a socket is: the session cookie or `auth.token` of its handshake, and the client's address
// (the same derivation REST uses). Only these two facts are kept of the handshake request; the
// request itself is dropped at once (Socket.IO's memory advice: it is most of what a socket keeps).
// The cookie counts only when the handshake comes from a page of ours (origins.ts): a page on
// another site that opens a socket gets an anonymous one (cross-site WebSocket hijacking).
// `auth.token` is given on purpose by the client, so it counts from anywhere.
import type { IncomingMessage } from 'node:http';
import type { ClientToServerEvents, ServerToClientEvents } from '@tallyboard/shared';
import { parse as parseCookie } from 'cookie';
import type { Server, Socket } from 'socket.io';
import { SESSION_COOKIE } from '../accounts/tokens';
import { clientAddress } from '../client-address';
import { crossSiteReason, type OriginPolicy } from '../origins';
import type { SocketDomain, Viewer } from './ports';
import type { InterNodeEvents } from './tally-relay';

export interface SocketData {
  viewer: Viewer;
  /** The client's address under TRUST_PROXY, for per-address limits. */
  address: string;
  /** The session token a signed-in user's socket authenticated with, re-checked before acting. */
  session?: string;
}

const ANONYMOUS: Viewer = { principal: null, isAdmin: false };

export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterNodeEvents,
  SocketData
>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterNodeEvents, SocketData>;

export function authenticateSockets(
  io: LiveServer,
  domain: Pick<SocketDomain, 'authenticate'>,
  policy: OriginPolicy,
): void {
  const handshakes = new WeakMap<object, { token: string | undefined; address: string }>();
  io.engine.on('connection', (raw: { request: IncomingMessage | null }) => {
    const req = raw.request;
    if (req) {
      const cookie = crossSiteReason(req, policy) ? undefined : sessionCookie(req);
      handshakes.set(raw, { token: cookie, address: clientAddress(req, policy.trustProxy) });
    }
    raw.request = null;
  });

  io.use((socket: LiveSocket, next) => {
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
        if (viewer.principal?.kind === 'user') socket.data.session = token;
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
}

function sessionCookie(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}
