// `npm run loadtest -- …`: raises its own open-file limit, parses the flags, runs the load
// (against the bare reference first with --compare-reference), prints the table or JSON and
// exits 0 when the verdict passed, 1 when it failed, 2 on a usage error, 3 when the target
// could not be used. A reference half that breaks (no report) is a failed verdict: Tallyboard's
// half still runs, and the exit is 1. Ctrl-C once: finish with a partial report; twice: leave
// at once.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { helpText, parseOptions, UsageError, type Options } from './options';
import { startReference, type Reference } from './reference';
import {
  exitStatus,
  judge,
  ratios,
  renderComparison,
  renderReport,
  type Broken,
  type Report,
} from './report';
import { stackProcesses } from './rss';
import { interruption, runLoad } from './run';
import { resolveTarget, type Target } from './target';

/** Soft and hard open-file limits of this process (Linux), or null. */
function fdLimits(): [number, number] | null {
  try {
    const m = /Max open files\s+(\d+)\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? [Number(m[1]), Number(m[2])] : null;
  } catch {
    return null;
  }
}

/** Node cannot raise its own limit: run again under `ulimit -n <hard>` (workers inherit it). */
function reexecWithRaisedLimit(): boolean {
  const limits = fdLimits();
  if (!limits || limits[0] >= limits[1] || process.env.TB_LOADTEST_FD_RAISED) return false;
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      'ulimit -n "$(ulimit -Hn)" && exec "$@"',
      'sh',
      process.execPath,
      ...process.execArgv,
      __filename,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, TB_LOADTEST_FD_RAISED: '1' } },
  );
  // A terminal's Ctrl-C reaches both of us; a `kill -INT` of this pid only this one: pass it on.
  process.on('SIGINT', () => child.kill('SIGINT'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
  return true;
}

function statusPrinter(): (line: string, final?: boolean) => void {
  const tty = process.stderr.isTTY;
  let printed = 0;
  return (line, final) => {
    if (tty) return void process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
    // Into a file or a pipe: phase ends, and a line every 10 s of a long phase.
    if (!final && Date.now() - printed < 10_000) return;
    printed = Date.now();
    process.stderr.write(`${line}\n`);
  };
}

const machine = (): string =>
  `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;

async function runOne(
  opts: Options,
  target: Target,
  label: string,
  mode: 'admin' | 'public' | 'reference',
  processes: () => ReturnType<typeof stackProcesses> | null,
): Promise<Report> {
  const measured = await runLoad({ opts, target, label, mode, processes, status: statusPrinter() });
  return judge(measured, opts.maxFailures);
}

function tallyboardProcesses(opts: Options): () => ReturnType<typeof stackProcesses> | null {
  if (!opts.stack) return () => null;
  const h = JSON.parse(readFileSync(opts.stack, 'utf8')) as {
    dir: string;
    ports?: { redis?: number };
  };
  return () => stackProcesses(h.dir, h.ports?.redis ?? null);
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`loadtest: ${e.message}\n(npm run loadtest -- --help lists every flag)\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  let firstAt = 0;
  process.on('SIGINT', () => {
    // One Ctrl-C can arrive twice (from the terminal and passed on by the launcher above).
    if (interruption.requested && Date.now() - firstAt > 1000) process.exit(130);
    if (interruption.requested) return;
    firstAt = Date.now();
    interruption.requested = true;
    process.stderr.write(
      '\ninterrupted: finishing with a partial report (Ctrl-C again to leave now)\n',
    );
  });
  const title = `load test ${new Date().toISOString()}`;
  const started = new Date().toISOString();
  let reference: Report | Broken | null = null;
  if (opts.compareReference) {
    let ref: Reference | null = null;
    try {
      ref = await startReference();
      const target = await resolveTarget(
        {
          ...opts,
          url: ref.url,
          join: ref.joinCode,
          codes: null,
          stack: null,
          adminEmail: null,
          adminPassword: null,
          closeAfter: null,
        },
        title,
      );
      reference = await runOne(
        opts,
        target,
        'reference',
        'reference',
        () => ref?.processes() ?? null,
      );
    } catch (e) {
      // The reference cannot hold 50,000 sockets and its nginx may hang up on us: say so and
      // still measure Tallyboard.
      const why = e instanceof Error ? e.message : String(e);
      reference = { label: 'reference', broken: why };
      process.stderr.write(`loadtest: the reference broke, running Tallyboard anyway: ${why}\n`);
    } finally {
      await ref?.stop();
    }
    if (interruption.requested) return finish(opts, started, reference, null);
    await new Promise((r) => setTimeout(r, 2000)); // let the reference's sockets close
  }
  let target: Target;
  try {
    target = await resolveTarget(opts, title);
  } catch (e) {
    process.stderr.write(`loadtest: ${e instanceof Error ? e.message : String(e)}\n`);
    return 3;
  }
  const report = await runOne(opts, target, 'tallyboard', target.mode, tallyboardProcesses(opts));
  return finish(opts, started, reference, report);
}

function finish(
  opts: Options,
  started: string,
  reference: Report | Broken | null,
  tallyboard: Report | null,
): number {
  const context = {
    started,
    openFileLimit: fdLimits()?.[0] ?? null,
    machine: machine(),
    command: `npm run loadtest -- ${process.argv.slice(2).join(' ')}`,
  };
  if (opts.json) {
    const body =
      reference && tallyboard
        ? { ...context, reference, tallyboard, ratios: ratios(reference, tallyboard) }
        : { ...context, ...(tallyboard ?? reference) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    const text =
      reference && tallyboard
        ? renderComparison(reference, tallyboard)
        : reference && 'broken' in reference
          ? `verdict (reference): FAIL (no report: ${reference.broken})`
          : renderReport((tallyboard ?? reference)!);
    process.stdout.write(`\n${context.machine}\n${context.command}\n\n${text}\n`);
  }
  return exitStatus([reference, tallyboard]);
}

if (!reexecWithRaisedLimit()) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(
        `loadtest: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(3);
    },
  );
}
