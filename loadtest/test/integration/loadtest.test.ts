// The load tester run as its users run it (`node --import tsx loadtest/src/cli.ts`, a process of
// its own) against the real stack: a few hundred sockets over both transports, both clients
// (bare WebSockets by default, socket.io-client) and both cast paths, its JSON report and exit code, and verdicts that fail for real reasons: someone else's
// ballot lands in the election mid-run, or the election closes under the load.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getStack } from '../../../server/test/support';
import { openNewElection, signInAdmin } from '../../../server/test/support/elections';
import { requestJson } from '../../../server/test/support/http';
import type { Report } from '../../src/report';

const repoRoot = path.resolve(__dirname, '../../..');

interface Outcome<R = Report> {
  code: number | null;
  report: R;
  stderr: string;
}

interface Comparison {
  reference: Report;
  tallyboard: Report;
  ratios: Record<string, number | null>;
}

/** Runs the CLI; `onStderr` sees its progress lines as they come (with the process). */
function loadtest<R = Report>(
  args: string[],
  onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void,
): Promise<Outcome<R>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'loadtest/src/cli.ts', ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, report: JSON.parse(stdout) as R, stderr });
      } catch {
        reject(new Error(`no JSON report (exit ${code}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

const stackArgs = (): string[] => ['--stack', process.env.TB_TEST_STACK_FILE!, '--json'];

describe('the load tester against the real stack', () => {
  it('holds 300 WebSocket viewers, casts over REST, and passes with a consistent report', async () => {
    const { code, report: r } = await loadtest([
      ...stackArgs(),
      '--connections',
      '300',
      '--rate',
      '40',
      '--duration',
      '3',
      '--ramp',
      '600',
    ]);
    expect(r.verdict).toMatchObject({ pass: true });
    expect(code).toBe(0);
    expect(r.mode).toBe('admin');
    expect(r.sockets).toMatchObject({
      planned: 300,
      attempted: 300,
      held: 300,
      connectFailures: 0,
    });
    expect(r.ballots).toMatchObject({ planned: 120, attempted: 120, acked: 120, failed: 0 });
    expect(r.tally).toEqual({ expected: 120, observed: 120 });
    expect(r.viewers).toMatchObject({ count: 300, reachedFinal: 300 });
    expect(r.viewers.timeToAllFinalMs).toEqual(expect.any(Number));
    expect(r.ackMs.samples).toBe(120);
    // REST ballots leave from a process of their own (--caster own): the held voters' tokens were
    // handed to it, and its loop delay is reported apart from the viewers' workers'.
    expect(r.casterLoopDelayP99Ms).toEqual(expect.any(Number));
    // Every viewer saw every ballot once: one sample per (viewer, ballot).
    expect(r.commitToViewerMs.samples).toBe(300 * 120);
    expect(r.framesPerViewerPerSecond).toBeGreaterThan(0);
    expect(r.framesPerViewerPerSecond).toBeLessThanOrEqual(10.5);
    expect(r.rssMb).toEqual(expect.objectContaining({ nodes: expect.any(Number) }));
    // The tool closes the election it made: the stack says so.
    const admin = await signInAdmin(getStack());
    const e = await requestJson<{ status: string }>(
      `${admin.baseUrl}/api/elections/${r.electionId}`,
      { token: admin.token },
    );
    expect(e.status).toBe('closed');
  });

  it('holds polling viewers from two source addresses and casts over their sockets', async () => {
    const {
      code,
      report: r,
      stderr,
    } = await loadtest([
      ...stackArgs(),
      '--connections',
      '200',
      '--transport',
      'polling',
      '--cast',
      'socket',
      '--voting',
      '0.5',
      '--rate',
      '40',
      '--duration',
      '3',
      '--sources',
      '127.0.0.1-2',
      '--workers',
      '2',
      '--hold',
      '2',
    ]);
    expect(r.verdict.pass).toBe(true);
    expect(code).toBe(0);
    // Held through two seconds of polling before the first ballot, none dropped.
    expect(stderr).toContain('holding 200 sockets for 2 s');
    expect(r.sockets).toMatchObject({ held: 200, connectFailures: 0, disconnects: 0 });
    // 100 held voters cast first, the other 20 ballots come from voters who connect, cast, leave.
    expect(r.ballots).toMatchObject({ attempted: 120, acked: 120, failed: 0 });
    expect(r.tally).toEqual({ expected: 120, observed: 120 });
    expect(r.viewers.reachedFinal).toBe(200);
    // Socket ballots go over the voters' own sockets: no caster process.
    expect(r.casterLoopDelayP99Ms).toBeUndefined();
  });

  it('casts over socket.io-client WebSockets and over REST from polling viewers too', async () => {
    // The bare client is the default (the other cases); socket.io-client stays a flag away.
    const ws = loadtest([
      ...stackArgs(),
      '--client',
      'socketio',
      '--connections',
      '150',
      '--cast',
      'socket',
      '--voting',
      '1',
      '--rate',
      '50',
      '--duration',
      '2',
    ]);
    const { code, report: r } = await ws;
    expect(code).toBe(0);
    expect(r.ballots).toMatchObject({ acked: 100, failed: 0 });
    const polling = await loadtest([
      ...stackArgs(),
      '--connections',
      '150',
      '--transport',
      'polling',
      '--rate',
      '50',
      '--duration',
      '2',
    ]);
    expect(polling.code).toBe(0);
    expect(polling.report.tally).toEqual({ expected: 100, observed: 100 });
  });

  it('needs no secrets with --join, and fails its verdict when a ballot it did not cast is counted', async () => {
    const admin = await signInAdmin(getStack());
    const e = await openNewElection(admin, { title: 'public load test' });
    const url = getStack().baseUrl;
    let injected: Promise<unknown> | null = null;
    const { code, report: r } = await loadtest(
      [
        '--url',
        url,
        '--join',
        e.joinCode,
        '--json',
        '--connections',
        '100',
        '--rate',
        '20',
        '--duration',
        '3',
      ],
      (stderr) => {
        // Someone else votes while the load runs.
        if (injected || !stderr.includes('casting:')) return;
        injected = requestJson<{ voterToken: string }>(`${url}/api/voters`, {
          method: 'POST',
        }).then(({ voterToken }) =>
          requestJson(`${url}/api/elections/${e.id}/ballots`, {
            method: 'POST',
            token: voterToken,
            body: JSON.stringify({
              selections: { [e.positions[0]!.id]: [e.positions[0]!.candidates[0]!.id] },
            }),
          }),
        );
      },
    );
    await injected;
    expect(r.mode).toBe('public');
    expect(r.ballots.acked).toBe(60);
    expect(r.tally).toEqual({ expected: 60, observed: 61 });
    expect(r.verdict.pass).toBe(false);
    expect(r.verdict.checks.find((c) => !c.pass)?.name).toBe('tally equals acked ballots');
    expect(code).toBe(1);
    // Public mode leaves the election as it found it: open.
    const after = await requestJson<{ status: string }>(`${url}/api/elections/${e.id}`);
    expect(after.status).toBe('open');
  });

  it('fails its verdict when the election closes under the load', async () => {
    const { code, report: r } = await loadtest([
      ...stackArgs(),
      '--connections',
      '100',
      '--rate',
      '30',
      '--duration',
      '4',
      '--close-after',
      '1.5',
    ]);
    expect(code).toBe(1);
    expect(r.ballots.failures.not_open).toBeGreaterThan(20);
    // What was acknowledged is exactly what the closed election counts.
    expect(r.tally.observed).toBe(r.ballots.acked);
    expect(r.verdict.checks.find((c) => !c.pass)?.name).toBe('ballot failures ≤ 1.00%');
  });

  it('prints a partial report on Ctrl-C and exits non-zero', async () => {
    let sent = false;
    const { code, report: r } = await loadtest(
      [...stackArgs(), '--connections', '50', '--rate', '10', '--duration', '60'],
      (stderr, kill) => {
        if (sent || !stderr.includes('casting:')) return;
        sent = true;
        setTimeout(() => kill('SIGINT'), 1500);
      },
    );
    expect(code).toBe(1);
    expect(r.interrupted).toBe(true);
    expect(r.ballots.attempted).toBeGreaterThan(0);
    expect(r.ballots.attempted).toBeLessThan(100);
    expect(r.tally.observed).toBe(r.ballots.acked);
  });

  it('runs the same load against the bare reference first and reports both with ratios', async () => {
    const before = readdirSync(os.tmpdir()).filter((f) => f.startsWith('tb-reference-'));
    const { code, report } = await loadtest<Comparison>([
      ...stackArgs(),
      '--compare-reference',
      '--connections',
      '150',
      '--cast',
      'socket',
      '--voting',
      '1',
      '--rate',
      '40',
      '--duration',
      '2',
    ]);
    expect(code).toBe(0);
    for (const r of [report.reference, report.tallyboard]) {
      expect(r.verdict.pass).toBe(true);
      expect(r.sockets.held).toBe(150);
      expect(r.tally).toEqual({ expected: 80, observed: 80 });
      expect(r.commitToViewerMs.samples).toBe(150 * 80);
    }
    expect(report.reference.mode).toBe('reference');
    expect(report.reference.rssMb).toEqual(
      expect.objectContaining({ nodes: expect.any(Number), nginx: expect.any(Number) }),
    );
    expect(report.ratios['ballots acked']).toBe(1);
    expect(report.ratios['commit-to-viewer p99']).toEqual(expect.any(Number));
    // The tool stopped the reference it started and removed its folder.
    const after = readdirSync(os.tmpdir()).filter((f) => f.startsWith('tb-reference-'));
    expect(after).toEqual(before);
  });

  it('refuses an unknown flag with exit status 2 before touching the target', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'loadtest/src/cli.ts', '--conections', '5'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(2);
    expect(stderr).toContain('unknown argument --conections');
  });
});
