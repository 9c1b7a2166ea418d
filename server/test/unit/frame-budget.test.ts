// The cluster-wide frame budget as pure logic: when viewers × the base rate exceed it, every
// publishing election's interval stretches alike; idle elections cost nothing; the emitter keeps
// the stretched spacing but never holds back a forced (final) tally. The real stack under a small
// budget: integration/frame-budget.test.ts.
import pino from 'pino';
import { electionMeta } from './support/live-fixtures';
import { EmitSpacing } from '../../src/live/coalescing';
import { FrameBudget, presenceIntervalMs, stretchedIntervalMs } from '../../src/live/frame-budget';
import { LoadGovernor } from '../../src/live/load-governor';
import { NodeViewers } from '../../src/live/presence-modes';
import type { Broadcaster, LiveReads } from '../../src/live/ports';
import { TallyEmitter, type TallyRoute } from '../../src/live/tally-emitter';

const log = pino({ level: 'silent' });

describe('stretchedIntervalMs', () => {
  it('keeps the base interval while viewers × the base rate fit the budget', () => {
    expect(stretchedIntervalMs(100, 30_000, 0)).toBe(100);
    expect(stretchedIntervalMs(100, 30_000, 2_999)).toBe(100);
    expect(stretchedIntervalMs(100, 30_000, 3_000)).toBe(100);
  });

  it('stretches in proportion past the budget, so frames per second stay at it', () => {
    // 30,000 viewers want 300,000 frames/s at 100 ms: ten times the budget, ten times the spacing.
    expect(stretchedIntervalMs(100, 30_000, 30_000)).toBe(1000);
    expect(stretchedIntervalMs(100, 24_000, 30_000)).toBe(1250);
    expect(stretchedIntervalMs(250, 1_000, 500)).toBe(500);
    const viewers = 12_345;
    const interval = stretchedIntervalMs(100, 20_000, viewers);
    expect((viewers * 1000) / interval).toBeLessThanOrEqual(20_000);
    expect((viewers * 1000) / (interval - 1)).toBeGreaterThan(20_000);
  });

  it('is off with a budget of 0', () => {
    expect(stretchedIntervalMs(100, 0, 1_000_000)).toBe(100);
  });
});

describe('FrameBudget', () => {
  const budget = (viewers: Record<string, number>, framesPerSecond = 1000): FrameBudget =>
    new FrameBudget({
      framesPerSecond,
      baseIntervalMs: 100,
      viewers: (id) => viewers[id] ?? 0,
      activeMs: 1000,
      recomputeMs: 100,
    });

  it('counts the viewers of every election that wants to publish, each getting its share', () => {
    const b = budget({ big: 300, small: 100, idle: 5000 });
    b.want('big', 0);
    expect(b.intervalMs(0)).toBe(300); // 300 viewers × 10/s = 3,000 frames/s against 1,000
    b.want('small', 10);
    expect(b.intervalMs(10)).toBe(400); // a newcomer counts at once, not a recompute later
    expect(b.wantedFramesPerSecond).toBe(4000);
    // At one interval for all, each election's frames are its viewers' share of the budget.
    expect((300 * 1000) / 400 + (100 * 1000) / 400).toBe(1000);
    expect(b.activeElections).toBe(2);
  });

  it('lets an election that stopped publishing drop out after two of its intervals', () => {
    const b = budget({ a: 200, b: 200 });
    b.want('a', 0);
    b.want('b', 0);
    expect(b.intervalMs(0)).toBe(400);
    b.want('a', 900);
    expect(b.intervalMs(900)).toBe(400);
    b.want('a', 1500);
    expect(b.intervalMs(1500)).toBe(200); // b idle for 1.5 s > max(1 s, 2 × 400 ms)
    expect(b.activeElections).toBe(1);
  });

  it('follows viewer counts as presence changes them, at most once per recompute period', () => {
    const viewers = { a: 100 };
    const b = budget(viewers);
    b.want('a', 0);
    expect(b.intervalMs(0)).toBe(100);
    viewers.a = 500;
    expect(b.intervalMs(50)).toBe(100);
    b.want('a', 100);
    expect(b.intervalMs(100)).toBe(500);
  });

  it('stays at the base interval when off', () => {
    const b = budget({ a: 1_000_000 }, 0);
    b.want('a', 0);
    expect(b.intervalMs(0)).toBe(100);
  });

  it('follows the budget the load governor sets, at once, and stays off when off', () => {
    const b = budget({ a: 300 });
    b.want('a', 0);
    expect(b.intervalMs(0)).toBe(300);
    b.setFramesPerSecond(500);
    expect(b.framesPerSecond).toBe(500);
    expect(b.intervalMs(1)).toBe(600); // not a recompute period later
    expect(b.presenceIntervalMs(300)).toBe(presenceIntervalMs(500, 500, 300));
    // Demand (3,000 frames/s) above the budget: it binds, which the governor asks before growing it.
    expect(b.boundWithin(1, 0)).toBe(true);
    expect(b.boundWithin(2002, 2000)).toBe(false); // last bound at 1
    const off = budget({ a: 300 }, 0);
    off.setFramesPerSecond(500);
    off.want('a', 0);
    expect(off.framesPerSecond).toBe(0);
    expect(off.intervalMs(0)).toBe(100);
  });
});

describe('presence under the budget', () => {
  it('spaces a crowd’s presence pushes to a tenth of the budget, at least one per 10 s', () => {
    // 2 pushes/s per viewer: 1,200 viewers fit in a tenth of 24,000 frames/s, 6,000 do not.
    expect(presenceIntervalMs(500, 24_000, 1_200)).toBe(500);
    expect(presenceIntervalMs(500, 24_000, 6_000)).toBe(2500);
    expect(presenceIntervalMs(500, 24_000, 30_000)).toBe(10_000);
    expect(presenceIntervalMs(500, 0, 30_000)).toBe(500);
  });

  it('holds a changed count back until its spacing passed, then tells the latest', () => {
    const sent: Array<[string, unknown]> = [];
    const out: Broadcaster = {
      emit: (room, _e, payload) => void sent.push([room, (payload as { viewers: number }).viewers]),
      tally: () => undefined,
      localViewers: () => 0,
    };
    // 10,000 viewers × 2 pushes/s against a tenth of 4,000 frames/s: one push per 10 s (the most).
    const b = new FrameBudget({
      framesPerSecond: 4000,
      baseIntervalMs: 100,
      viewers: () => 0,
      presencePushMs: 500,
    });
    const v = new NodeViewers(out, b);
    v.pushIfChanged('e', 10_000, 'cluster');
    v.pushIfChanged('e', 10_001, 'cluster');
    v.pushIfChanged('e', 10_002, 'cluster');
    expect(sent).toEqual([['e:e', 10_000]]);
    expect(v.counted('e')).toBe(10_002);
  });
});

describe('EmitSpacing with a changing interval', () => {
  it('uses the interval in force when asked', () => {
    let interval = 100;
    const s = new EmitSpacing(() => interval);
    s.emitted('a', 0);
    expect(s.due('a', 100)).toBe(true);
    interval = 500;
    expect(s.due('a', 100)).toBe(false);
    expect(s.remaining('a', 100)).toBe(400);
    expect(s.due('a', 500)).toBe(true);
  });
});

describe('TallyEmitter under a frame budget', () => {
  const election = electionMeta();
  const setup = (): {
    em: TallyEmitter;
    sent: number[];
    state: { version: number };
    b: FrameBudget;
  } => {
    const sent: number[] = [];
    const state = { version: 1 };
    const out: Broadcaster = {
      emit: () => undefined,
      tally: (_room, tally) => void sent.push(tally.version),
      localViewers: () => 0,
    };
    const reads: LiveReads = {
      getElection: async () => election,
      readResults: async () => ({
        version: state.version,
        ballots: state.version,
        blank: 0,
        eligible: null,
        final: false,
        positions: [],
      }),
    };
    // 100 viewers at 10/s against 100 frames/s: one tally per second per election.
    const b = new FrameBudget({ framesPerSecond: 100, baseIntervalMs: 100, viewers: () => 100 });
    const em = new TallyEmitter({
      reads,
      out,
      log,
      intervalMs: 100,
      budget: b,
      electionCacheMs: 1000,
    });
    return { em, sent, state, b };
  };
  const route: TallyRoute = { scope: 'local', done: async () => undefined };

  it('spaces an election by the stretched interval once it wants to publish', async () => {
    const { em, sent, state } = setup();
    const t = Date.now();
    expect(em.ready('e1', t, false)).toBe(true);
    await em.publish('e1', '0-1-1', false, route);
    state.version = 2;
    expect(em.ready('e1', Date.now() + 150, false)).toBe(false); // base spacing would allow it
    expect(em.ready('e1', Date.now() + 1000, false)).toBe(true);
    expect(sent).toEqual([1]);
  });

  it('lets a forced tally (a close) through at once, whatever the spacing', async () => {
    const { em, sent, state } = setup();
    em.ready('e1', Date.now(), false);
    await em.publish('e1', '0-1-1', false, route);
    state.version = 2;
    const t0 = Date.now();
    expect(em.ready('e1', t0, true)).toBe(true);
    await em.publish('e1', '', true, route);
    expect(Date.now() - t0).toBeLessThan(500);
    expect(sent).toEqual([1, 2]);
  });
});

describe('LoadGovernor: the budget in force follows the busiest node', () => {
  const governor = (high = 0.8): LoadGovernor => new LoadGovernor({ ceiling: 24_000, high });

  it('starts at the ceiling and holds it while every node is under the high mark', () => {
    const g = governor();
    expect(g.framesPerSecond).toBe(24_000);
    for (const load of [0, 0.3, 0.6, 0.79]) expect(g.step(load, true)).toBe(24_000);
  });

  it('shrinks by 0.7 a step while a node is past the mark, down to an eighth of the ceiling', () => {
    const g = governor();
    expect(g.step(0.8, true)).toBe(16_800);
    expect(g.step(0.95, true)).toBe(11_760);
    expect(g.step(1, true)).toBe(8_232);
    expect(g.step(1, true)).toBe(5_762);
    expect(g.step(1, true)).toBe(4_033);
    expect(g.step(1, true)).toBe(3_000);
    expect(g.step(1, true)).toBe(3_000);
  });

  it('holds between the marks, grows 5% of the ceiling a step under the low one, up to it', () => {
    const g = governor();
    g.step(0.9, true);
    g.step(0.9, true); // 11,760
    expect(g.step(0.7, true)).toBe(11_760); // between 0.6 and 0.8: holds
    expect(g.step(0.6, true)).toBe(12_960);
    expect(g.step(0.31, true)).toBe(14_160);
    for (let i = 0; i < 20; i++) g.step(0.5, true);
    expect(g.framesPerSecond).toBe(24_000);
  });

  it('grows by half of itself a step while every node is quiet (slow start), up to the ceiling', () => {
    const g = governor();
    for (let i = 0; i < 6; i++) g.step(1, true);
    expect(g.framesPerSecond).toBe(3_000);
    // Under 0.3: × 1.5 when that is more than a twentieth of the ceiling (1,200).
    expect(g.step(0.3, true)).toBe(4_500);
    expect(g.step(0.1, true)).toBe(6_750);
    expect(g.step(0.45, true)).toBe(7_950); // between quiet and low: + 1,200
    expect(g.step(0, true)).toBe(11_925);
    expect(g.step(0, true)).toBe(17_887);
    expect(g.step(0, true)).toBe(24_000);
  });

  it('does not grow a budget that holds nothing back, and still shrinks it under load', () => {
    const g = governor();
    g.step(0.9, false); // a crowd arriving, no tallies yet: 16,800
    g.step(0.9, false); // 11,760
    // The crowd waits for voting to open: the machine is quiet, the budget unused. It holds, so
    // voting opens at what the machine last afforded, not at a budget nobody has sent.
    for (let i = 0; i < 120; i++) expect(g.step(0.05, false)).toBe(11_760);
    expect(g.step(0.95, false)).toBe(8_232);
    expect(g.step(0.1, true)).toBe(12_348); // voting: tallies held back, machine quiet
  });

  it('is off with a high mark of 0 or no budget, and ignores a load it could not read', () => {
    const off = governor(0);
    expect(off.enabled).toBe(false);
    expect(off.step(1, true)).toBe(24_000);
    const none = new LoadGovernor({ ceiling: 0, high: 0.8 });
    expect(none.enabled).toBe(false);
    expect(none.step(1, true)).toBe(0);
    expect(governor().step(Number.NaN, true)).toBe(24_000);
  });

  it('takes a floor, a low mark and steps of its own', () => {
    const g = new LoadGovernor({
      ceiling: 1000,
      high: 0.5,
      low: 0.4,
      floor: 600,
      decrease: 0.5,
      increase: 0.1,
      quiet: 0.2,
      quickGrowth: 1.2,
    });
    expect(g.step(0.5, true)).toBe(600);
    expect(g.step(0.45, true)).toBe(600);
    expect(g.step(0.4, true)).toBe(700);
    expect(g.step(0.4, false)).toBe(700);
    expect(g.step(0.2, true)).toBe(840); // quiet: × 1.2 beats + 100
    expect(g.step(0.2, true)).toBe(1000);
  });
});
