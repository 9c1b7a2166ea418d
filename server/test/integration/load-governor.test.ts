// The frame budget following the load, on the real three-node stack: every node samples its event
// loop, shares it through Redis, and the leader's budget in force shrinks while the busiest node is
// past TALLY_LOAD_HIGH. A mark no running node stays under (0.0001) makes "busy" certain, so the
// budget must walk from its ceiling (400 frames/s) down to its floor (an eighth: 50) and stay
// there, and 40 viewers (400 frames/s wanted at the base 100 ms) get their tallies 800 ms apart
// instead of 100, still reaching the final count. Growing back is unit-tested
// (unit/frame-budget.test.ts): a test cannot make a live node idle on demand.
import { startStack, type TestStack } from '../support';
import { openNewElection, signInAdmin } from '../support/elections';
import {
  castAtRate,
  closeAllViewers,
  connectViewers,
  leaderGauges,
  sleep,
  spread,
  voterTokens,
  waitFor,
} from './live-helpers';

const CEILING = 400;
const FLOOR = CEILING / 8;
const VIEWERS = 40;
/** 40 viewers × 10 frames/s = 400 frames/s, against 50: eight times the base 100 ms. */
const STRETCHED_MS = 800;

jest.setTimeout(120_000);
afterEach(closeAllViewers);

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({
    env: { TALLY_FRAME_BUDGET: String(CEILING), TALLY_LOAD_HIGH: '0.0001' },
  });
}, 240_000);
afterAll(async () => {
  if (stack) expect(await stack.stop()).toEqual([]);
}, 120_000);

interface LeaderGauges {
  budget: number;
  load: number;
  intervalS: number;
}

/** The leader's budget, load and interval off its /metrics. */
async function leaderNow(): Promise<LeaderGauges> {
  const [budget, load, intervalS] = await leaderGauges(stack, [
    'tallyboard_tally_frame_budget',
    'tallyboard_live_load',
    'tallyboard_tally_interval_seconds',
  ]);
  return { budget: budget!, load: load!, intervalS: intervalS! };
}

describe('load governor (TALLY_FRAME_BUDGET=400, TALLY_LOAD_HIGH=0.0001)', () => {
  it('walks the budget down to its floor while nodes are past the mark, and tallies follow it', async () => {
    // 400 → 280 → 196 → 137 → 95 → 66 → 50: six steps of a second.
    const t0 = Date.now();
    let before = await leaderNow();
    while (before.budget !== FLOOR) {
      if (Date.now() - t0 > 20_000)
        throw new Error(`budget not at ${FLOOR}: ${JSON.stringify(before)}`);
      await sleep(200);
      before = await leaderNow();
    }
    const ms = Date.now() - t0;
    console.log(`[load-governor] budget at ${FLOOR} frames/s ${ms} ms into the test`, before);
    expect(before.load).toBeGreaterThan(0);
    expect(before.load).toBeLessThanOrEqual(1);

    const election = await openNewElection(await signInAdmin(stack));
    const tokens = await voterTokens(stack, 80);
    const viewers = await connectViewers(stack.baseUrl, election.id, VIEWERS);
    await waitFor(
      () => viewers.every((v) => v.presence === VIEWERS),
      20_000,
      'presence counts every viewer',
    );
    for (const v of viewers) v.tallies = [];

    let during: Promise<LeaderGauges> | undefined;
    const report = await castAtRate(stack, election, tokens, 20, (n) => {
      if (n === 60) during = leaderNow();
    });
    expect(report.failed).toEqual([]);
    await waitFor(
      () => viewers.every((v) => v.latest?.ballots === 80),
      STRETCHED_MS + 3000,
      'every viewer at 80',
      10,
      () => spread(viewers),
    );
    const gauges = await during!;
    console.log('[load-governor] while voting', gauges);
    // The budget stays at its floor (the floor holds), and the interval is the floor's.
    expect(gauges.budget).toBe(FLOOR);
    expect(gauges.intervalS).toBeCloseTo(STRETCHED_MS / 1000, 1);
    expect(viewers.every((v) => v.backwards === 0)).toBe(true);
    // Unbudgeted, a viewer would get a tally every 100 ms; here no two come closer than a slot.
    for (const v of viewers) {
      for (let i = 1; i < v.tallies.length; i++) {
        expect(v.tallies[i]!.at - v.tallies[i - 1]!.at).toBeGreaterThanOrEqual(STRETCHED_MS - 150);
      }
    }
  });
});
