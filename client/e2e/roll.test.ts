/// <reference lib="dom" />
// Issue 10, a `roll` election in Chromium against the three-node stack: an admin imports the roll
// from a CSV file (duplicates reported before sending), issues the ballot codes and opens the
// printable slips (the print preview is the screenshot); a voter opens a slip's link and votes;
// a second device with the same code is refused with a clear message; turnout is against the roll.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { getStack } from '../../server/test/support';
import { requestJson } from '../../server/test/support/http';
import {
  createElection,
  openElection,
  signInAdmin,
  type AdminSession,
} from '../../server/test/support/elections';

jest.setTimeout(180_000);

const shots = path.resolve(__dirname, '../../docs/screenshots');
/** A4 at the 96 px per inch Chromium prints with. */
const A4 = { width: 794, height: 1123 };

let browser: Browser;
let admin: AdminSession;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function open(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: getStack().baseUrl });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('dialog', (d) => void d.accept());
  return page;
}

/** The admin console, signed in through its own form. */
async function signInConsole(page: Page): Promise<void> {
  const { admin: account } = getStack();
  await page.goto('/admin');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Elections' }).waitFor();
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
  admin = await signInAdmin(getStack());
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
});

it('imports a roll from CSV, prints the slips, and a slip votes once whatever the device', async () => {
  const stack = getStack();
  const election = await createElection(admin, {
    title: 'Student council 2026',
    access: 'roll',
    candidates: ['Ada', 'Grace', 'Edsger'],
  });

  // The roll as a registrar exports it: a header, one ref twice, one line without a name.
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-roll-'));
  const csv = path.join(dir, 'roll.csv');
  writeFileSync(
    csv,
    [
      'ref,name,email',
      'S-1001,Ana Reyes,ana@school.edu',
      'S-1002,Ben Cruz,',
      'S-1003,Carla Santos,carla@school.edu',
      'S-1002,Ben Cruz again,',
      'S-1004,,',
    ].join('\n'),
  );

  const a = await open();
  await signInConsole(a);
  await a.goto(`/admin?election=${election.id}`);
  await a.getByTestId('roll-panel').waitFor();

  await a.getByLabel('Or choose a CSV file').setInputFiles(csv);
  const preview = a.getByTestId('roll-preview');
  await preview.getByText('3 voters ready to add').waitFor();
  const skipped = await a.getByTestId('roll-skipped').innerText();
  expect(skipped).toContain('Line 5: ref “S-1002” is already on line 3.');
  expect(skipped).toContain('Line 6: no name.');
  await a.getByRole('button', { name: 'Add 3 voters' }).click();
  await a.getByTestId('roll-import-result').getByText('3 voters added.').waitFor();
  await a.getByTestId('roll-count').getByText('0 of 3 voted').waitFor();
  await expect(a.getByTestId('roll-row').count()).resolves.toBe(3);

  // Importing the same file again adds nobody and names the refs already there.
  await a.getByLabel('Or choose a CSV file').setInputFiles(csv);
  await a.getByRole('button', { name: 'Add 3 voters' }).click();
  const again = a.getByTestId('roll-import-result');
  await again.getByText('0 voters added.').waitFor();
  for (const ref of ['S-1001', 'S-1002', 'S-1003']) expect(await again.innerText()).toContain(ref);

  await a.getByRole('button', { name: 'Issue codes for voters without one' }).click();
  await a.getByTestId('issued-codes').getByText('3 new ballot codes').waitFor();
  await a.getByRole('button', { name: 'Printable slips' }).click();
  const sheet = a.getByTestId('slip-sheet');
  await sheet.waitFor();
  await expect(sheet.getByTestId('slip').count()).resolves.toBe(3);
  const links = await sheet.getByTestId('slip-link').allInnerTexts();
  expect(links).toHaveLength(3);
  for (const link of links) {
    expect(link).toMatch(new RegExp(`^${stack.baseUrl}/vote/${election.joinCode}\\?code=`));
  }
  expect(await sheet.getByTestId('slip').first().innerText()).toContain('Ana Reyes');

  // Print: the button calls the browser's print; the page rule follows the paper chosen.
  await a.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await sheet.getByRole('button', { name: 'Print' }).click();
  expect(await a.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  const pageRules = () =>
    a.evaluate(() =>
      document.adoptedStyleSheets
        .flatMap((s) => Array.from(s.cssRules, (r) => r.cssText))
        .join(' '),
    );
  expect(await pageRules()).toMatch(/size: a4/i);
  await a.getByLabel('Paper').selectOption('letter');
  expect(await pageRules()).toMatch(/size: letter/i);
  expect(await pageRules()).not.toMatch(/a4/i);
  await a.getByLabel('Paper').selectOption('a4');

  // The print preview: print media at A4, only the slips (no console, no toolbar).
  await a.setViewportSize(A4);
  await a.emulateMedia({ media: 'print' });
  expect(await a.locator('.slip-toolbar').isVisible()).toBe(false);
  expect(await a.locator('#root').isVisible()).toBe(false);
  await a.screenshot({ path: path.join(shots, 'roll-slips-print.png'), fullPage: true });
  await a.emulateMedia({ media: 'screen' });
  await a.setViewportSize({ width: 1280, height: 900 });
  await sheet.getByRole('button', { name: 'Close' }).click();

  // The codes' CSV downloads with every slip's code.
  const [file] = await Promise.all([
    a.waitForEvent('download'),
    a.getByRole('button', { name: 'Download the codes (CSV)' }).click(),
  ]);
  expect(file.suggestedFilename()).toBe(`codes-${election.joinCode}.csv`);
  const codesCsv = readFileSync((await file.path()) ?? '', 'utf8');
  expect(codesCsv.split('\r\n')[0]).toBe('"ref","name","code","link"');
  for (const link of links) expect(codesCsv).toContain(link);

  await openElection(admin, election.id);
  await a.reload();
  await a.getByTestId('admin-status').filter({ hasText: 'Open' }).waitFor();

  // A voter opens the first slip's link: the code is exchanged and leaves the address bar.
  const v = await open({ width: 390, height: 844 });
  await v.goto(links[0] ?? '');
  await v.getByRole('radio', { name: 'Grace' }).waitFor();
  expect(new URL(v.url()).search).toBe('');
  await v.getByRole('radio', { name: 'Grace' }).check();
  await v.getByRole('button', { name: 'Review my ballot' }).click();
  await v.getByRole('button', { name: 'Submit my ballot' }).click();
  await v.getByTestId('receipt-code').waitFor();

  // The same slip on a second device: refused, with the reason in words.
  const second = await open({ width: 390, height: 844 });
  await second.goto(links[0] ?? '');
  await second.getByTestId('code-form').waitFor();
  const refusal = await second.getByRole('alert').innerText();
  expect(refusal).toContain('This code has already been used');
  await expect(second.getByRole('radio', { name: 'Grace' }).count()).resolves.toBe(0);

  // A mistyped code gets the same clear answer from the form.
  await second.getByRole('textbox', { name: 'Ballot code' }).fill('WRONG-CODE-0000');
  await second.getByRole('button', { name: 'Continue' }).click();
  await second.getByRole('alert').getByText('This code has already been used').waitFor();

  // Turnout against the roll in the console, and who voted (never how).
  await a.getByTestId('monitor-turnout').getByText('1 / 3 (33%)').waitFor();
  await a.reload();
  await a.getByTestId('roll-count').getByText('1 of 3 voted').waitFor();
  const ana = a.getByTestId('roll-row').filter({ hasText: 'S-1001' });
  await ana.getByTestId('roll-voted').getByText('Voted').waitFor();
  await expect(
    a.getByTestId('roll-row').filter({ hasText: 'S-1002' }).getByTestId('roll-voted').innerText(),
  ).resolves.toBe('Not yet');

  // The board, opened from the console (a roll election is shown to signed-in accounts), says
  // the same to the room.
  const board = await a.context().newPage();
  board.on('pageerror', (err) => pageErrors.push(err.message));
  await board.setViewportSize({ width: 1920, height: 1080 });
  await board.goto(`/board/${election.id}`);
  await board.getByTestId('board-eligible').getByText('of 3 eligible').waitFor();

  expect(pageErrors).toEqual([]);
});

it('pages a long roll a hundred rows at a time, and a search starts again at its first page', async () => {
  const stack = getStack();
  const election = await createElection(admin, { title: 'Union ballot', access: 'roll' });
  const voters = Array.from({ length: 230 }, (_, i) => ({
    ref: `M-${String(i + 1).padStart(4, '0')}`,
    name: `Member ${i + 1}`,
  }));
  await requestJson(`${stack.baseUrl}/api/elections/${election.id}/roll`, {
    method: 'POST',
    token: admin.token,
    body: JSON.stringify({ voters }),
  });

  const a = await open();
  await signInConsole(a);
  await a.goto(`/admin?election=${election.id}`);
  const range = a.getByTestId('roll-range');
  await range.getByText('1-100 of 230').waitFor();
  await expect(a.getByTestId('roll-row').count()).resolves.toBe(100);

  const pages = a.getByRole('group', { name: 'Pages of the roll' });
  await pages.getByRole('button', { name: 'Next' }).click();
  await range.getByText('101-200 of 230').waitFor();
  await pages.getByRole('button', { name: 'Next' }).click();
  await range.getByText('201-230 of 230').waitFor();
  await expect(a.getByTestId('roll-row').count()).resolves.toBe(30);
  expect(await a.getByTestId('roll-row').first().innerText()).toContain('M-0201');
  await expect(pages.getByRole('button', { name: 'Next' }).isDisabled()).resolves.toBe(true);

  // "Member 1" matches 1, 10-19 and 100-199: 111 rows, shown from the first.
  await a.getByLabel('Search by ref, name or email').fill('Member 1');
  await range.getByText('1-100 of 111').waitFor();
  expect(await a.getByTestId('roll-row').first().innerText()).toContain('M-0001');
  expect(pageErrors).toEqual([]);
});
