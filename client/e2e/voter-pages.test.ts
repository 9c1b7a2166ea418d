/// <reference lib="dom" />
// Issue 11, the voter and admin pages, in Chromium against the three-node stack: a ballot kept
// across reloads, focus and contrast, per-position abstain, admin pages at 390 px, scheduled
// times with their time zone, and the language switch (with the Filipino phone screenshot).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { Election, PositionInput, Results } from '@tallyboard/shared';
import { getStack } from '../../server/test/support';
import {
  closeElection,
  createElection,
  openNewElection,
  scheduleElection,
  signInAdmin,
  type AdminSession,
} from '../../server/test/support/elections';

jest.setTimeout(180_000);

const shots = path.resolve(__dirname, '../../docs/screenshots');
const phone = { width: 390, height: 844 };

let browser: Browser;
let admin: AdminSession;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function open(
  viewport = { width: 1280, height: 900 },
  options: { timezoneId?: string; locale?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: getStack().baseUrl, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('dialog', (d) => void d.accept());
  return page;
}

const council = (names: string[], extra: Partial<PositionInput> = {}): PositionInput => ({
  title: 'Council',
  maxSelections: 2,
  winners: 2,
  candidates: names.map((name) => ({ name })),
  ...extra,
});
const chair = (extra: Partial<PositionInput> = {}): PositionInput => ({
  title: 'Chair',
  maxSelections: 1,
  winners: 1,
  candidates: [{ name: 'Ada' }, { name: 'Grace' }, { name: 'Edsger' }],
  ...extra,
});

async function results(e: Election): Promise<Results> {
  const res = await fetch(`${getStack().baseUrl}/api/elections/${e.id}/results`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  return (await res.json()) as Results;
}

async function signInInBrowser(page: Page): Promise<void> {
  const { email, password } = getStack().admin;
  await page.goto('/admin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Elections' }).waitFor();
}

/** Widest thing on the page beyond the viewport, in px (0 when nothing overflows). */
const overflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
  admin = await signInAdmin(getStack());
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

describe('the ballot', () => {
  it('keeps the choices across a reload, on the ballot and on the review step, until cast', async () => {
    const e = await openNewElection(admin, {
      positions: [chair(), council(['Alan', 'Barbara', 'Carl'])],
    });
    const page = await open();
    await page.goto(`/vote/${e.joinCode}`);
    await page.getByRole('group', { name: /chair/i }).getByRole('radio', { name: 'Grace' }).check();
    const councilGroup = page.getByRole('group', { name: /council/i });
    await councilGroup.getByRole('checkbox', { name: 'Barbara' }).check();
    await page.reload();
    await expect(page.getByRole('radio', { name: 'Grace' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('checkbox', { name: 'Barbara' }).isChecked()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Review my ballot' }).click();
    await page.getByRole('heading', { name: 'Review your ballot' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Review your ballot' }).waitFor();
    const review = await page.locator('.review-list').innerText();
    expect(review).toContain('Grace');
    expect(review).toContain('Barbara');

    await page
      .getByRole('checkbox', { name: /submit it anyway/ })
      .check()
      .catch(() => undefined);
    await page.getByRole('button', { name: 'Submit my ballot' }).click();
    await page.getByTestId('receipt-code').waitFor();
    // Focus moved to the receipt.
    const focusInReceipt = await page.evaluate(
      () => !!document.activeElement?.closest('[data-testid="receipt"]'),
    );
    expect(focusInReceipt).toBe(true);
    const left = await page.evaluate(
      (id) => Object.keys(sessionStorage).filter((k) => k.includes(id)),
      e.id,
    );
    expect(left).toEqual([]);
    const r = await results(e);
    expect(r.ballots).toBe(1);
  });

  it('never hides the focused last candidate under the review bar, and focus shows at 3:1', async () => {
    const names = Array.from({ length: 9 }, (_, i) => `Council candidate ${i + 1}`);
    const e = await openNewElection(admin, { positions: [council(names)] });
    const page = await open(phone);
    await page.goto(`/vote/${e.joinCode}`);
    const boxes = page.getByRole('checkbox');
    await boxes.nth(names.length - 2).focus();
    await page.keyboard.press('Tab');
    const last = page.locator('.candidate').nth(names.length - 1);
    const bar = page.locator('.sticky-actions');
    const [lastBox, barBox] = [await last.boundingBox(), await bar.boundingBox()];
    expect(lastBox && barBox).toBeTruthy();
    // The bar's visible part starts where its gradient turns solid; the candidate ends above it.
    expect(lastBox!.y + lastBox!.height).toBeLessThanOrEqual(barBox!.y + 1);

    // The outline of the focused candidate and button against what is behind them.
    const ratios = await page.evaluate(() => {
      const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      const behind = (el: Element | null): number[] => {
        for (let n = el; n; n = n.parentElement) {
          const c = rgb(getComputedStyle(n).backgroundColor);
          if (c.length >= 3 && (c.length === 3 || c[3] !== 0)) return c;
        }
        return [255, 255, 255];
      };
      const ratio = (a: number[], b: number[]) => {
        const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
        return (x! + 0.05) / (y! + 0.05);
      };
      const out: Record<string, number> = {};
      const candidate = document.querySelector('.candidate:has(input:focus-visible)');
      if (candidate) {
        out.candidate = ratio(
          rgb(getComputedStyle(candidate).outlineColor),
          behind(candidate.parentElement),
        );
      }
      return out;
    });
    expect(ratios.candidate).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: 'Review my ballot' }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const buttonRatio = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]: number[]) =>
        [r!, g!, b!]
          .map((v) => v / 255)
          .map((s) => (s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4))
          .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i]!, 0);
      const bg = rgb(getComputedStyle(document.body).backgroundColor);
      const [x, y] = [lum(rgb(getComputedStyle(el).outlineColor)), lum(bg)].sort((p, q) => q - p);
      return (x! + 0.05) / (y! + 0.05);
    });
    expect(buttonRatio).toBeGreaterThanOrEqual(3);
  });
});

describe('abstain', () => {
  it('lets a voter abstain where the builder offers it, and results count abstained and blank', async () => {
    const e = await openNewElection(admin, {
      positions: [chair({ allowAbstain: true }), council(['Alan', 'Barbara', 'Carl'])],
    });
    const page = await open();
    await page.goto(`/vote/${e.joinCode}`);
    const chairGroup = page.getByRole('group', { name: /chair/i });
    await chairGroup.getByRole('radio', { name: /Abstain/ }).check();
    expect(
      await page
        .getByRole('group', { name: /council/i })
        .getByText('Abstain')
        .count(),
    ).toBe(0);
    await page.getByRole('button', { name: 'Review my ballot' }).click();
    expect(await page.locator('.review-list').innerText()).toContain('Abstained');
    await page.getByRole('checkbox', { name: /submit it anyway/ }).check();
    await page.getByRole('button', { name: 'Submit my ballot' }).click();
    await page.getByTestId('receipt-code').waitFor();
    const r = await results(e);
    const [c, k] = r.positions;
    expect([c!.abstained, c!.blank, k!.abstained, k!.blank]).toEqual([1, 0, 0, 1]);
    const counts = page.locator(
      `[data-testid="position-counts"][data-position="${e.positions[0]!.id}"]`,
    );
    await counts.getByTestId('abstained').filter({ hasText: '1' }).waitFor();
  });

  it('is a setting of each position in the builder', async () => {
    const page = await open();
    await signInInBrowser(page);
    await page.getByRole('button', { name: /New election/ }).click();
    await page.locator('#f-title').fill('Abstain builder check');
    await page.locator('#f-positions-0-title').fill('Treasurer');
    await page.locator('#f-positions-0-candidates-0-name').fill('Ann');
    await page.locator('#f-positions-0-candidates-1-name').fill('Ben');
    await page.getByTestId('allow-abstain').first().check();
    await page.getByRole('button', { name: 'Save election' }).click();
    await page.getByTestId('admin-join-code').waitFor();
    const code = (await page.getByTestId('admin-join-code').innerText()).trim();
    const res = await fetch(`${getStack().baseUrl}/api/elections/by-code/${code}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const saved = (await res.json()) as Election;
    expect(saved.positions[0]!.allowAbstain).toBe(true);
  });
});

describe('admin pages on a phone', () => {
  it('fit 390 px, count participation in voters and do not call a closed election open', async () => {
    const e = await openNewElection(admin, {
      title: 'Student council general election of the College of Engineering 2025',
      positions: [council(['Alan', 'Barbara', 'Carl'])],
    });
    // One voter picks two council members: one participant, two votes.
    const { voterToken } = (await (
      await fetch(`${getStack().baseUrl}/api/voters`, { method: 'POST' })
    ).json()) as { voterToken: string };
    const [alan, barbara] = e.positions[0]!.candidates;
    await fetch(`${getStack().baseUrl}/api/elections/${e.id}/ballots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${voterToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ selections: { [e.positions[0]!.id]: [alan!.id, barbara!.id] } }),
    });
    await closeElection(admin, e.id);

    const page = await open(phone);
    await signInInBrowser(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.goto(`/admin?election=${e.id}`);
    await page.getByTestId('monitor').waitFor();
    await page.getByTestId('participation-row').filter({ hasText: '1 of 1' }).waitFor();
    expect(await page.getByTestId('admin-access').innerText()).not.toMatch(/^Open: anyone/);
    await page.getByTestId('final-results').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  });
});

describe('times and languages', () => {
  it('shows when a scheduled election opens and closes, in the viewer time zone with its name', async () => {
    const opensAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const closesAt = new Date(Date.now() + 4 * 86_400_000).toISOString();
    const created = await createElection(admin, { opensAt, closesAt });
    const e = await scheduleElection(admin, created.id);
    const page = await open(phone, { timezoneId: 'Asia/Manila' });
    await page.goto(`/vote/${e.joinCode}`);
    const opens = page.getByTestId('opens-at');
    await opens.waitFor();
    expect(await opens.innerText()).toContain('Philippine Standard Time');
    expect(await page.getByTestId('closes-at').innerText()).toContain('Philippine Standard Time');
    await page.getByTestId('language-switch').selectOption('es');
    expect(await opens.innerText()).toMatch(/^Abre: .*hora (estándar )?de Filipinas/i);
  });

  it('switches every page to Filipino or Spanish, remembered, with <html lang>', async () => {
    const e = await openNewElection(admin, {
      positions: [chair({ allowAbstain: true }), council(['Alan', 'Barbara', 'Carl'])],
    });
    const page = await open(phone);
    await page.goto('/');
    await page.getByTestId('language-switch').selectOption('fil');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fil');
    await page.getByRole('heading', { name: 'Sumali sa botohan' }).waitFor();
    await page.goto(`/vote/${e.joinCode}`);
    await page.getByRole('button', { name: 'Suriin ang aking balota' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fil');
    await page.getByRole('group', { name: /chair/i }).getByRole('radio', { name: 'Ada' }).check();
    await page.getByTestId('results').getByTestId('tally').first().waitFor();
    await page.screenshot({ path: path.join(shots, 'ballot-phone-fil.png') });

    await page.goto(`/board/${e.id}`);
    await page.getByTestId('language-switch').selectOption('es');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await page.goto('/receipt');
    await page.getByRole('heading', { name: 'Verificar un comprobante' }).waitFor();
  });
});
