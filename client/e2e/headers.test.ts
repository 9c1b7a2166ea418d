// The pages under nginx's Content-Security-Policy in a real browser (issue 9): every page loads
// and works with no violation reported, and the admin console refuses to render inside a page of
// another origin.
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { getStack } from '../../server/test/support';
import { openNewElection, signInAdmin } from '../../server/test/support/elections';
import { repoRoot } from '../../server/test/support/stack';

jest.setTimeout(120_000);

let browser: Browser;
let election: { id: string; joinCode: string };

beforeAll(async () => {
  election = await openNewElection(await signInAdmin(getStack()));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Console lines and securitypolicyviolation events that name a CSP refusal, for one page. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Refused to|Content Security Policy/i.test(text)) seen.push(`console: ${text}`);
  });
  page.on('pageerror', (err) => seen.push(`page error: ${err.message}`));
  // A string, not a function: this project compiles without the DOM types.
  await page.addInitScript({
    content: `window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
      });`,
  });
  return async () => [...seen, ...((await page.evaluate('window.__csp')) as string[])];
}

describe('pages under the strict CSP', () => {
  const pages = () => [
    { path: '/', ready: 'main#main' },
    { path: `/vote/${election.joinCode}`, ready: 'main#main' },
    { path: `/board/${election.id}`, ready: 'svg' }, // the join QR code
    { path: '/admin', ready: 'input[type="password"]' },
    { path: '/receipt', ready: 'main#main' },
  ];

  it('loads every page with no CSP violation', async () => {
    const context = await browser.newContext({ baseURL: getStack().baseUrl });
    try {
      for (const { path: route, ready } of pages()) {
        const page = await context.newPage();
        const violations = await watchViolations(page);
        const res = await page.goto(route);
        expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
        await page.locator(ready).first().waitFor({ timeout: 15_000 });
        await page.waitForTimeout(500); // lazy chunks, socket connect, first tally
        expect({ route, violations: await violations() }).toEqual({ route, violations: [] });
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it('signs in to the admin console with no CSP violation', async () => {
    const { admin } = getStack();
    const context = await browser.newContext({ baseURL: getStack().baseUrl });
    try {
      const page = await context.newPage();
      const violations = await watchViolations(page);
      await page.goto('/admin');
      await page.locator('input[type="email"]').fill(admin.email);
      await page.locator('input[type="password"]').fill(admin.password);
      await page.locator('input[type="password"]').press('Enter');
      await page.locator('input[type="password"]').waitFor({ state: 'detached', timeout: 15_000 });
      await page.waitForTimeout(500);
      expect(await violations()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('framing', () => {
  let server: http.Server;
  let origin: string;
  beforeAll(async () => {
    // Another origin on the same host: same site, which SameSite cookies do not separate.
    server = http.createServer((req, res) => {
      const target = decodeURIComponent((req.url ?? '/').slice(1));
      res.setHeader('Content-Type', 'text/html');
      res.end(`<!doctype html><iframe id="f" src="${getStack().baseUrl}${target}"></iframe>`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** Loads `path` of the app in an iframe of the other origin; the frame once settled. */
  async function framed(path: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/${encodeURIComponent(path)}`);
    await page.waitForTimeout(1500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    return { context, frame: frame! };
  }

  it('can frame what the app allows to be framed (the harness itself works)', async () => {
    // A static asset: nginx puts no framing rule on it (the nodes' helmet headers forbid framing).
    const css = readdirSync(path.join(repoRoot, 'client/dist/assets')).find((f) =>
      f.endsWith('.css'),
    );
    const { context, frame } = await framed(`/assets/${css}`);
    try {
      expect(frame.url()).toBe(`${getStack().baseUrl}/assets/${css}`);
      expect(await frame.locator('body').textContent()).toMatch(/\{/);
    } finally {
      await context.close();
    }
  });

  it('refuses to render /admin inside a page of another origin', async () => {
    const { context, frame } = await framed('/admin');
    try {
      // Blocked: the frame holds Chromium's error page, not the console.
      expect(frame.url()).not.toContain('/admin');
      expect(await frame.locator('input[type="password"], .topbar').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
