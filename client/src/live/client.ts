// One Socket.IO connection to Tallyboard, free of React and of browser globals so that the
// browser, the integration tests and the live benchmark all run this same code: a connection
// state, and election subscriptions that re-join on every (re)connect.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ElectionStatusEvent,
  ErrorCode,
  JoinAck,
  PresenceEvent,
  ServerToClientEvents,
  Tally,
} from '@tallyboard/shared';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ElectionHandlers {
  snapshot?: (ack: Extract<JoinAck, { ok: true }>) => void;
  tally?: (tally: Tally) => void;
  presence?: (viewers: number) => void;
  status?: (event: ElectionStatusEvent) => void;
  error?: (error: { code: ErrorCode; message: string }) => void;
}

/** What the host knows about its network; a browser tab has `online`/`offline` events. */
export interface NetworkSignal {
  /** True only when the host knows it has no network at all. */
  isOffline(): boolean;
  /** Calls `offline` and `online` whenever the host's network goes away or comes back. */
  watch(listeners: { offline: () => void; online: () => void }): void;
}

export interface LiveClientOptions {
  /** Sticky-session key: nginx sends every request with the same `cid` to the same node. */
  cid: string;
  /** The server's origin. @default the page's own origin (Socket.IO's default) */
  url?: string;
  /** The credential sent on each (re)connect, read again every time; null joins anonymously. @default anonymous */
  token?: () => string | null;
  /** The host's network, so a lost network reads `offline` rather than `reconnecting`. @default none */
  network?: NetworkSignal;
  /** How long a join may go unanswered before the client leaves it to the next reconnect. @default 10_000 */
  joinTimeoutMs?: number;
  /** Socket.IO tuning (reconnection delays, transports), spread over the defaults. */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

export const liveClientDefaults = {
  path: '/socket.io/',
  reconnectionDelayMax: 5000,
  joinTimeoutMs: 10_000,
} as const;

export class LiveClient {
  /** The transport itself, for callers that drive it directly (tests dropping a connection). */
  readonly socket: LiveSocket;
  private state: ConnectionState = 'connecting';
  private readonly stateListeners = new Set<() => void>();
  private readonly watchers = new Map<string, Set<ElectionHandlers>>();
  private readonly network: NetworkSignal | undefined;
  private readonly joinTimeoutMs: number;

  constructor(options: LiveClientOptions) {
    this.network = options.network;
    this.joinTimeoutMs = options.joinTimeoutMs ?? liveClientDefaults.joinTimeoutMs;
    const token = options.token ?? (() => null);
    const socketOptions: Partial<ManagerOptions & SocketOptions> = {
      path: liveClientDefaults.path,
      query: { cid: options.cid },
      auth: (cb: (data: object) => void) => {
        const current = token();
        cb(current ? { token: current } : {});
      },
      reconnectionDelayMax: liveClientDefaults.reconnectionDelayMax,
      ...options.socket,
    };
    this.socket = options.url ? io(options.url, socketOptions) : io(socketOptions);
    this.socket.on('connect', () => {
      this.setState('live');
      for (const electionId of this.watchers.keys()) this.join(electionId);
    });
    this.socket.on('disconnect', () => this.setState(this.offlineOr('reconnecting')));
    this.socket.on('connect_error', () => this.setState(this.offlineOr('reconnecting')));
    this.socket.io.on('reconnect_failed', () => this.setState('offline'));
    this.socket.on('tally', (tally) => this.each(tally.electionId, (h) => h.tally?.(tally)));
    this.socket.on('presence', (p: PresenceEvent) =>
      this.each(p.electionId, (h) => h.presence?.(p.viewers)),
    );
    this.socket.on('election:status', (s) => this.each(s.electionId, (h) => h.status?.(s)));
    this.network?.watch({
      offline: () => this.setState('offline'),
      online: () => {
        // A blip the socket survived: it is live again, not offline until its next disconnect.
        if (this.socket.connected) {
          this.setState('live');
          return;
        }
        this.setState('reconnecting');
        this.socket.connect();
      },
    });
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  };

  /** Watch one election; returns the function that stops watching. */
  watch(electionId: string, handlers: ElectionHandlers): () => void {
    let set = this.watchers.get(electionId);
    const first = !set;
    if (!set) {
      set = new Set();
      this.watchers.set(electionId, set);
    }
    set.add(handlers);
    if (this.socket.connected) {
      if (first) this.join(electionId);
      else this.join(electionId, handlers);
    }
    return () => {
      const current = this.watchers.get(electionId);
      if (!current) return;
      current.delete(handlers);
      if (current.size === 0) {
        this.watchers.delete(electionId);
        if (this.socket.connected) this.socket.emit('election:leave', { electionId });
      }
    };
  }

  /** Reconnect with new credentials, e.g. after an admin signs in. */
  reauthenticate(): void {
    this.socket.disconnect();
    this.setState('connecting');
    this.socket.connect();
  }

  private join(electionId: string, only?: ElectionHandlers): void {
    this.socket.timeout(this.joinTimeoutMs).emit('election:join', { electionId }, (err, ack) => {
      const targets = only ? [only] : [...(this.watchers.get(electionId) ?? [])];
      if (err) {
        // No answer in time: the connection is probably half-dead; a reconnect re-joins.
        return;
      }
      for (const h of targets) {
        if (ack.ok) h.snapshot?.(ack);
        else h.error?.(ack.error);
      }
    });
  }

  private each(electionId: string, fn: (h: ElectionHandlers) => void): void {
    for (const h of this.watchers.get(electionId) ?? []) fn(h);
  }

  private offlineOr(state: ConnectionState): ConnectionState {
    return this.network?.isOffline() ? 'offline' : state;
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.stateListeners) l();
  }
}
