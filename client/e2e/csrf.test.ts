// The CSRF repro in a real browser: the admin is signed in to Tallyboard, and a page on the same
// host at another port (same-site, so SameSite=Lax still sends the cookie) auto-submits a
// text/plain form to `…/close`. The request must be refused and the election stay open; the
// admin's own console keeps working with the same cookie.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { getStack } from '../../server/test/support';
import { openNewElection, signInAdmin } from '../../server/test/support/elections';
import { requestJson } from '../../server/test/support/http';

jest.setTimeout(120_000);

let browser: Browser;
let evil: http.Server;
let evilPage = '';

beforeAll(async () => {
  browser = await launchChromium();
  evil = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(evilPage);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => evil?.close(resolve));
});

it('refuses a same-site page’s auto-submitted form that would close an election', async () => {
  const stack = getStack();
  const admin = await signInAdmin(stack);
  const election = await openNewElection(admin);

  const context = await browser.newContext({ baseURL: stack.baseUrl });
  const page = await context.newPage();
  await page.goto('/admin');
  await page.getByLabel('Email').fill(stack.admin.email);
  await page.getByLabel('Password').fill(stack.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /new election/i }).waitFor();
  expect((await context.cookies()).map((c) => c.name)).toContain('tb_session');

  const target = `${stack.baseUrl}/api/elections/${election.id}/close`;
  evilPage = `<!doctype html><form id="f" method="POST" enctype="text/plain" action="${target}">
    <input type="hidden" name='{"x":"' value='"}'></form><script>f.submit()</script>`;
  const { port } = evil.address() as AddressInfo;
  const answer = page.waitForResponse((r) => r.url() === target);
  await page.goto(`http://127.0.0.1:${port}/`);
  const res = await answer;
  expect(res.status()).toBe(403);
  expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });

  const now = await requestJson<{ status: string }>(
    `${stack.baseUrl}/api/elections/${election.id}`,
    { token: admin.token },
  );
  expect(now.status).toBe('open');

  // The admin's own page still changes things with the same cookie.
  await page.goto('/admin');
  const closed = await page.evaluate(async (url) => {
    const r = await fetch(url, { method: 'POST', credentials: 'same-origin' });
    return r.status;
  }, target);
  expect(closed).toBe(200);
  await context.close();
});
