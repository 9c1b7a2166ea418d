// The public edge (issue 9): what nginx serves to browsers and what it keeps to the nodes' own
// ports, whose X-Forwarded-For the nodes believe, and that Redis wants its password. Against the
// run's shared stack, through its nginx like any visitor.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { getStack, type TestStack } from '../support';
import { repoRoot } from '../support/stack';

jest.setTimeout(60_000);

let stack: TestStack;
beforeAll(() => {
  stack = getStack();
});

const pages = ['/', '/vote/ABCD2345', '/board/some-election', '/admin', '/receipt'];

describe('pages served by nginx', () => {
  it.each(pages)('%s carries a strict CSP, no framing, nosniff and no-referrer', async (page) => {
    const res = await fetch(stack.baseUrl + page);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values.join(' ')]),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('img-src')).toBe("'self' https: data:");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    await res.text();
  });

  it('sends nosniff and no-referrer on assets and API answers too', async () => {
    for (const url of ['/assets/' + mainBundle(), '/api/elections/nope', '/healthz']) {
      const res = await fetch(stack.baseUrl + url);
      await res.arrayBuffer();
      expect({ url, nosniff: res.headers.get('x-content-type-options') }).toEqual({
        url,
        nosniff: 'nosniff',
      });
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('compresses the main bundle, the stylesheet and the page with gzip', async () => {
    const assets = readdirSync(path.join(repoRoot, 'client/dist/assets'));
    const css = assets.find((f) => f.endsWith('.css'))!;
    for (const url of [`/assets/${mainBundle()}`, `/assets/${css}`, '/']) {
      const res = await fetch(stack.baseUrl + url, { headers: { 'Accept-Encoding': 'gzip' } });
      const body = await res.arrayBuffer(); // fetch decodes it: the header is what tells
      expect({ url, encoding: res.headers.get('content-encoding') }).toEqual({
        url,
        encoding: 'gzip',
      });
      expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i);
      expect(body.byteLength).toBeGreaterThan(0);
    }
  });
});

/** The entry bundle index.html loads (the 431 KB one). */
function mainBundle(): string {
  const assets = readdirSync(path.join(repoRoot, 'client/dist/assets'));
  return assets.find((f) => /^index-.*\.js$/.test(f))!;
}

describe('operator endpoints', () => {
  const hidden = ['/api/health', '/metrics', '/api/Health', '/api/health/', '/api/%68ealth'];

  it.each(hidden)('%s answers 404 JSON through nginx', async (url) => {
    const res = await fetch(stack.baseUrl + url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'not_found' } });
    expect(text).not.toMatch(/replica|127\.0\.0\.1|tallyboard_/);
  });

  it('are served on every node’s own port', async () => {
    for (const port of stack.ports.nodes) {
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ master: { ok: true }, redis: { ok: true } });
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/http_request_duration_seconds/);
    }
  });

  it('leaves /healthz and /readyz public', async () => {
    for (const url of ['/healthz', '/readyz']) {
      const res = await fetch(stack.baseUrl + url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      await res.text();
    }
  });
});

describe('client addresses', () => {
  /** Points spent this minute on the per-address voter-token budget of `address`. */
  const spent = async (address: string): Promise<number> =>
    Number((await stack.redisCli('GET', `tb:rl:voterTokensPerIp:${address}`)).trim() || 0);

  it('counts requests with different forged X-Forwarded-For against one per-address budget', async () => {
    const forged = ['203.0.113.71', '198.51.100.72'];
    const before = await spent('127.0.0.1');
    for (const xff of forged) {
      const res = await fetch(`${stack.baseUrl}/api/voters`, {
        method: 'POST',
        headers: { 'X-Forwarded-For': xff },
      });
      expect(res.status).toBe(201);
      await res.text();
    }
    // Both spent the budget of the address nginx saw (other suites may spend some too).
    expect((await spent('127.0.0.1')) - before).toBeGreaterThanOrEqual(2);
    for (const xff of forged) expect(await spent(xff)).toBe(0);
    expect(await stack.redisCli('--scan', '--pattern', 'tb:rl:*:203.0.113.71')).toBe('');
  });
});

describe('Redis', () => {
  it('refuses a client without the password (NOAUTH)', async () => {
    const { stdout } = await promisify(execFile)('redis-cli', [
      '-p',
      String(stack.ports.redis),
      'GET',
      'tb:rl:voterTokensPerIp:127.0.0.1',
    ]);
    expect(stdout).toMatch(/NOAUTH/);
  });

  it('answers with the password from the stack’s .env', async () => {
    expect((await stack.redisCli('PING')).trim()).toBe('PONG');
  });
});
