// Drill: the master's mariadbd is SIGKILLed under a steady ballot load with live viewers, stays
// down a while, and is started again alone (`stack.sh start-db master`). Ballots must fail fast
// with 503 master_unavailable and Retry-After, reads and joins go on from the replicas, /readyz
// keeps the nodes in rotation, and writes resume with no node restarted.
import { LiveViewer } from '../integration/live-helpers';
import { expectSettled, nodeHealth, settle, underLoad, until, useDrill } from '../support/drill';
import { requestJson } from '../support/http';

const suite = useDrill();

it('master SIGKILL then back: fast 503s, reads go on, writes resume without a node restart; nothing lost', async () => {
  const { drill } = suite;
  const { stack, election } = drill;
  const nodePids = await Promise.all([0, 1, 2].map((i) => stack.nodePid(i)));
  const { viewers, load } = await underLoad(drill, { warmUp: 40 });

  const killedAt = Date.now();
  process.kill(stack.dbPid('master'), 'SIGKILL');
  await until('every node to see the master away', 30_000, async () => {
    const h = await Promise.all(stack.ports.nodes.map(nodeHealth));
    return h.every((x) => !x.writable) ? h : undefined;
  });

  // A ballot while the master is down: refused at once, with Retry-After, nothing written.
  const { voterToken } = await requestJson<{ voterToken: string }>(`${stack.baseUrl}/api/voters`, {
    method: 'POST',
  });
  const position = election.positions[0]!;
  const t0 = Date.now();
  const refused = await fetch(`${stack.baseUrl}/api/elections/${election.id}/ballots`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${voterToken}`,
      'Idempotency-Key': 'master-down-probe',
    },
    body: JSON.stringify({ selections: { [position.id]: [position.candidates[0]!.id] } }),
  });
  const refusedMs = Date.now() - t0;
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
    'master_unavailable',
  );
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(refusedMs).toBeLessThan(2000);

  // Reads go on: readiness through nginx, public results, a new viewer's join.
  const ready = await fetch(`${stack.baseUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ ready: true, writable: false });
  const results = await until('results from the replicas', 30_000, async () => {
    const res = await fetch(`${stack.baseUrl}/api/elections/${election.id}/results`);
    return res.ok ? ((await res.json()) as { ballots: number }) : undefined;
  });
  expect(results.ballots).toBeGreaterThanOrEqual(40);
  const late = new LiveViewer(stack.baseUrl, election.id);
  expect(await late.ready()).toMatchObject({ ok: true });
  viewers.push(late);

  // Down long enough for the load to pile up refusals, then back: only the master's mariadbd.
  await until('ten refused ballots and 5 s with the master down', 60_000, () =>
    (load.stats.answers['503 master_unavailable'] ?? 0) +
      (load.stats.answers['socket master_unavailable'] ?? 0) >=
      10 && Date.now() - killedAt >= 5000
      ? true
      : undefined,
  );
  const downMs = Date.now() - killedAt;
  const startedAt = Date.now();
  expect(await stack.exec(['start-db', 'master'])).toMatch(/MariaDB master answers/);
  const startDbMs = Date.now() - startedAt;
  await until('a ballot acknowledged after the master is back', 120_000, () =>
    load.acksAfter(startedAt) > 0 ? true : undefined,
  );
  const recoverMs = load.ackTimes.find((t) => t > startedAt)! - startedAt;
  await load.acknowledged(40, '40 more ballots after the return');

  const report = await settle('master-down', drill, load, viewers, {
    recoverMs,
    downMs,
    startDbMs,
    refusedMs,
    slowestRefusalMs: load.stats.slowestRefusalMs,
    writePauseMs: load.longestPause(killedAt, startedAt + recoverMs),
  });
  expectSettled(report);
  expect(load.stats.refusalsWithoutRetryAfter).toBe(0);
  expect(load.stats.slowestRefusalMs).toBeLessThan(3000);
  // No node restarted: the same processes took the writes back.
  expect(await Promise.all([0, 1, 2].map((i) => stack.nodePid(i)))).toEqual(nodePids);
  const h = await Promise.all(stack.ports.nodes.map(nodeHealth));
  expect(h.every((x) => x.writable)).toBe(true);
});
