// The side-by-side table of docs/performance.md: `npm run loadtest -- --compare-reference` for
// each cell of sockets × ballots/s against one stack, one cell after another, each result kept
// in a JSON file (cells already there are replaced, others kept, so a table can be filled over
// several short exclusive windows) and the whole file rendered as a markdown table beside it.
//
//   npx tsx bench/with-stack.ts --env RATE_VOTER_TOKENS_PER_IP_PER_MIN=1000000 \
//     --env RATE_BALLOTS_PER_IP_PER_MIN=1000000 -- \
//     npx tsx bench/fanout-matrix.ts --stack {handle} --cells 1000x100,1000x500,10000x100 \
//     --duration 20 --out /tmp/fanout-matrix.json
//
// Options: --cells CxB,… (sockets x ballots/s) · --duration S (20) · --settle S (10) ·
// --voting F (0.1) · --ramp N (1000 up to 10,000 sockets, 600 above) · --out FILE (JSON; the
// table goes to FILE with .md) · --stack FILE (a stack handle, as the load tester takes it).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Broken, Report } from '../loadtest/src/report';
import { arg } from './target';

interface Cell {
  sockets: number;
  rate: number;
}

interface CellResult extends Cell {
  at: string;
  command: string;
  exitCode: number | null;
  reference: Report | null;
  tallyboard: Report | null;
  ratios: Record<string, number | null>;
  /** When the run gave no report: its last lines of stderr. */
  error?: string;
  /** When the reference half broke (Tallyboard's half still ran): why. */
  referenceBroken?: string;
}

const repoRoot = path.resolve(__dirname, '..');
const stamp = (): string => new Date().toISOString().slice(11, 19);

function cells(): Cell[] {
  const list = arg('cells', '1000x100,1000x500,1000x1000')!;
  return list.split(',').map((c) => {
    const m = /^(\d+)x(\d+)$/.exec(c.trim());
    if (!m) throw new Error(`bad cell ${c}: want SOCKETSxRATE`);
    return { sockets: Number(m[1]), rate: Number(m[2]) };
  });
}

function runCell(c: Cell, stack: string): Promise<CellResult> {
  const ramp = arg('ramp') ?? (c.sockets > 10_000 ? '600' : '1000');
  const args = [
    '--stack',
    stack,
    '--compare-reference',
    '--json',
    '--connections',
    String(c.sockets),
    '--ramp',
    ramp,
    '--rate',
    String(c.rate),
    '--duration',
    arg('duration', '20')!,
    '--settle',
    arg('settle', '10')!,
    '--voting',
    arg('voting', '0.1')!,
  ];
  const command = `npm run loadtest -- ${args.join(' ')}`;
  const at = new Date().toISOString();
  console.error(`${stamp()} [matrix] ${c.sockets} sockets × ${c.rate} ballots/s: ${command}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/src/cli.ts', ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
      process.stderr.write(d);
    });
    child.on('close', (exitCode) => {
      try {
        const r = JSON.parse(out) as {
          reference: Report | Broken;
          tallyboard: Report;
          ratios: Record<string, number | null>;
        };
        const broken = 'broken' in r.reference ? r.reference.broken : undefined;
        resolve({
          ...c,
          at,
          command,
          exitCode,
          ...r,
          reference: broken === undefined ? (r.reference as Report) : null,
          ...(broken === undefined ? {} : { referenceBroken: broken }),
        });
      } catch {
        resolve({
          ...c,
          at,
          command,
          exitCode,
          reference: null,
          tallyboard: null,
          ratios: {},
          error: err.split('\n').slice(-8).join('\n'),
        });
      }
    });
  });
}

const n = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined
    ? '–'
    : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number | null | undefined, b: number | null | undefined): string =>
  a && b && a > 0 && b > 0 ? `${(b / a).toFixed(2)}×` : '–';

/** What limited a run, as far as its own numbers say. */
function limits(r: Report | null, c: Cell, broken?: string): string {
  if (!r) return broken ? `broke, no report (${broken})` : 'no report';
  const out: string[] = [];
  const lost = r.sockets.planned - r.sockets.held;
  if (lost > 0)
    out.push(
      `${n(lost)} sockets not held (${n(r.sockets.connectFailures)} failed, ${n(r.sockets.disconnects)} dropped)`,
    );
  if (r.ballots.ackedPerSecond < 0.9 * c.rate) out.push(`acked ${n(r.ballots.ackedPerSecond)}/s`);
  if (r.generatorLoopDelayP99Ms > 500)
    out.push(`generator late ${n(r.generatorLoopDelayP99Ms)} ms`);
  if (r.ballots.failed) out.push(`${n(r.ballots.failed)} ballots failed`);
  return out.join(', ') || '–';
}

const pair = (a: string, b: string): string => `${a} / ${b}`;

export function render(results: CellResult[]): string {
  const head = [
    'sockets',
    'ballots/s',
    'held (ref / TB)',
    'acked/s',
    'ack p50 ms',
    'ack p99 ms (ratio)',
    'commit-to-viewer p50 ms',
    'commit-to-viewer p99 ms (ratio)',
    'frames/viewer/s',
    'all at final after last ack, ms',
    'generator loop p99 ms',
    'verdict',
    'limited by',
  ];
  const rows = [...results]
    .sort((a, b) => a.sockets - b.sockets || a.rate - b.rate)
    .map((x) => {
      const [r, t] = [x.reference, x.tallyboard];
      const final = (q: Report | null): string =>
        !q ? '–' : q.viewers.timeToAllFinalMs === null ? 'no' : n(q.viewers.timeToAllFinalMs);
      return [
        n(x.sockets),
        n(x.rate),
        pair(n(r?.sockets.held), n(t?.sockets.held)),
        pair(n(r?.ballots.ackedPerSecond), n(t?.ballots.ackedPerSecond)),
        pair(n(r?.ackMs.p50), n(t?.ackMs.p50)),
        `${pair(n(r?.ackMs.p99), n(t?.ackMs.p99))} (${ratio(r?.ackMs.p99, t?.ackMs.p99)})`,
        pair(n(r?.commitToViewerMs.p50), n(t?.commitToViewerMs.p50)),
        `${pair(n(r?.commitToViewerMs.p99), n(t?.commitToViewerMs.p99))} (${ratio(r?.commitToViewerMs.p99, t?.commitToViewerMs.p99)})`,
        pair(n(r?.framesPerViewerPerSecond, 2), n(t?.framesPerViewerPerSecond, 2)),
        pair(final(r), final(t)),
        pair(n(r?.generatorLoopDelayP99Ms), n(t?.generatorLoopDelayP99Ms)),
        pair(
          r ? (r.verdict.pass ? 'PASS' : 'FAIL') : x.referenceBroken ? 'FAIL (broke)' : '–',
          t ? (t.verdict.pass ? 'PASS' : 'FAIL') : '–',
        ),
        `ref: ${limits(r, x, x.referenceBroken)}; TB: ${limits(t, x)}`,
      ];
    });
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...results.map((x) => `- ${x.sockets}×${x.rate} at ${x.at}: \`${x.command}\``),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const stack = arg('stack');
  if (!stack) throw new Error('--stack FILE is needed (bench/with-stack.ts gives one)');
  const out = arg('out', path.join(os.tmpdir(), 'fanout-matrix.json'))!;
  const results: CellResult[] = existsSync(out)
    ? (JSON.parse(readFileSync(out, 'utf8')) as CellResult[])
    : [];
  for (const c of cells()) {
    const r = await runCell(c, stack);
    const i = results.findIndex((x) => x.sockets === c.sockets && x.rate === c.rate);
    if (i >= 0) results[i] = r;
    else results.push(r);
    writeFileSync(out, JSON.stringify(results, null, 2));
    writeFileSync(out.replace(/\.json$/, '') + '.md', render(results));
    console.error(
      `${stamp()} [matrix] done ${c.sockets}×${c.rate}: exit ${r.exitCode}; ${limits(r.reference, c, r.referenceBroken)} | ${limits(r.tallyboard, c)}`,
    );
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
