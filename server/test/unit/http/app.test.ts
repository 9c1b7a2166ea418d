import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import helmet from 'helmet';
import pino from 'pino';
import type { Deps } from '../../../src/deps';
import { DomainError } from '../../../src/errors';
import { clientAddress, compileTrustProxy, parseTrustProxy } from '../../../src/client-address';
import { createApp, stampServedBy, type AppOptions } from '../../../src/http/app';

interface Fakes {
  masterUp?: boolean;
  /** replica1 in rotation (replica2 never is). @default true */
  replicaUp?: boolean;
  redisUp?: boolean;
  shuttingDown?: boolean;
}

function fakeDeps(f: Fakes = {}): Deps {
  const deps = {
    config: { nodeId: 'node-test', http: { trustProxy: 'loopback' } },
    log: pino({ level: 'silent' }),
    master: {
      query: async () => {
        if (f.masterUp === false) throw new Error('connect ECONNREFUSED');
        return [[{ 1: 1 }], []];
      },
    },
    masterLink: { writable: f.masterUp !== false },
    redis: {
      ping: async () => {
        if (f.redisUp === false) throw new Error('Connection is closed.');
        return 'PONG';
      },
    },
    replicas: {
      health: () => [
        {
          name: 'replica1',
          address: 'h:1',
          ok: f.replicaUp !== false,
          replicating: true,
          lagSeconds: 0,
        },
        {
          name: 'replica2',
          address: 'h:2',
          ok: false,
          replicating: false,
          lagSeconds: null,
          error: 'SQL thread not running',
        },
      ],
      stats: () => ({}),
    },
    lifecycle: { shuttingDown: f.shuttingDown ?? false },
  };
  return deps as unknown as Deps;
}

async function serve(
  deps: Deps,
  routes?: AppOptions['routes'],
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(createApp(deps, { routes }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('HTTP app', () => {
  let srv: { url: string; close: () => Promise<void> };
  afterEach(async () => srv?.close());

  it('stamps X-Served-By on every response, errors included', async () => {
    srv = await serve(fakeDeps());
    for (const path of ['/healthz', '/api/nope', '/metrics']) {
      const res = await fetch(srv.url + path);
      expect(res.headers.get('x-served-by')).toBe('node-test');
    }
  });

  it('sends exactly the security headers helmet itself sends', async () => {
    srv = await serve(fakeDeps());
    const ours = await fetch(`${srv.url}/healthz`);
    const plain = http.createServer((req, res) =>
      helmet()(req, res, () => {
        res.end();
      }),
    );
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const { port } = plain.address() as AddressInfo;
      const theirs = await fetch(`http://127.0.0.1:${port}/`);
      const names = [...theirs.headers.keys()].filter(
        (h) =>
          !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(h),
      );
      expect(names.length).toBeGreaterThan(8);
      for (const name of names)
        expect([name, ours.headers.get(name)]).toEqual([name, theirs.headers.get(name)]);
      expect(ours.headers.get('x-powered-by')).toBeNull();
    } finally {
      await new Promise((r) => plain.close(r));
    }
  });

  it('answers malformed JSON with 400 bad_json', async () => {
    srv = await serve(fakeDeps(), (app) => app.post('/api/echo', (req, res) => res.json(req.body)));
    const res = await fetch(`${srv.url}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_json' } });
  });

  it('answers a body over 1 MB with 413 payload_too_large', async () => {
    srv = await serve(fakeDeps(), (app) => app.post('/api/echo', (req, res) => res.json(req.body)));
    const res = await fetch(`${srv.url}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ s: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers an unknown API route with a JSON 404', async () => {
    srv = await serve(fakeDeps());
    const res = await fetch(`${srv.url}/api/elections/x/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers rate_limited with 429 and Retry-After, wherever it was thrown', async () => {
    srv = await serve(fakeDeps(), (app) =>
      app.get('/api/limited', () => {
        throw new DomainError('rate_limited', 'too many requests', { retryAfterSeconds: 17 });
      }),
    );
    const res = await fetch(`${srv.url}/api/limited`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('17');
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('maps DomainError and zod errors to their status, and hides unknown errors', async () => {
    srv = await serve(fakeDeps(), (app) => {
      app.get('/api/domain', () => {
        throw new DomainError('already_voted', 'you already voted', { electionId: 'e1' });
      });
      app.get('/api/zod', () => {
        z.object({ n: z.number() }).parse({ n: 'x' });
      });
      app.get('/api/boom', async () => {
        throw new Error('secret internals');
      });
    });
    const domain = await fetch(`${srv.url}/api/domain`);
    expect(domain.status).toBe(409);
    expect(await domain.json()).toEqual({
      error: { code: 'already_voted', message: 'you already voted', details: { electionId: 'e1' } },
    });
    const zod = await fetch(`${srv.url}/api/zod`);
    expect(zod.status).toBe(422);
    expect(await zod.json()).toMatchObject({
      error: { code: 'invalid', details: [{ path: 'n' }] },
    });
    const boom = await fetch(`${srv.url}/api/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(text).not.toMatch(/secret|at /);
  });

  it('reports master, each replica and Redis in /api/health', async () => {
    srv = await serve(fakeDeps());
    const res = await fetch(`${srv.url}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      node: 'node-test',
      status: 'degraded',
      master: { ok: true },
      redis: { ok: true },
      replicas: [
        { name: 'replica1', replicating: true, lagSeconds: 0 },
        { name: 'replica2', replicating: false, ok: false },
      ],
    });
  });

  it('is degraded and not writable without the master, down (503) only when nothing reads', async () => {
    srv = await serve(fakeDeps({ masterUp: false }));
    const noMaster = await fetch(`${srv.url}/api/health`);
    expect(noMaster.status).toBe(200);
    expect(await noMaster.json()).toMatchObject({
      status: 'degraded',
      writable: false,
      master: { ok: false },
    });
    await srv.close();
    srv = await serve(fakeDeps({ masterUp: false, replicaUp: false }));
    const down = await fetch(`${srv.url}/api/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'down', writable: false });
    await srv.close();
    srv = await serve(fakeDeps({ redisUp: false }));
    const res = await fetch(`${srv.url}/api/health`);
    expect(await res.json()).toMatchObject({ status: 'degraded', redis: { ok: false } });
  });

  it('is live always, ready while it can read (master or a replica) and not shutting down', async () => {
    srv = await serve(fakeDeps({ masterUp: false }));
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
    const readsOnly = await fetch(`${srv.url}/readyz`);
    expect(readsOnly.status).toBe(200);
    expect(await readsOnly.json()).toMatchObject({ ready: true, writable: false });
    await srv.close();
    srv = await serve(fakeDeps({ masterUp: false, replicaUp: false }));
    expect((await fetch(`${srv.url}/readyz`)).status).toBe(503);
    await srv.close();
    srv = await serve(fakeDeps({ shuttingDown: true }));
    expect((await fetch(`${srv.url}/readyz`)).status).toBe(503);
    await srv.close();
    srv = await serve(fakeDeps());
    expect((await fetch(`${srv.url}/readyz`)).status).toBe(200);
  });

  it('answers /api/health and /metrics on the node port only, not to what a proxy forwards', async () => {
    srv = await serve(fakeDeps());
    const forwarded = { 'X-Forwarded-For': '203.0.113.7' };
    for (const path of ['/api/health', '/metrics', '/api/HEALTH/']) {
      const res = await fetch(srv.url + path, { headers: forwarded });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${srv.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${srv.url}/healthz`, { headers: forwarded })).status).toBe(200);
    expect((await fetch(`${srv.url}/readyz`, { headers: forwarded })).status).toBe(200);
  });

  it('serves Prometheus metrics with the request histogram', async () => {
    srv = await serve(fakeDeps());
    await fetch(`${srv.url}/healthz`);
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/healthz"/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });
});

describe('stampServedBy', () => {
  it('covers responses written by handlers that replaced the request listeners', async () => {
    const server = http.createServer();
    server.on('request', (_req, res) => res.end('raw')); // stands in for engine.io
    stampServedBy(server, 'node-raw');
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`);
    expect(res.headers.get('x-served-by')).toBe('node-raw');
    await new Promise((r) => server.close(r));
  });
});

describe('parseTrustProxy', () => {
  it('turns TRUST_PROXY into what proxy-addr expects', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback')).toBe('loopback');
  });
});

describe('clientAddress', () => {
  const req = (peer: string, forwarded?: string): http.IncomingMessage =>
    ({
      socket: { remoteAddress: peer },
      connection: { remoteAddress: peer },
      headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
    }) as unknown as http.IncomingMessage;

  it('takes the forwarded address from a trusted proxy and the peer from anyone else', () => {
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), 'loopback')).toBe('203.0.113.7');
    expect(clientAddress(req('198.51.100.2', '203.0.113.7'), 'loopback')).toBe('198.51.100.2');
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), 'false')).toBe('127.0.0.1');
  });

  it('believes only the entry the trusted proxy wrote, never one its client sent', () => {
    // What an appending proxy forwards for a local client that sent its own header.
    expect(clientAddress(req('127.0.0.1', '203.0.113.9, 127.0.0.1'), '127.0.0.1')).toBe(
      '127.0.0.1',
    );
    expect(clientAddress(req('127.0.0.1', '203.0.113.9, 198.51.100.4'), '127.0.0.1')).toBe(
      '198.51.100.4',
    );
    // A local process on another loopback address talking to a node directly is no proxy.
    expect(clientAddress(req('127.0.0.2', '203.0.113.9'), '127.0.0.1')).toBe('127.0.0.2');
  });
});

describe('compileTrustProxy', () => {
  it('answers the same for a peer asked again, and past its memory of 10,000 peers', () => {
    const trusted = compileTrustProxy('127.0.0.1, 10.0.0.0/8');
    for (let round = 0; round < 2; round++) {
      expect(trusted('127.0.0.1', 0)).toBe(true);
      expect(trusted('10.1.2.3', 0)).toBe(true);
      expect(trusted('127.0.0.2', 0)).toBe(false);
      expect(trusted('127.0.0.1', 1)).toBe(false); // the direct peer only
    }
    for (let i = 0; i < 10_050; i++) trusted(`192.0.${i >> 8}.${i & 255}`, 0);
    expect(trusted('127.0.0.1', 0)).toBe(true);
    expect(trusted('192.0.0.1', 0)).toBe(false);
  });
});
