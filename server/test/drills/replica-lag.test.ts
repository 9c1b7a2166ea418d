// Drill: one replica's SQL thread stopped for 30 s during voting. Tallies never go backwards on
// any viewer, the lagging replica leaves the read rotation, and everything converges once it
// applies again.
import {
  expectSettled,
  nodeHealth,
  settle,
  sleep,
  underLoad,
  until,
  useDrill,
  watchMonotonic,
} from '../support/drill';

const suite = useDrill();

const replicaOk = async (port: number, name: string): Promise<boolean> =>
  (await nodeHealth(port)).replicas.find((r) => r.name === name)?.ok === true;

it('replica SQL thread stopped 30 s: no tally goes backwards, reads leave it, all converge', async () => {
  const { drill } = suite;
  const { stack, election } = drill;
  const { viewers, load } = await underLoad(drill);
  const stopWatching = watchMonotonic(drill, viewers);

  await stack.stopReplicaSqlThread(0);
  const stoppedAt = Date.now();
  const outMs = await until('every node to take replica1 out of rotation', 30_000, async () => {
    const ok = await Promise.all(stack.ports.nodes.map((p) => replicaOk(p, 'replica1')));
    return ok.every((x) => !x) ? Date.now() - stoppedAt : undefined;
  });
  await sleep(Math.max(0, 30_000 - (Date.now() - stoppedAt)));
  const behind = await stack.replicaQuery(
    0,
    `SELECT COUNT(*) AS n FROM tallyboard.ballots WHERE election_id = '${election.id}'`,
  );
  const [onMaster] = await stack.masterQuery(
    `SELECT COUNT(*) AS n FROM tallyboard.ballots WHERE election_id = '${election.id}'`,
  );
  expect(Number(behind[0]!.n)).toBeLessThan(Number(onMaster!.n));

  await stack.startReplicaSqlThread(0);
  const resumedAt = Date.now();
  const recoverMs = await until('every node to put replica1 back', 60_000, async () => {
    const ok = await Promise.all(stack.ports.nodes.map((p) => replicaOk(p, 'replica1')));
    return ok.every((x) => x) ? Date.now() - resumedAt : undefined;
  });
  await load.acknowledged(20, '20 more ballots after it resumed');
  const report = await settle('replica-lag', drill, load, viewers, {
    recoverMs,
    outOfRotationMs: outMs,
  });
  const drops = stopWatching();
  console.log(`[drill] replica-lag monotonic ${JSON.stringify(drops)}`);
  expectSettled(report);
  expect(drops.viewerDrops).toBe(0);
  // REST results carry no read-your-writes position, so two replicas a few ms apart may answer
  // a poll each way: measured and printed above, not a promise the API makes.
  expect(drops.samples).toBeGreaterThan(100);
  const [caughtUp] = await stack.replicaQuery(
    0,
    `SELECT COUNT(*) AS n FROM tallyboard.ballots WHERE election_id = '${election.id}'`,
  );
  expect(Number(caughtUp!.n)).toBe(report.acked);
});
