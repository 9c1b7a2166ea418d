/// <reference lib="dom" />
// The presenter's board and the results a room sees, in Chromium against the three-node stack:
// the tie rule, badges that survive truncation, a board that fits 1920×1080 and 1280×720 with 1
// to 40 candidates and long names, presenter controls (curtain, winners slide, join code), the
// visibility rule in an admin's browser, the receipt check and the read-only edit screen.
// Screenshots go to docs/screenshots/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { Election, PositionInput, Results, Selections } from '@tallyboard/shared';
import { getStack } from '../../server/test/support';
import {
  closeElection,
  openNewElection,
  signInAdmin,
  type AdminSession,
  type ElectionSpec,
} from '../../server/test/support/elections';

jest.setTimeout(180_000);

const shots = path.resolve(__dirname, '../../docs/screenshots');
const FULL_HD = { width: 1920, height: 1080 };
const HD = { width: 1280, height: 720 };

let browser: Browser;
let admin: AdminSession;
const contexts: BrowserContext[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
  admin = await signInAdmin(getStack());
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

async function open(label: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: getStack().baseUrl });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`[${label}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`[${label}] page error: ${err.message}`));
  page.on('dialog', (d) => void d.accept());
  return page;
}

/** A page whose browser is signed in as the stack's admin, through the sign-in form. */
async function openAsAdmin(label: string, viewport: { width: number; height: number }) {
  const page = await open(label, viewport);
  const { admin: login } = getStack();
  await page.goto('/admin');
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /new election/i }).waitFor();
  return page;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function castAnonymous(election: Election, selections: Selections): Promise<string> {
  const { baseUrl } = getStack();
  const { voterToken } = (await (
    await fetch(`${baseUrl}/api/voters`, { method: 'POST' })
  ).json()) as { voterToken: string };
  const res = await fetch(`${baseUrl}/api/elections/${election.id}/ballots`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${voterToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ selections }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { receipt: string }).receipt;
}

/** Ballots for the first position: `votes[i]` ballots for candidate i. */
async function castVotes(election: Election, votes: number[]): Promise<void> {
  const position = election.positions[0]!;
  for (const [i, n] of votes.entries()) {
    for (let k = 0; k < n; k++) {
      await castAnonymous(election, { [position.id]: [position.candidates[i]!.id] });
    }
  }
}

function position(title: string, names: string[], winners = 1): PositionInput {
  return {
    title,
    maxSelections: winners,
    winners,
    candidates: names.map((name) => ({ name })),
  };
}

async function election(spec: ElectionSpec): Promise<Election> {
  return openNewElection(admin, { access: 'open', resultsVisibility: 'live', ...spec });
}

async function results(e: Election): Promise<Results> {
  const res = await fetch(`${getStack().baseUrl}/api/elections/${e.id}/results`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  return (await res.json()) as Results;
}

async function boardAt(page: Page, e: Election, ballots: number) {
  await page.goto(`/board/${e.id}`);
  await until(
    `board shows ${ballots} ballots`,
    async () => (await page.getByTestId('board-ballots').textContent())?.trim() === String(ballots),
  );
  await page.waitForTimeout(700); // bars and numbers finish their animation
}

interface RowBox {
  name: string;
  shown: string;
  overflows: boolean;
  top: number;
  bottom: number;
  left: number;
  right: number;
  badge: { text: string; visible: boolean; insideRow: boolean } | null;
  photo: number;
}

/** What the board shows of each candidate row: box, name as rendered, badge. */
function rows(page: Page): Promise<RowBox[]> {
  return page.$$eval('[data-testid="bar-row"]', (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const text = el.querySelector<HTMLElement>('.bar-name-text')!;
      const badge = el.querySelector<HTMLElement>('.badge');
      const b = badge?.getBoundingClientRect();
      const photo = el.querySelector<HTMLElement>('.photo')?.getBoundingClientRect();
      return {
        name: el.getAttribute('data-candidate') ?? '',
        shown: text.textContent ?? '',
        overflows: text.scrollWidth > text.clientWidth + 1,
        top: r.top,
        bottom: r.bottom,
        left: r.left,
        right: r.right,
        badge:
          badge && b
            ? {
                text: badge.textContent ?? '',
                visible: b.width > 0 && getComputedStyle(badge).visibility !== 'hidden',
                insideRow: b.left >= r.left - 1 && b.right <= r.right + 1,
              }
            : null,
        photo: photo?.height ?? 0,
      };
    }),
  );
}

/** Every row inside the screen, names all different as rendered and none cut by CSS. */
async function expectFits(page: Page, viewport: { width: number; height: number }) {
  const all = await rows(page);
  expect(all.length).toBeGreaterThan(0);
  for (const r of all) {
    expect(r.top).toBeGreaterThanOrEqual(0);
    expect(r.bottom).toBeLessThanOrEqual(viewport.height);
    expect(r.left).toBeGreaterThanOrEqual(0);
    expect(r.right).toBeLessThanOrEqual(viewport.width);
    expect(r.overflows).toBe(false);
  }
  expect(new Set(all.map((r) => r.shown)).size).toBe(all.length);
  // No scrollbar: the page is exactly one screen.
  const scroll = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(scroll).toBeLessThanOrEqual(viewport.height);
  return all;
}

const longName = (i: number) =>
  `Council candidate number ${i} of the Faculty of Engineering and Natural Sciences, ${'standing for the student assembly '.slice(0, 120 - 90)}`
    .padEnd(120, 'x')
    .slice(0, 120);

test('ties: only the group across the last seat is a tie, and 0 ballots name no winner', async () => {
  // 1 seat: Alice 1, Bob 0, Carol 0 — Alice wins, nobody ties.
  const one = await election({ candidates: ['Alice', 'Bob', 'Carol'] });
  await castVotes(one, [1, 0, 0]);
  await closeElection(admin, one.id);
  const r = await results(one);
  expect(r.positions[0]!.candidates.map((c) => [c.winner, c.tied])).toEqual([
    [true, false],
    [false, false],
    [false, false],
  ]);
  const page = await open('ties', FULL_HD);
  await boardAt(page, one, 1);
  await page.locator('.final-banner').waitFor();
  let shown = await rows(page);
  expect(shown.map((x) => x.badge?.text ?? null)).toEqual(['Winner', null, null]);
  expect(await page.locator('.tie-note').count()).toBe(0);

  // 0 ballots: no winner, no tie, and the board says why.
  const none = await election({ candidates: ['Alice', 'Bob', 'Carol'] });
  await closeElection(admin, none.id);
  await boardAt(page, none, 0);
  await page.getByTestId('no-ballots').filter({ hasText: 'No ballots were cast' }).waitFor();
  expect(await page.locator('.badge').count()).toBe(0);

  // 2 seats: the leader wins, the two long-named runners-up tie across the last seat, and both
  // keep their Tie badge however long their names.
  const two = await election({
    title: 'Student council 2025: faculty representatives',
    positions: [
      position(
        'Faculty representatives',
        [
          'Grace Hopper',
          'Katherine Johnson of the Langley Research Center West Area Computing Unit',
          'Dorothy Vaughan of the Langley Research Center West Area Computing Unit',
          'Mary Jackson',
        ],
        2,
      ),
    ],
  });
  await castVotes(two, [5, 3, 3, 1]);
  await closeElection(admin, two.id);
  const r2 = await results(two);
  expect(r2.positions[0]!.candidates.map((c) => [c.winner, c.tied])).toEqual([
    [true, false],
    [false, true],
    [false, true],
    [false, false],
  ]);
  await boardAt(page, two, 12);
  await page.locator('.badge-tie').first().waitFor();
  shown = await rows(page);
  expect(shown.map((x) => x.badge?.text ?? null)).toEqual(['Winner', 'Tie', 'Tie', null]);
  for (const x of shown)
    if (x.badge) expect(x.badge).toMatchObject({ visible: true, insideRow: true });
  await page.screenshot({ path: path.join(shots, 'board-tie.png') });

  // On a phone, the cut name keeps its badge beside it.
  const phone = await open('phone', { width: 390, height: 844 });
  await phone.goto(`/vote/${two.joinCode}`);
  const row = phone
    .getByTestId('results')
    .locator('[data-testid="bar-row"]', { hasText: 'Katherine Johnson' });
  await row.locator('.badge-tie').waitFor();
  const box = await row.locator('.badge-tie').boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(390);
  expect(await row.locator('.badge-tie').isVisible()).toBe(true);
  expect(consoleErrors).toEqual([]);
});

test('the board fits 1920×1080 and 1280×720 with 1 to 40 candidates and 120-character names', async () => {
  const sizes = [1, 3, 12, 25, 40];
  const e = await election({
    title:
      'General assembly of the Federation of Student Councils of the Southern Region: officers and committee',
    positions: sizes.map((n) =>
      position(
        `${n} candidates`,
        Array.from({ length: n }, (_, i) => (n >= 25 ? longName(i + 1) : `Candidate ${i + 1}`)),
        Math.min(3, n),
      ),
    ),
  });
  const selections = Object.fromEntries(
    e.positions.map((p) => [
      p.id,
      p.candidates.slice(0, Math.min(3, p.candidates.length)).map((c) => c.id),
    ]),
  );
  await castAnonymous(e, selections);
  for (const viewport of [FULL_HD, HD]) {
    const page = await open(`fit-${viewport.width}`, viewport);
    await boardAt(page, e, 1);
    for (const [i, n] of sizes.entries()) {
      if (i > 0) await page.keyboard.press('ArrowRight');
      await page.getByRole('heading', { name: `${n} candidates` }).waitFor();
      await page.waitForTimeout(300);
      const all = await expectFits(page, viewport);
      const label = page.getByTestId('board-page');
      if (all.length < n) {
        // Paged: "1-20 of 40", and the next page comes by itself.
        expect((await label.textContent())?.trim()).toBe(`1-${all.length} of ${n}`);
        await until(
          'the next page',
          async () => (await label.textContent())?.trim() === `${all.length + 1}-${n} of ${n}`,
          12_000,
        );
        await expectFits(page, viewport);
      } else {
        expect(all.length).toBe(n);
      }
      if (n === 3) {
        // Three candidates fill the board: no empty bottom quarter, photos large.
        const last = all[all.length - 1]!;
        expect(last.bottom).toBeGreaterThan(viewport.height * 0.75);
        expect(all[0]!.photo).toBeGreaterThanOrEqual(viewport.height * 0.1);
      }
      if (n === 40 && viewport === FULL_HD) {
        await page.screenshot({ path: path.join(shots, 'board-40.png') });
      }
    }
  }
  expect(consoleErrors).toEqual([]);
});

test('presenter controls: curtain, winners slide, join code after close, hidden until the pointer moves', async () => {
  const e = await election({
    title: 'Robotics club board',
    positions: [
      position('Chair', ['Ada Lovelace', 'Alan Turing']),
      position('Council', ['Grace Hopper', 'Barbara Liskov', 'Edsger Dijkstra'], 2),
    ],
  });
  const [chair, council] = e.positions as [Election['positions'][0], Election['positions'][0]];
  await castAnonymous(e, {
    [chair.id]: [chair.candidates[0]!.id],
    [council.id]: [council.candidates[0]!.id, council.candidates[1]!.id],
  });
  await castAnonymous(e, {
    [chair.id]: [chair.candidates[0]!.id],
    [council.id]: [council.candidates[0]!.id],
  });
  const page = await open('controls', FULL_HD);
  await boardAt(page, e, 2);
  const controls = page.getByTestId('board-controls');
  const opacity = () => controls.evaluate((el) => Number(getComputedStyle(el).opacity));
  await page.waitForTimeout(400);
  expect(await opacity()).toBe(0);
  await page.mouse.move(400, 400);
  await page.mouse.move(420, 420);
  await until('controls shown', async () => (await opacity()) === 1);

  // The curtain: bars go, turnout and QR stay; H brings them back.
  await page.keyboard.press('h');
  await page.getByTestId('board-curtain').waitFor();
  expect(await page.getByTestId('bar-row').count()).toBe(0);
  expect(await page.getByTestId('board-join').isVisible()).toBe(true);
  expect((await page.getByTestId('board-ballots').textContent())?.trim()).toBe('2');
  await until('controls hidden again', async () => (await opacity()) === 0, 6000);
  await page.screenshot({ path: path.join(shots, 'board-curtain.png') });
  await page.keyboard.press('h');
  await page.getByTestId('bar-row').first().waitFor();

  // Close: the QR goes away by default, Q brings it back; W shows the winners slide.
  await closeElection(admin, e.id);
  await page.locator('.final-banner').waitFor({ timeout: 15_000 });
  await until(
    'join code hidden after close',
    async () => (await page.getByTestId('board-join').count()) === 0,
  );
  await page.keyboard.press('q');
  await page.getByTestId('board-code').filter({ hasText: e.joinCode }).waitFor();
  await page.keyboard.press('q');
  await page.keyboard.press('w');
  const slide = page.getByTestId('winners-slide');
  await slide.waitFor();
  expect(await slide.getByTestId('winners-winner').allTextContents()).toEqual([
    expect.stringContaining('Ada Lovelace'),
    expect.stringContaining('Grace Hopper'),
    expect.stringContaining('Barbara Liskov'),
  ]);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shots, 'board-winners.png') });
  await page.keyboard.press('w');
  await page.getByTestId('bar-row').first().waitFor();
  expect(consoleErrors).toEqual([]);
});

test("an admin_only board in an admin's browser stays hidden until the presenter reveals it", async () => {
  const e = await election({ resultsVisibility: 'admin_only', candidates: ['Ada', 'Grace'] });
  await castVotes(e, [2, 1]);
  const page = await openAsAdmin('admin-board', FULL_HD);
  await page.goto(`/board/${e.id}`);
  await page.getByTestId('board-curtain').waitFor();
  await until(
    'ballots known',
    async () => (await page.getByTestId('board-ballots').textContent())?.trim() === '3',
  );
  expect(await page.getByTestId('bar-row').count()).toBe(0);
  await page.keyboard.press('h');
  await page.getByTestId('bar-row').first().waitFor();
  expect(await page.getByTestId('bar-row').count()).toBe(2);
  expect(consoleErrors).toEqual([]);
});

test('the receipt check says when no ballot has a receipt, and accepts one typed loosely', async () => {
  const e = await election({ candidates: ['Ada', 'Grace'] });
  const chair = e.positions[0]!;
  const receipt = await castAnonymous(e, { [chair.id]: [chair.candidates[0]!.id] });
  const page = await open('receipt', { width: 1280, height: 800 });
  const check = async (typed: string) => {
    await page.goto('/receipt');
    await page.getByLabel('Election join code').fill(e.joinCode.toLowerCase());
    await page.getByLabel('Receipt code').fill(typed);
    await page.getByRole('button', { name: 'Check' }).click();
    const outcome = page.getByTestId('receipt-outcome');
    await outcome.locator('.notice').waitFor();
    return (await outcome.textContent()) ?? '';
  };
  expect(await check('AAAA-BBBB-CCCC-DDDD')).toContain(
    'No ballot in this election has this receipt',
  );
  await page.screenshot({ path: path.join(shots, 'receipt-unknown.png') });
  const loose = ` ${receipt
    .replace(/-/g, '')
    .toLowerCase()
    .replace(/(.{4})/, '$1 ')} `;
  expect(await check(loose)).toContain('Confirmed: this ballot is in the count.');
  expect(await check(receipt.replace(/-/g, ''))).toContain('Confirmed');
  // Chromium logs no error for a 200 answer; the unknown receipt is a 200 with counted: false.
  expect(consoleErrors).toEqual([]);
});

test('the edit screen of an open election is read-only and says why', async () => {
  const e = await election({ candidates: ['Ada', 'Grace'] });
  const page = await openAsAdmin('edit', { width: 1280, height: 900 });
  await page.goto(`/admin?election=${e.id}&mode=edit`);
  const reason = page.getByTestId('readonly-reason');
  await reason.waitFor();
  expect(await reason.textContent()).toContain('Open: this election can no longer be edited.');
  expect(await reason.textContent()).toContain('Only a draft can be edited');
  const title = page.locator('.readonly-builder input').first();
  expect(await title.isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: 'Save election' }).isDisabled()).toBe(true);
  expect(consoleErrors).toEqual([]);
});
