import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { requestIdOf, requestLog, routeOf } from '../../../src/http/request-log';

/** An app with the request log in front of one router, and the lines it logged. */
async function withApp(
  run: (base: string, lines: Record<string, unknown>[]) => Promise<void>,
): Promise<void> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const app = express();
  app.use(requestLog(pino(sink)));
  const r = express.Router();
  r.get('/:id/receipts/:receipt', (_req, res) => {
    res.json({ ok: true });
  });
  r.get('/:id/fails', () => {
    throw new Error('boom');
  });
  app.use('/api/elections', r);
  app.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  app.use((_err: unknown, _req: express.Request, res: express.Response, _next: unknown) => {
    res.status(400).json({});
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines);
  } finally {
    server.close();
  }
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('request log', () => {
  it('logs the id nginx gave, the route pattern and the status, never the URL', async () => {
    await withApp(async (base, lines) => {
      const res = await fetch(`${base}/api/elections/e1/receipts/SECRET-RECEIPT?x=1`, {
        headers: { 'X-Request-Id': 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
      });
      expect(res.headers.get('x-request-id')).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f90');
      await settle();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        msg: 'request',
        reqId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        method: 'GET',
        route: '/api/elections/:id/receipts/:receipt',
        status: 200,
      });
      expect(JSON.stringify(lines[0])).not.toContain('SECRET-RECEIPT');
    });
  });

  it('keeps the mount path of a route that failed, and names a 404 unmatched', async () => {
    await withApp(async (base, lines) => {
      await fetch(`${base}/api/elections/e1/fails`);
      await fetch(`${base}/nothing/here`);
      await settle();
      expect(lines.map((l) => [l.route, l.status])).toEqual([
        ['/api/elections/:id/fails', 400],
        ['unmatched', 404],
      ]);
    });
  });

  it('answers probes with an id but does not log them', async () => {
    await withApp(async (base, lines) => {
      const res = await fetch(`${base}/healthz`);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
      await settle();
      expect(lines).toHaveLength(0);
    });
  });

  it('replaces an id that is not well formed', () => {
    expect(requestIdOf('ok-id_1.2:3')).toBe('ok-id_1.2:3');
    expect(requestIdOf('bad id\n{"forged":1}')).toMatch(/^[0-9a-f]{32}$/);
    expect(requestIdOf('x'.repeat(65))).toMatch(/^[0-9a-f]{32}$/);
    expect(requestIdOf(undefined)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('works out the route of a request outside any router', () => {
    const req = { route: { path: '/healthz' }, baseUrl: '', originalUrl: '/healthz' };
    expect(routeOf(req as never)).toBe('/healthz');
    expect(routeOf({ baseUrl: '', originalUrl: '/x' } as never)).toBe('unmatched');
  });
});
