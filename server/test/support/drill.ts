// What every fault drill (server/test/drills) shares: a stack of its own with an open election
// (drill-stack.ts), a steady ballot load that retries like a real client (drill-load.ts), live
// viewers on the browser's own client, and the closing check: acknowledged = counted (none lost,
// none twice), the audit recount matches, every viewer at the final tally.
import type { AuditReport, Results } from '@tallyboard/shared';
import { connectViewers, spread, type LiveViewer } from '../integration/live-helpers';
import { BallotLoad, type LoadOptions } from './drill-load';
import { until, type Drill } from './drill-stack';
import { requestJson } from './http';

export { BallotLoad, type LoadOptions, type LoadStats } from './drill-load';
export {
  nodeHealth,
  readsByTarget,
  sleep,
  startDrill,
  until,
  useDrill,
  type Drill,
  type NodeHealth,
  type NodeReplica,
} from './drill-stack';

/** `n` live viewers through nginx, each joined (its snapshot received). */
export async function watchers(drill: Drill, n = 12): Promise<LiveViewer[]> {
  const viewers = await connectViewers(drill.stack.baseUrl, drill.election.id, n);
  await Promise.all(viewers.map((v) => v.ready()));
  return viewers;
}

/**
 * The start of most drills: `viewers` live viewers (12) joined, then a ballot load (15 voters a
 * second) running until `warmUp` ballots (30) are acknowledged, before the fault.
 */
export async function underLoad(
  drill: Drill,
  opts: LoadOptions & { viewers?: number; warmUp?: number } = {},
): Promise<{ viewers: LiveViewer[]; load: BallotLoad }> {
  const { viewers: n = 12, warmUp = 30, ...loadOptions } = opts;
  const viewers = await watchers(drill, n);
  const load = new BallotLoad(drill.stack.baseUrl, drill.election, {
    perSecond: 15,
    ...loadOptions,
  });
  load.start();
  await load.acknowledged(warmUp, `${warmUp} ballots acknowledged before the fault`);
  return { viewers, load };
}

export interface DrillReport {
  drill: string;
  acked: number;
  counted: number;
  lost: number;
  duplicated: number;
  gaveUp: number;
  recoverMs: number | null;
  viewersBackwards: number;
  answers: Record<string, number>;
  [extra: string]: unknown;
}

const results = (drill: Drill): Promise<Results> =>
  requestJson<Results>(`${drill.stack.baseUrl}/api/elections/${drill.election.id}/results`);

/**
 * The end of every drill: stops the load, then compares what was acknowledged with what the
 * master holds (receipt by receipt), waits for the public results and every viewer to show the
 * acknowledged total, and runs the audit recount. Prints the report and returns it.
 */
export async function settle(
  name: string,
  drill: Drill,
  load: BallotLoad,
  viewers: LiveViewer[],
  extra: Record<string, unknown> = {},
): Promise<DrillReport & { audit: AuditReport; viewerTotals: number[] }> {
  const stats = await load.stop();
  const rows = await drill.stack.masterQuery(
    `SELECT receipt FROM tallyboard.ballots WHERE election_id = '${drill.election.id}'`,
  );
  const stored = new Map<string, number>();
  for (const r of rows) stored.set(r.receipt!, (stored.get(r.receipt!) ?? 0) + 1);
  const acked = [...load.receipts.keys()];
  const lost = acked.filter((r) => !stored.has(r)).length;
  const duplicated =
    [...stored].reduce((n, [r, times]) => n + (load.receipts.has(r) ? times - 1 : times), 0) +
    [...load.receipts.values()].reduce((n, times) => n + times - 1, 0);
  await until(`results at ${acked.length} ballots`, 60_000, async () =>
    (await results(drill)).ballots === acked.length ? true : undefined,
  );
  const viewerTotals = await until('every viewer at the final tally', 60_000, () => {
    const totals = viewers.map((v) => v.latest?.ballots ?? -1);
    return totals.every((t) => t === acked.length) ? totals : undefined;
  }).catch(() => viewers.map((v) => v.latest?.ballots ?? -1));
  const audit = await requestJson<AuditReport>(
    `${drill.stack.baseUrl}/api/elections/${drill.election.id}/audit`,
    { token: drill.admin.token },
  );
  const report = {
    drill: name,
    acked: acked.length,
    counted: rows.length,
    lost,
    duplicated,
    gaveUp: stats.gaveUp,
    recoverMs: null,
    viewersBackwards: viewers.reduce((n, v) => n + v.backwards, 0),
    answers: stats.answers,
    ...extra,
    audit,
    viewerTotals,
  };
  console.log(
    `[drill] ${JSON.stringify({
      ...report,
      audit: undefined,
      viewerTotals: undefined,
      viewers: spread(viewers),
      viewersConnected: viewers.filter((v) => v.socket.connected).length,
      viewerDisconnects: viewers.reduce((n, v) => n + v.disconnects, 0),
    })}`,
  );
  return report;
}

/** The assertions every drill ends with. */
export function expectSettled(r: Awaited<ReturnType<typeof settle>>): void {
  expect({ lost: r.lost, duplicated: r.duplicated, gaveUp: r.gaveUp }).toEqual({
    lost: 0,
    duplicated: 0,
    gaveUp: 0,
  });
  expect(r.counted).toBe(r.acked);
  expect(r.acked).toBeGreaterThan(0);
  expect(r.audit).toMatchObject({ match: true, ballots: r.acked, mismatches: [] });
  expect(r.viewerTotals.every((t) => t === r.acked)).toBe(true);
}

/**
 * Samples what every viewer shows (its newest results' ballot count) and the public results
 * through nginx every `everyMs`, counting each time either moved backwards. Call the returned
 * function to stop it and read the counts.
 */
export function watchMonotonic(
  drill: Drill,
  viewers: LiveViewer[],
  everyMs = 250,
): () => { viewerDrops: number; resultDrops: number; samples: number } {
  const shown = viewers.map(() => 0);
  let lastResults = 0;
  let viewerDrops = 0;
  let resultDrops = 0;
  let samples = 0;
  let busy = false;
  const timer = setInterval(() => {
    samples++;
    viewers.forEach((v, i) => {
      const now = v.latest?.ballots ?? 0;
      if (now < shown[i]!) viewerDrops++;
      shown[i] = Math.max(shown[i]!, now);
    });
    if (busy) return;
    busy = true;
    results(drill)
      .then((r) => {
        if (r.ballots < lastResults) resultDrops++;
        lastResults = Math.max(lastResults, r.ballots);
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return () => {
    clearInterval(timer);
    return { viewerDrops, resultDrops, samples };
  };
}
