import {
  exitStatus,
  judge,
  ratios,
  renderComparison,
  renderReport,
  type Broken,
  type Measured,
} from '../../src/report';
import { share } from '../../src/run';

const measured = (over: Partial<Measured> = {}): Measured => ({
  label: 'tallyboard',
  url: 'http://127.0.0.1:8080',
  electionId: 'e1',
  mode: 'admin',
  sockets: { planned: 1000, attempted: 1000, held: 1000, connectFailures: 0, disconnects: 0 },
  ballots: {
    planned: 500,
    attempted: 500,
    acked: 500,
    failed: 0,
    failures: {},
    ackedPerSecond: 100,
  },
  ackMs: { p50: 20, p99: 80, max: 120, samples: 500 },
  commitToViewerMs: { p50: 90, p99: 300, max: 400, samples: 500_000 },
  frames: 50_000,
  frameSeconds: 10,
  viewers: { count: 1000, reachedFinal: 1000, timeToAllFinalMs: 150 },
  tally: { expected: 500, observed: 500 },
  rssMb: { nodes: 300, nginx: 40 },
  rssBeforeMb: { nodes: 280, nginx: 40 },
  generatorLoopDelayP99Ms: 12,
  interrupted: false,
  ...over,
});

describe('load test verdict', () => {
  it('passes a clean run and derives frames per viewer and memory per socket', () => {
    const r = judge(measured(), 0.01);
    expect(r.verdict.pass).toBe(true);
    expect(r.framesPerViewerPerSecond).toBe(5);
    expect(r.rssKbPerSocket).toBe(20.5); // 20 MB grown over 1,000 sockets
  });

  it('fails when the tally does not equal the acked ballots', () => {
    const r = judge(measured({ tally: { expected: 500, observed: 501 } }), 0.01);
    expect(r.verdict.pass).toBe(false);
    expect(r.verdict.checks.find((c) => !c.pass)?.name).toBe('tally equals acked ballots');
  });

  it('fails when a viewer never saw the final tally', () => {
    const viewers = { count: 1000, reachedFinal: 999, timeToAllFinalMs: null };
    expect(judge(measured({ viewers }), 0.01).verdict.pass).toBe(false);
  });

  it('holds failures to the threshold, for sockets and for ballots', () => {
    const sockets = {
      planned: 1000,
      attempted: 1000,
      held: 985,
      connectFailures: 10,
      disconnects: 5,
    };
    expect(judge(measured({ sockets }), 0.02).verdict.pass).toBe(true);
    expect(judge(measured({ sockets }), 0.01).verdict.pass).toBe(false);
    const ballots = { ...measured().ballots, acked: 490, failed: 10, failures: { not_open: 10 } };
    const r = judge(measured({ ballots, tally: { expected: 490, observed: 490 } }), 0.01);
    expect(r.verdict.checks.map((c) => c.pass)).toEqual([true, true, true, false]);
  });

  it('fails an interrupted run, whose report is partial', () => {
    expect(judge(measured({ interrupted: true }), 0.01).verdict.pass).toBe(false);
  });

  it('prints every measure with its unit, and ratios of Tallyboard over the reference', () => {
    const ref = judge(
      measured({
        label: 'reference',
        commitToViewerMs: { p50: 60, p99: 200, max: 300, samples: 1 },
      }),
      0.01,
    );
    const tb = judge(measured(), 0.01);
    expect(renderReport(tb)).toMatch(/commit-to-viewer p99\s+300 ms/);
    expect(renderReport(tb)).toContain('verdict (tallyboard): PASS');
    expect(ratios(ref, tb)['commit-to-viewer p99']).toBe(1.5);
    expect(renderComparison(ref, tb)).toMatch(/commit-to-viewer p99\s+200 ms\s+300 ms\s+1\.5×/);
  });

  it('prints Tallyboard beside a reference that broke, and fails only as the verdicts say', () => {
    const broken: Broken = {
      label: 'reference',
      broken: 'results request failed: socket hang up (ramp: 18435 of 50000 sockets held)',
    };
    const tb = judge(measured(), 0.01);
    const text = renderComparison(broken, tb);
    expect(text).toMatch(/commit-to-viewer p99\s+✗ no report\s+300 ms\s*$/m);
    expect(text).toContain('verdict (reference): FAIL (no report: results request failed');
    expect(text).toContain('verdict (tallyboard): PASS');
    expect(Object.values(ratios(broken, tb)).every((r) => r === null)).toBe(true);
    // A broken reference is a failed verdict (exit 1), as a reference that ran and failed is.
    expect(exitStatus([broken, tb])).toBe(1);
    expect(exitStatus([judge(measured({ label: 'reference' }), 0.01), tb])).toBe(0);
    expect(exitStatus([null, tb])).toBe(0);
    expect(exitStatus([null, judge(measured({ interrupted: true }), 0.01)])).toBe(1);
  });

  it('says why sockets failed to join, when it knows', () => {
    const r = judge(
      measured({
        sockets: {
          planned: 1000,
          attempted: 1000,
          held: 990,
          connectFailures: 10,
          disconnects: 0,
          failureReasons: { timeout: 7, 'http 502': 3 },
        },
      }),
      0.01,
    );
    expect(renderReport(r)).toMatch(/connect failures \/ drops +10 \(timeout 7, http 502 3\) \/ 0/);
  });

  it('splits sockets and ballots over workers without losing any', () => {
    const parts = [0, 1, 2].map((i) => share(10, 3, i));
    expect(parts).toEqual([4, 3, 3]);
  });
});
