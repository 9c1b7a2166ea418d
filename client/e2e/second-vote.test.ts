/// <reference lib="dom" />
// Issue 11: a browser that kept its Idempotency-Key but lost its stored receipt, voting again with
// other choices, must not be told "your vote is counted": its first ballot stands, and the page
// says so with the first ballot's receipt.
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import type { Results } from '@tallyboard/shared';
import { getStack } from '../../server/test/support';
import {
  openNewElection,
  signInAdmin,
  type AdminSession,
} from '../../server/test/support/elections';

jest.setTimeout(120_000);

let browser: Browser;
let admin: AdminSession;

beforeAll(async () => {
  browser = await launchChromium();
  admin = await signInAdmin(getStack());
});

afterAll(async () => {
  await browser?.close();
});

it('tells a voter whose browser lost its receipt that the first ballot stands, not that the new one counted', async () => {
  const e = await openNewElection(admin, {
    positions: [
      {
        title: 'Chair',
        maxSelections: 1,
        winners: 1,
        candidates: [{ name: 'Alice' }, { name: 'Bob' }],
      },
    ],
  });
  const context = await browser.newContext({ baseURL: getStack().baseUrl });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));

  async function vote(name: string): Promise<string> {
    await page.goto(`/vote/${e.joinCode}`);
    await page.getByRole('radio', { name }).check();
    await page.getByRole('button', { name: 'Review my ballot' }).click();
    await page.getByRole('button', { name: 'Submit my ballot' }).click();
    await page.getByTestId('receipt-code').waitFor();
    return (await page.getByTestId('receipt-code').innerText()).trim();
  }

  const first = await vote('Alice');
  await expect(page.getByRole('heading', { name: 'Your vote is counted' }).count()).resolves.toBe(
    1,
  );

  // The stored receipt is lost (cleared site data for one key, another tab's cleanup, …); the
  // voter token and the Idempotency-Key of the ballot are still there.
  const removed = await page.evaluate((id) => {
    const keys = Object.keys(localStorage).filter(
      (k) => k.startsWith('tb.receipt.') && k.endsWith(id),
    );
    for (const k of keys) localStorage.removeItem(k);
    return keys.length;
  }, e.id);
  expect(removed).toBe(1);

  const second = await vote('Bob');
  expect(second).toBe(first);
  await page.getByRole('heading', { name: /already voted: your first ballot stands/i }).waitFor();
  await expect(page.getByRole('heading', { name: 'Your vote is counted' }).count()).resolves.toBe(
    0,
  );
  await expect(page.getByText('were not recorded').count()).resolves.toBe(1);

  const res = await fetch(`${getStack().baseUrl}/api/elections/${e.id}/results`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  const results = (await res.json()) as Results;
  expect(results.ballots).toBe(1);
  const votes = Object.fromEntries(
    (results.positions[0]?.candidates ?? []).map((c) => [c.id, c.votes]),
  );
  const alice = e.positions[0]?.candidates.find((c) => c.name === 'Alice')?.id ?? '';
  expect(votes[alice]).toBe(1);
  expect(errors).toEqual([]);
  await context.close();
});
