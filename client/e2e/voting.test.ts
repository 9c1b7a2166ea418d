// The whole product in a real browser against the real three-node stack behind nginx: an admin
// builds and opens an election, three voters in separate browsers vote, the board follows live
// and shows winners after close, a voter's receipt survives a reload and checks out. Screenshots
// go to docs/screenshots/. Any console error in any page fails the test.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser';
import type { Election, Selections } from '@tallyboard/shared';
import { getStack } from '../../server/test/support';
import {
  openNewElection,
  signInAdmin,
  type AdminSession,
  type ElectionSpec,
} from '../../server/test/support/elections';

jest.setTimeout(180_000);

const shots = path.resolve(__dirname, '../../docs/screenshots');

interface Tracked {
  page: Page;
  context: BrowserContext;
  /** X-Served-By of every API and Socket.IO response this page received. */
  nodes: Set<string>;
  socketNodes: Set<string>;
}

let browser: Browser;
const consoleErrors: string[] = [];
const contexts: BrowserContext[] = [];

async function open(label: string, viewport = { width: 1280, height: 900 }): Promise<Tracked> {
  const context = await browser.newContext({ viewport, baseURL: getStack().baseUrl });
  contexts.push(context);
  const page = await context.newPage();
  const nodes = new Set<string>();
  const socketNodes = new Set<string>();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`[${label}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`[${label}] page error: ${err.message}`));
  page.on('dialog', (d) => void d.accept());
  page.on('response', (res) => {
    const node = res.headers()['x-served-by'];
    if (!node) return;
    nodes.add(node);
    if (res.url().includes('/socket.io/')) socketNodes.add(node);
  });
  return { page, context, nodes, socketNodes };
}

const t0 = Date.now();
/** Progress lines, to see where a slow run spends its time. */
function step(what: string): void {
  console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const text = async (l: Locator): Promise<string> => ((await l.textContent()) ?? '').trim();

function barRow(page: Page, candidate: string): Locator {
  return page.locator(`[data-testid="bar-row"][data-candidate="${candidate}"]`).first();
}

async function votesOf(page: Page, candidate: string): Promise<number> {
  return Number(await barRow(page, candidate).getAttribute('data-votes'));
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

interface Choice {
  chair: string;
  council: string[];
}

async function vote(
  voter: Tracked,
  joinCode: string,
  choice: Choice,
  screenshot?: string,
): Promise<string> {
  const { page } = voter;
  await page.goto(`/vote/${joinCode}`);
  const chair = page.getByRole('group', { name: /chair/i });
  const council = page.getByRole('group', { name: /council/i });
  await chair.getByRole('radio', { name: choice.chair }).check();
  for (const name of choice.council) await council.getByRole('checkbox', { name }).check();
  await page.getByTestId('connection').filter({ hasText: 'Live' }).waitFor();
  if (screenshot) {
    await page.getByTestId('results').getByTestId('tally').first().waitFor();
    await page.screenshot({ path: path.join(shots, screenshot), fullPage: true });
  }
  await page.getByRole('button', { name: 'Review my ballot' }).click();
  await page.getByRole('heading', { name: 'Review your ballot' }).waitFor();
  await page.getByRole('button', { name: 'Submit my ballot' }).click();
  const receipt = page.getByTestId('receipt-code');
  await receipt.waitFor({ timeout: 15_000 });
  return text(receipt);
}

/** As the admin, through the API: an election made from `spec` and opened. */
async function openElectionViaApi(
  spec: ElectionSpec,
): Promise<{ election: Election; admin: AdminSession }> {
  const admin = await signInAdmin(getStack());
  return { election: await openNewElection(admin, spec), admin };
}

/** A ballot from a fresh anonymous voter, through the API (outside any browser). */
async function castAnonymous(election: Election, selections: Selections): Promise<void> {
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
}

/** The one-seat position the smaller elections here share. */
const chairOfTwo = {
  title: 'Chair',
  maxSelections: 1,
  winners: 1,
  candidates: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }],
};

test('an election from builder to winners, in real browsers on the three-node stack', async () => {
  const stack = getStack();

  // Admin: sign in, build the election in the UI (a validation message first), open it.
  const admin = await open('admin', { width: 1440, height: 1000 });
  const a = admin.page;
  await a.goto('/admin');
  await a.getByLabel('Email').fill(stack.admin.email);
  await a.getByLabel('Password').fill(stack.admin.password);
  await a.getByRole('button', { name: 'Sign in' }).click();
  await a.getByRole('button', { name: /new election/i }).click();
  await a.getByRole('button', { name: 'Save election' }).click();
  await a.getByTestId('field-error').first().waitFor();
  expect(await a.locator('#f-title').getAttribute('aria-invalid')).toBe('true');

  await a.locator('#f-title').fill('Robotics club board 2025');
  await a.locator('#f-description').fill('Annual election of the club board.');
  await a.locator('#f-positions-0-title').fill('Chair');
  await a.locator('#f-positions-0-candidates-0-name').fill('Ada Lovelace');
  await a.locator('#f-positions-0-candidates-0-description').fill('Wrote the first program.');
  await a.locator('#f-positions-0-candidates-1-name').fill('Alan Turing');
  await a.locator('#f-positions-0-candidates-1-description').fill('Cracked Enigma.');
  await a.getByRole('button', { name: /add position/i }).click();
  await a.locator('#f-positions-1-title').fill('Council');
  await a.locator('#f-positions-1-maxSelections').fill('2');
  await a.locator('#f-positions-1-winners').fill('2');
  await a.locator('#f-positions-1-candidates-0-name').fill('Barbara Liskov');
  await a.locator('#f-positions-1-candidates-1-name').fill('Grace Hopper');
  await a
    .getByTestId('builder-position')
    .nth(1)
    .getByRole('button', { name: /add candidate/i })
    .click();
  await a.locator('#f-positions-1-candidates-2-name').fill('Edsger Dijkstra');
  // Reorder: Grace Hopper moves to the top of the council list.
  await a.getByRole('button', { name: 'Move Grace Hopper up' }).click();
  expect(await a.locator('#f-positions-1-candidates-0-name').inputValue()).toBe('Grace Hopper');
  await a.getByRole('button', { name: 'Save election' }).click();

  await a.getByTestId('admin-join-code').waitFor();
  const joinCode = await text(a.getByTestId('admin-join-code'));
  const electionId = new URL(a.url()).searchParams.get('election');
  expect(joinCode).toMatch(/^[A-Za-z0-9]{4,12}$/);
  expect(electionId).toBeTruthy();
  await a.getByRole('button', { name: 'Open now' }).click();
  await a.getByTestId('admin-status').filter({ hasText: 'Open' }).waitFor();

  step('admin built and opened');
  // The board, projected at 1080p in its own browser.
  const board = await open('board', { width: 1920, height: 1080 });
  const b = board.page;
  await b.goto(`/board/${electionId}`);
  await b.getByTestId('board-code').filter({ hasText: joinCode }).waitFor();
  await until('board joined', async () => (await text(b.getByTestId('board-ballots'))) === '0');

  step('board joined');
  // Three voters in separate browsers.
  const voters = [await open('voter-1'), await open('voter-2'), await open('voter-3')];
  const receipts = [
    await vote(
      voters[0]!,
      joinCode,
      { chair: 'Ada Lovelace', council: ['Grace Hopper', 'Edsger Dijkstra'] },
      'ballot.png',
    ),
    await vote(voters[1]!, joinCode, { chair: 'Ada Lovelace', council: ['Grace Hopper'] }),
    await vote(voters[2]!, joinCode, {
      chair: 'Alan Turing',
      council: ['Grace Hopper', 'Barbara Liskov'],
    }),
  ];
  expect(new Set(receipts).size).toBe(3);

  step('voters voted');
  // They reached different nodes (nginx: least-conn for the API, sticky per tab for sockets).
  const served = new Set(voters.flatMap((v) => [...v.nodes]));
  console.log(
    'voters served by',
    voters.map((v) => ({ api: [...v.nodes], socket: [...v.socketNodes] })),
  );
  expect(served.size).toBeGreaterThanOrEqual(2);

  // The board follows without a reload: final counts for both positions.
  await until(
    'board shows 3 ballots',
    async () => (await text(b.getByTestId('board-ballots'))) === '3',
  );
  await until(
    'chair counts',
    async () => (await votesOf(b, 'Ada Lovelace')) === 2 && (await votesOf(b, 'Alan Turing')) === 1,
  );
  await b.keyboard.press('ArrowRight');
  await until(
    'council counts',
    async () =>
      (await votesOf(b, 'Grace Hopper')) === 3 &&
      (await votesOf(b, 'Edsger Dijkstra')) === 1 &&
      (await votesOf(b, 'Barbara Liskov')) === 1,
  );
  await b.keyboard.press('ArrowLeft');
  await until('chair again', async () => (await barRow(b, 'Ada Lovelace').count()) === 1);
  await b.waitForTimeout(800); // let the bars and numbers finish animating
  await b.screenshot({ path: path.join(shots, 'board-live.png') });

  step('board counted');
  // The admin monitor shows the same, plus participation.
  await until(
    'monitor shows 3 ballots',
    async () => (await text(a.getByTestId('monitor-ballots'))) === '3',
  );
  await a.waitForTimeout(800);
  await a.screenshot({ path: path.join(shots, 'admin-monitor.png'), fullPage: true });

  step('monitor counted');
  // Close: the board marks winners and the tie without a reload.
  await a.getByRole('button', { name: 'Close now' }).click();
  await a.getByTestId('admin-status').filter({ hasText: 'Closed' }).waitFor();
  await b.locator('.final-banner').waitFor({ timeout: 15_000 });
  await until(
    'chair winner on the board',
    async () => (await barRow(b, 'Ada Lovelace').locator('.badge-winner').count()) === 1,
  );
  await b.waitForTimeout(800);
  await b.screenshot({ path: path.join(shots, 'board.png') });
  await b.keyboard.press('ArrowRight');
  await until(
    'council winner and tie',
    async () =>
      (await barRow(b, 'Grace Hopper').locator('.badge-winner').count()) === 1 &&
      (await barRow(b, 'Edsger Dijkstra').locator('.badge-tie').count()) === 1,
  );
  await b.keyboard.press('t');
  await b.waitForTimeout(400);
  await b.screenshot({ path: path.join(shots, 'board-light.png') });

  step('board final');
  // Final results and audit in the admin console.
  await a.getByTestId('final-results').waitFor();
  await a.getByRole('button', { name: 'Audit recount' }).click();
  await a
    .getByTestId('audit')
    .filter({ hasText: 'Recount matches the counters: 3 ballots' })
    .waitFor();
  await a.screenshot({ path: path.join(shots, 'admin-final.png'), fullPage: true });

  step('audit done');
  // A voter who reloads sees the receipt, and the receipt page confirms it.
  const v1 = voters[0]!.page;
  await v1.reload();
  await v1.getByTestId('receipt-code').filter({ hasText: receipts[0]! }).waitFor();
  await v1.getByRole('link', { name: 'Check this receipt' }).click();
  await v1.getByTestId('receipt-outcome').filter({ hasText: 'Confirmed' }).waitFor();

  step('receipt confirmed');
  // A phone-sized ballot view, for the README.
  const phone = await open('phone', { width: 360, height: 740 });
  await phone.page.goto(`/vote/${joinCode}`);
  await phone.page.getByText('Voting has ended.').waitFor();
  await phone.page.getByTestId('results').getByText('Winner').first().waitFor();
  await phone.page.screenshot({ path: path.join(shots, 'phone-closed.png'), fullPage: true });

  expect(consoleErrors).toEqual([]);
}, 300_000);

test('an accounts election asks the voter to create an account, then takes the ballot', async () => {
  const { baseUrl } = getStack();
  const { election, admin } = await openElectionViaApi({
    title: 'Members only',
    access: 'accounts',
    resultsVisibility: 'live',
    positions: [
      chairOfTwo,
      {
        title: 'Council',
        maxSelections: 2,
        winners: 2,
        candidates: [
          { name: 'Grace Hopper' },
          { name: 'Barbara Liskov' },
          { name: 'Edsger Dijkstra' },
        ],
      },
    ],
  });

  const member = await open('member');
  const m = member.page;
  await m.goto(`/vote/${election.joinCode}`);
  await m.getByText('This election is for registered voters.').waitFor();
  // Signed out, the page learns from the lobby that it must ask for a sign-in: no refused
  // request, so nothing in the console (Chromium logs every 4xx response as an error).
  await m.getByRole('heading', { name: election.title }).waitFor();
  expect(consoleErrors).toEqual([]);
  await m.getByRole('button', { name: 'No account yet? Create one' }).click();
  await m.getByLabel('Your name').fill('Margaret Hamilton');
  await m.getByLabel('Email').fill(`member-${Date.now()}@example.test`);
  await m.getByLabel('Password').fill('apollo-guidance-11');
  await m.getByRole('button', { name: 'Create an account' }).click();
  // Signed in: the ballot replaces the form; it is still there after a reload (vote() reloads).
  await m.getByRole('button', { name: 'Review my ballot' }).waitFor();

  const receipt = await vote(member, election.joinCode, {
    chair: 'Alan Turing',
    council: ['Grace Hopper'],
  });
  expect(receipt).toMatch(/\S/);
  const results = (await (
    await fetch(`${baseUrl}/api/elections/${election.id}/results`, {
      headers: { authorization: `Bearer ${admin.token}` },
    })
  ).json()) as { ballots: number };
  expect(results.ballots).toBe(1);
  expect(consoleErrors).toEqual([]);
});

test('the board stays legible with 10 positions of 30 candidates', async () => {
  const positions = Array.from({ length: 10 }, (_, p) => ({
    title: `Committee seat ${p + 1}`,
    maxSelections: 3,
    winners: 3,
    candidates: Array.from({ length: 30 }, (_, c) => ({
      name: `Candidate ${p + 1}-${c + 1} Longname`,
    })),
  }));
  const { election } = await openElectionViaApi({
    title: 'Large assembly',
    access: 'open',
    resultsVisibility: 'live',
    positions,
  });

  // A few ballots from anonymous voters so the bars differ.
  for (let v = 0; v < 6; v++) {
    const selections = Object.fromEntries(
      election.positions.map((p, i) => [
        p.id,
        p.candidates.slice((v * 3 + i) % 25, ((v * 3 + i) % 25) + 1 + (v % 3)).map((c) => c.id),
      ]),
    );
    await castAnonymous(election, selections);
  }

  const board = await open('board-large', { width: 1920, height: 1080 });
  const b = board.page;
  await b.goto(`/board/${election.id}`);
  await until(
    'large board counts',
    async () => (await text(b.getByTestId('board-ballots'))) === '6',
  );
  expect(await b.getByTestId('bar-row').count()).toBe(30);
  // Every row of the position fits on the 1080p screen, without scrolling.
  const last = await b.getByTestId('bar-row').last().boundingBox();
  expect(last && last.y + last.height).toBeLessThanOrEqual(1080);
  for (let i = 0; i < 9; i++) await b.keyboard.press('ArrowRight');
  await b.getByRole('heading', { name: 'Committee seat 10' }).waitFor();
  await b.waitForTimeout(800);
  await b.screenshot({ path: path.join(shots, 'board-large.png') });
  expect(consoleErrors).toEqual([]);
});

test('a voter who loses the network sees it, keeps the ballot, and catches up when back', async () => {
  const { election } = await openElectionViaApi({
    title: `Offline ${Date.now()}`,
    access: 'open',
    resultsVisibility: 'live',
    positions: [chairOfTwo],
  });
  const voter = await open('offline');
  const { page, context } = voter;
  const badge = page.getByTestId('connection');
  await page.goto(`/vote/${election.joinCode}`);
  await badge.filter({ hasText: 'Live' }).waitFor();
  await page.getByRole('radio', { name: 'Alan Turing' }).check();

  await context.setOffline(true);
  await badge.filter({ hasText: 'Offline' }).waitFor();
  step('offline shown');
  // Someone else votes meanwhile (from outside this browser).
  const chair = election.positions[0]!;
  await castAnonymous(election, { [chair.id]: [chair.candidates[0]!.id] });

  await context.setOffline(false);
  await badge.filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  step('live again');
  // The re-join's snapshot brings the ballot cast while away; the choice made before is kept.
  await until(
    'the tally cast while offline',
    async () => (await votesOf(page, 'Ada Lovelace')) === 1,
  );
  await expect(page.getByRole('radio', { name: 'Alan Turing' }).isChecked()).resolves.toBe(true);
  // A reconnect attempt that falls in the offline window fails, and Chromium logs that
  // (ERR_INTERNET_DISCONNECTED); nothing else may be logged. Usually there is none at all.
  expect(consoleErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  consoleErrors.length = 0;
});
