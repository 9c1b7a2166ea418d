// Stored payloads never run: an election whose every text field holds markup and script is shown
// on the ballot, board, admin (list, monitor, editor) and receipt pages in headless Chromium, and
// no script it carries executes (no `window.__xss`, no dialog, no request to the payloads' host).
// `javascript:` and `data:` photo URLs are refused by the API, so they cannot be stored at all.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { Election } from '@tallyboard/shared';
import { getStack } from '../../server/test/support';

jest.setTimeout(180_000);

const PAYLOADS = [
  '<img src=x onerror=window.__xss=1>',
  '<script>window.__xss=2</script>',
  '<svg onload=window.__xss=3></svg>',
  '"><iframe src="javascript:window.__xss=4"></iframe>',
  'javascript:window.__xss=5//',
  '{{constructor.constructor("window.__xss=6")()}}',
  '<a href="javascript:window.__xss=7">click</a>',
];
const PHOTO = 'https://xss.invalid/a.png"onerror="window.__xss=8';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function api(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${getStack().baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A page that records any sign of a payload running. */
async function watchedPage(signals: string[]): Promise<Page> {
  const context = await browser.newContext({ baseURL: getStack().baseUrl });
  const page = await context.newPage();
  page.on('dialog', (d) => {
    signals.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url().includes('xss.invalid') && r.resourceType() !== 'image') {
      signals.push(`request: ${r.url()}`);
    }
  });
  return page;
}

async function ranPayload(page: Page): Promise<unknown> {
  return page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss ?? null);
}

test('payloads stored in every text field never execute on the ballot, board, admin and receipt pages', async () => {
  const stack = getStack();
  const admin = (await api('POST', '/api/auth/login', stack.admin)).body.token as string;

  for (const photoUrl of ['javascript:window.__xss=9', 'data:text/html,<script>1</script>']) {
    const refused = await api(
      'POST',
      '/api/elections',
      {
        title: 'photo',
        access: 'open',
        resultsVisibility: 'live',
        positions: [
          {
            title: 'P',
            maxSelections: 1,
            winners: 1,
            candidates: [{ name: 'a', photoUrl }, { name: 'b' }],
          },
        ],
      },
      admin,
    );
    expect(refused.status).toBe(422);
  }

  const created = await api(
    'POST',
    '/api/elections',
    {
      title: `${PAYLOADS[0]} ${PAYLOADS[1]}`,
      description: PAYLOADS.join('\n'),
      access: 'open',
      resultsVisibility: 'live',
      positions: [
        {
          title: PAYLOADS[2],
          description: PAYLOADS[3],
          maxSelections: 1,
          winners: 1,
          candidates: PAYLOADS.map((name, i) => ({
            name,
            description: PAYLOADS[(i + 1) % PAYLOADS.length],
            photoUrl: PHOTO,
          })),
        },
      ],
    },
    admin,
  );
  expect(created.status).toBe(201);
  const election = created.body as unknown as Election;
  expect((await api('POST', `/api/elections/${election.id}/open`, undefined, admin)).status).toBe(
    200,
  );
  const voter = (await api('POST', '/api/voters')).body.voterToken as string;
  const [position] = election.positions;
  const cast = await api(
    'POST',
    `/api/elections/${election.id}/ballots`,
    { selections: { [position!.id]: [position!.candidates[0]!.id] } },
    voter,
  );
  expect(cast.status).toBe(201);
  const receipt = cast.body.receipt as string;

  const signals: string[] = [];
  const page = await watchedPage(signals);
  const visit = async (url: string, ready: () => Promise<unknown>) => {
    await page.goto(url);
    await ready();
    await page.waitForTimeout(500); // let late handlers (image errors) fire
    expect({ url, ran: await ranPayload(page), signals }).toEqual({ url, ran: null, signals: [] });
  };

  // Ballot page: the payloads are shown as text.
  await visit(`/vote/${election.joinCode}`, () =>
    page.getByText(PAYLOADS[4]!, { exact: false }).first().waitFor(),
  );
  expect(await page.locator('script:not([src])').count()).toBe(0);

  // Board.
  await visit(`/board/${election.id}`, () =>
    page.getByTestId('board-code').filter({ hasText: election.joinCode }).waitFor(),
  );

  // Receipt page, with the payloads in its query string too.
  await visit(`/receipt?code=${election.joinCode}&receipt=${encodeURIComponent(receipt)}`, () =>
    page.getByTestId('receipt-outcome').waitFor(),
  );
  await visit(
    `/receipt?code=${encodeURIComponent(PAYLOADS[0]!)}&receipt=${encodeURIComponent(PAYLOADS[1]!)}`,
    () => page.waitForLoadState('networkidle'),
  );

  // Admin: sign in, then the list, the monitor and the editor of a draft with the same payloads.
  await page.goto('/admin');
  await page.getByLabel('Email').fill(stack.admin.email);
  await page.getByLabel('Password').fill(stack.admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /new election/i }).waitFor();
  expect({ ran: await ranPayload(page), signals }).toEqual({ ran: null, signals: [] });
  await visit('/admin', () => page.getByText(PAYLOADS[0]!, { exact: false }).first().waitFor());
  await visit(`/admin?election=${election.id}`, () =>
    page.getByTestId('admin-join-code').waitFor(),
  );
  const editable = (
    await api(
      'POST',
      '/api/elections',
      {
        title: PAYLOADS[5],
        description: PAYLOADS[6],
        access: 'open',
        resultsVisibility: 'live',
        positions: [
          {
            title: PAYLOADS[0],
            maxSelections: 1,
            winners: 1,
            candidates: [{ name: PAYLOADS[1]!, photoUrl: PHOTO }, { name: PAYLOADS[2]! }],
          },
        ],
      },
      admin,
    )
  ).body as unknown as Election;
  await visit(`/admin?election=${editable.id}&mode=edit`, () => page.locator('#f-title').waitFor());
  expect(await page.locator('#f-title').inputValue()).toBe(PAYLOADS[5]);
  await visit(`/admin?election=${editable.id}`, () =>
    page.getByTestId('admin-join-code').waitFor(),
  );
  await page.context().close();
});
