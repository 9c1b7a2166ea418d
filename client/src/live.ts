// The tab's one Socket.IO connection: a random `cid` (nginx's sticky key), a connection state the
// UI can show, and election subscriptions that re-join on every (re)connect and apply the join
// snapshot, while tallies older than the last one seen are dropped.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ElectionStatus,
  ElectionStatusEvent,
  ErrorCode,
  JoinAck,
  PresenceEvent,
  ServerToClientEvents,
  Tally,
} from '@tallyboard/shared';
import { api } from './api';
import { randomId, voterToken } from './storage';
import { newerResults, type LiveResults } from './tally';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

type TbSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ElectionHandlers {
  snapshot?: (ack: Extract<JoinAck, { ok: true }>) => void;
  tally?: (tally: Tally) => void;
  presence?: (viewers: number) => void;
  status?: (event: ElectionStatusEvent) => void;
  error?: (error: { code: ErrorCode; message: string }) => void;
}

/** A session token held in memory only (admin sign-in), preferred over the voter token. */
let sessionToken: string | null = null;

export class LiveClient {
  private readonly socket: TbSocket;
  private state: ConnectionState = 'connecting';
  private readonly stateListeners = new Set<() => void>();
  private readonly watchers = new Map<string, Set<ElectionHandlers>>();

  constructor(url?: string) {
    const opts = {
      path: '/socket.io/',
      query: { cid: randomId() },
      auth: (cb: (data: object) => void) => {
        const token = sessionToken ?? voterToken.get();
        cb(token ? { token } : {});
      },
      reconnectionDelayMax: 5000,
    };
    this.socket = url ? io(url, opts) : io(opts);
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
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', () => this.setState('offline'));
      window.addEventListener('online', () => {
        // A blip the socket survived: it is live again, not offline until its next disconnect.
        if (this.socket.connected) {
          this.setState('live');
          return;
        }
        this.setState('reconnecting');
        this.socket.connect();
      });
    }
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
    this.socket.timeout(10_000).emit('election:join', { electionId }, (err, ack) => {
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
    return typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : state;
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of this.stateListeners) l();
  }
}

let client: LiveClient | null = null;

/** The tab's connection, created on first use. */
export function getLive(): LiveClient {
  client ??= new LiveClient();
  return client;
}

export function setSessionToken(token: string | null): void {
  sessionToken = token;
  if (client) client.reauthenticate();
}

export function useConnectionState(): ConnectionState {
  const live = getLive();
  return useSyncExternalStore(live.subscribe, live.getState, live.getState);
}

export interface ElectionLiveState {
  /** Latest results seen, or null while none are visible to this viewer. */
  results: LiveResults | null;
  /** Whether the join snapshot said results are hidden from this viewer. */
  hidden: boolean;
  viewers: number | null;
  status: ElectionStatus | null;
  statusEvent: ElectionStatusEvent | null;
  joined: boolean;
  error: { code: ErrorCode; message: string } | null;
}

const initialLive: ElectionLiveState = {
  results: null,
  hidden: false,
  viewers: null,
  status: null,
  statusEvent: null,
  joined: false,
  error: null,
};

/** Live state of one election for a component; stays subscribed while mounted. */
export function useElectionLive(electionId: string | undefined): ElectionLiveState {
  const [state, setState] = useState<ElectionLiveState>(initialLive);

  useEffect(() => {
    if (!electionId) return;
    setState(initialLive);
    const stop = getLive().watch(electionId, {
      snapshot: (ack) =>
        setState((s) => ({
          ...s,
          joined: true,
          error: null,
          status: ack.status,
          statusEvent: ack.election ?? s.statusEvent,
          viewers: ack.presence,
          hidden: ack.results === null,
          results: ack.results ? newerResults(s.results, ack.results) : s.results,
        })),
      tally: (tally) =>
        setState((s) => ({ ...s, hidden: false, results: newerResults(s.results, tally) })),
      presence: (viewers) => setState((s) => ({ ...s, viewers })),
      status: (event) => setState((s) => ({ ...s, status: event.status, statusEvent: event })),
      error: (error) => setState((s) => ({ ...s, error })),
    });
    return stop;
  }, [electionId]);

  // Results hidden until close (`after_close`): fetch them once the election closes, in case the
  // final tally broadcast went out before this viewer could see it.
  const closedAndHidden = state.status === 'closed' && !state.results;
  useEffect(() => {
    if (!electionId || !closedAndHidden) return;
    let cancelled = false;
    api
      .results(electionId)
      .then((r) => {
        if (!cancelled)
          setState((s) => ({ ...s, hidden: false, results: newerResults(s.results, r) }));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [electionId, closedAndHidden]);

  return state;
}
