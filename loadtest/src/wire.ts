// A Socket.IO client in a few dozen lines, for load generators: a bare WebSocket (node:http
// upgrade, masked text frames out, unmasked in) speaking engine.io 4 and Socket.IO 5 by hand on
// the main namespace. A few KB and a few microseconds per ping or frame in the generator, where a
// socket.io-client (engine.io-client, ws, a decoder, two emitters) costs several times that: at
// tens of thousands of viewers that client needed as much CPU as the stack it measured.
//
// What it speaks: the open packet (0) and the namespace connect (40, with `auth`), pings (2 → 3),
// events (42[…]) and acks (43id[…]) both ways, disconnect (41), close frames. What it does not:
// polling, binary packets, reconnection, other namespaces. Used by the load tester's viewers
// (worker.ts) and by bench/capacity-worker.ts.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

/** A text frame from a client: FIN + text opcode, masked with a zero key (payload unchanged). */
export function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  let head: Buffer;
  if (n < 126) head = Buffer.from([0x81, 0x80 | n, 0, 0, 0, 0]);
  else if (n < 65_536) head = Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff, 0, 0, 0, 0]);
  else {
    head = Buffer.alloc(14);
    head[0] = 0x81;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}
const PONG = clientFrame('3');
const CLOSE = Buffer.from([0x88, 0x80, 0, 0, 0, 0]);

/**
 * Splits a byte stream from the server into WebSocket frames: calls `text` with each text frame's
 * payload (a view into the stream, valid during the call) and `closed` on a close frame; returns
 * what is left of an incomplete frame. Pure, so it is unit-tested.
 */
export function readFrames(
  buf: Buffer,
  text: (payload: Buffer) => void,
  closed: () => void,
): Buffer {
  for (;;) {
    if (buf.length < 2) return buf;
    const op = buf[0]! & 0x0f;
    let len = buf[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (buf.length < 4) return buf;
      len = buf.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (buf.length < 10) return buf;
      len = Number(buf.readBigUInt64BE(2));
      off = 10;
    }
    if (buf.length < off + len) return buf;
    const payload = buf.subarray(off, off + len);
    buf = buf.subarray(off + len);
    if (op === 1) text(payload);
    else if (op === 8) closed();
  }
}

export interface WireOptions {
  /** http(s)://host[:port] of the deployment (its nginx). */
  url: string;
  /** Local address to connect from (the system chooses without one). */
  source?: string | undefined;
  /** Extra query parameters of the handshake (`cid`, as the web client sends one). */
  query?: Record<string, string>;
  /** The namespace connect's `auth` (e.g. `{ token }`). */
  auth?: Record<string, unknown> | undefined;
  /** Until connected: longer and the socket fails with 'timeout'. */
  timeoutMs: number;
}

export interface WireHandlers {
  /** The namespace is connected (Socket.IO `connect`). */
  connect?: () => void;
  /**
   * An event packet from the server: its payload without the leading `42` (a JSON array, event
   * name first), as bytes, valid only during the call. Parse what you need, when you need it.
   */
  event?: (payload: Buffer) => void;
  /** Failed before connecting (HTTP status, refused connect, network error, timeout). */
  fail?: (reason: string) => void;
  /** Closed after connecting (by either side). */
  close?: () => void;
  /** Every ping answered (engine.io heartbeats), for counting. */
  ping?: () => void;
}

export interface WireSocket {
  /** Sends `42[event, data]`; with `ack`, `42id[…]` and calls it with the ack's arguments or null on timeout. */
  emit(
    event: string,
    data: unknown,
    ack?: (args: unknown[] | null) => void,
    ackTimeoutMs?: number,
  ): void;
  /** Closes the WebSocket (a close frame, then the TCP end). */
  close(): void;
  /** Drops the TCP connection at once. */
  destroy(): void;
  /** Milliseconds from the request to the upgrade (101), and from there to the namespace connect. */
  readonly steps: { upgrade: number; connect: number };
}

/** Opens one socket: upgrade, engine.io open, namespace connect; events and acks afterwards. */
export function openWire(o: WireOptions, h: WireHandlers): WireSocket {
  const url = new URL(o.url);
  const t0 = Date.now();
  let connected = false;
  let ended = false;
  let tcp: Socket | null = null;
  let nextAck = 0;
  const acks = new Map<number, { cb: (args: unknown[] | null) => void; timer: NodeJS.Timeout }>();
  const steps = { upgrade: 0, connect: 0 };

  const fail = (why: string): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    h.fail?.(why);
  };
  const timer = setTimeout(() => {
    fail('timeout');
    req.destroy();
    tcp?.destroy();
  }, o.timeoutMs);

  const qs = new URLSearchParams({ EIO: '4', transport: 'websocket', ...o.query });
  const lib = url.protocol === 'https:' ? https : http;
  const req = lib.request({
    host: url.hostname,
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    path: `/socket.io/?${qs.toString()}`,
    localAddress: o.source,
    agent: false,
    headers: {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    },
  });
  req.on('response', (res) => {
    fail(`http ${res.statusCode}`);
    res.resume();
  });
  req.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'error'));

  const write = (text: string): void => {
    if (tcp && !tcp.destroyed) tcp.write(clientFrame(text));
  };

  req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
    tcp = socket;
    if (ended) return void socket.destroy();
    const upgradedAt = Date.now();
    steps.upgrade = upgradedAt - t0;
    socket.setNoDelay(true);
    let buf = head;
    const message = (p: Buffer): void => {
      const c0 = p[0];
      if (c0 === 0x32 /* 2 ping */ && p.length === 1) {
        h.ping?.();
        socket.write(PONG);
        return;
      }
      if (c0 === 0x34 /* 4 message */) {
        const c1 = p[1];
        if (c1 === 0x32 /* 42 event */) return h.event?.(p.subarray(2));
        if (c1 === 0x33 /* 43 ack */) return onAck(p.toString('latin1', 2));
        if (c1 === 0x30 /* 40 connect */) {
          if (connected || ended) return;
          connected = true;
          clearTimeout(timer);
          steps.connect = Date.now() - upgradedAt;
          return h.connect?.();
        }
        if (c1 === 0x34 /* 44 connect error */) {
          fail('connect refused');
          return void socket.end(CLOSE);
        }
        if (c1 === 0x31 /* 41 disconnect */) return void socket.end(CLOSE);
        return;
      }
      if (c0 === 0x30 /* 0 open */) {
        write(o.auth ? `40${JSON.stringify(o.auth)}` : '40');
      } else if (c0 === 0x31 /* 1 close */) socket.end(CLOSE);
    };
    const closedFrame = (): void => void socket.end(CLOSE);
    socket.on('data', (d: Buffer) => {
      buf = readFrames(buf.length ? Buffer.concat([buf, d]) : d, message, closedFrame);
    });
    // Frames may already have come with the upgrade answer (`head`): read those at once.
    buf = readFrames(buf, message, closedFrame);
    socket.on('close', () => {
      for (const [, a] of acks) {
        clearTimeout(a.timer);
        a.cb(null);
      }
      acks.clear();
      if (connected) h.close?.();
      else fail('closed before connect');
    });
    socket.on('error', () => undefined);
  });
  req.end();

  function onAck(text: string): void {
    const m = /^(\d+)/.exec(text);
    if (!m) return;
    const id = Number(m[1]);
    const a = acks.get(id);
    if (!a) return;
    acks.delete(id);
    clearTimeout(a.timer);
    let args: unknown[] | null = null;
    try {
      args = JSON.parse(text.slice(m[1]!.length)) as unknown[];
    } catch {
      args = null;
    }
    a.cb(args);
  }

  return {
    steps,
    emit(event, data, ack, ackTimeoutMs = 30_000) {
      const body = JSON.stringify([event, data]);
      if (!ack) return write(`42${body}`);
      const id = nextAck++;
      const t = setTimeout(() => {
        acks.delete(id);
        ack(null);
      }, ackTimeoutMs);
      acks.set(id, { cb: ack, timer: t });
      write(`42${id}${body}`);
    },
    close() {
      if (tcp && !tcp.destroyed) tcp.end(CLOSE);
      else {
        fail('closed');
        req.destroy();
      }
    },
    destroy() {
      tcp?.destroy();
      req.destroy();
    },
  };
}

/**
 * The `ballots` count of a tally event payload (`["tally",{…}]` as bytes), or null for another
 * event. Every viewer of an election gets the same frame: the last distinct payload and its
 * count are remembered, so a worker parses each tally once, not once per viewer.
 */
export function tallyReader(): (payload: Buffer) => number | null {
  let last: Buffer | null = null;
  let lastBallots: number | null = null;
  const PREFIX = Buffer.from('["tally",');
  return (payload) => {
    if (last && payload.equals(last)) return lastBallots;
    if (
      payload.length < PREFIX.length ||
      payload.compare(PREFIX, 0, PREFIX.length, 0, PREFIX.length) !== 0
    )
      return null;
    let ballots: number | null = null;
    try {
      const [, t] = JSON.parse(payload.toString('utf8')) as [string, { ballots?: unknown }];
      ballots = typeof t?.ballots === 'number' ? t.ballots : null;
    } catch {
      ballots = null;
    }
    last = Buffer.from(payload); // the payload is a view into a buffer that gets reused
    lastBallots = ballots;
    return ballots;
  };
}
