// Drill: operator failover under load. A promote of a replica that is behind is refused (and says
// by how much); a promote of a caught-up replica moves the master with the nodes following by
// SIGHUP (no restart, no socket dropped); the old master rejoins as a replica. Nothing
// acknowledged is lost.
import { closeAllViewers } from '../integration/live-helpers';
import {
  BallotLoad,
  expectSettled,
  settle,
  startDrill,
  until,
  watchers,
  type Drill,
} from '../support/drill';

jest.setTimeout(600_000);

let drill: Drill;

beforeAll(async () => {
  drill = await startDrill();
});

afterAll(async () => {
  closeAllViewers();
  await drill?.stack.stop();
});

it('promote and rejoin under load: a lagging replica is refused, nothing acknowledged is lost', async () => {
  const { stack, election } = drill;
  const viewers = await watchers(drill);
  const nodePids = await Promise.all([0, 1, 2].map((i) => stack.nodePid(i)));
  const load = new BallotLoad(stack.baseUrl, election, { perSecond: 15 });
  load.start();
  await until('30 ballots acknowledged first', 120_000, () =>
    load.stats.acked >= 30 ? true : undefined,
  );

  // replica2 falls behind: its promotion is refused with the distance, and writes go on.
  await stack.stopReplicaSqlThread(1);
  const ackedBefore = load.stats.acked;
  await until('ballots the stopped replica misses', 60_000, () =>
    load.stats.acked >= ackedBefore + 10 ? true : undefined,
  );
  const refusal = await stack
    .exec(['promote', 'replica2'], { TB_PROMOTE_WAIT: '2' })
    .then(() => 'promoted')
    .catch((e: Error) => e.message);
  expect(refusal).toMatch(/replica2 is behind by \d+ transaction\(s\)/);
  expect(refusal).toMatch(/--force/);
  await stack.startReplicaSqlThread(1);
  const afterRefusal = load.stats.acked;
  await until('writes going on after the refusal', 60_000, () =>
    load.stats.acked >= afterRefusal + 10 ? true : undefined,
  );

  // The real switch: replica1 becomes the master.
  const t0 = Date.now();
  const out = await stack.exec(['promote', 'replica1']);
  const promoteMs = Date.now() - t0;
  expect(out).toMatch(/replica1 is the master/);
  const promoted = Date.now();
  const recoverMs =
    (await until('a ballot acknowledged on the new master', 60_000, () =>
      load.ackTimes.find((t) => t > promoted),
    )) - promoted;
  const [role] = await stack.dbQuery('replica1', 'SELECT @@global.read_only AS ro');
  expect(role!.ro).toBe('0');
  const [oldRole] = await stack.dbQuery('master', 'SELECT @@global.read_only AS ro');
  expect(oldRole!.ro).toBe('1');
  const ackedAtPromote = load.stats.acked;
  await until('30 more ballots on the new master', 120_000, () =>
    load.stats.acked >= ackedAtPromote + 30 ? true : undefined,
  );

  // The old master rejoins as a replica of replica1 and catches up.
  const r0 = Date.now();
  expect(await stack.exec(['rejoin'])).toMatch(/master is a replica again/);
  const rejoinMs = Date.now() - r0;
  const status = await stack.exec(['status']);
  expect(status).toMatch(/replica1\s+\d+\s+\d+\s+master, gtid/);
  expect(status).toMatch(/master\s+\d+\s+\d+\s+replicating/);

  const report = await settle('failover', drill, load, viewers, {
    recoverMs,
    promoteMs,
    rejoinMs,
    writePauseMs: load.longestPause(t0, promoted + recoverMs),
  });
  expectSettled(report);
  // The nodes followed by SIGHUP: same processes, and no viewer's socket dropped.
  expect(await Promise.all([0, 1, 2].map((i) => stack.nodePid(i)))).toEqual(nodePids);
  expect(viewers.reduce((n, v) => n + v.disconnects, 0)).toBe(0);
  const [onOldMaster] = await stack.dbQuery(
    'master',
    `SELECT COUNT(*) AS n FROM tallyboard.ballots WHERE election_id = '${election.id}'`,
  );
  await until('the rejoined old master holds every ballot', 30_000, async () => {
    const [r] = await stack.dbQuery(
      'master',
      `SELECT COUNT(*) AS n FROM tallyboard.ballots WHERE election_id = '${election.id}'`,
    );
    return Number(r!.n) === report.acked ? true : undefined;
  });
  expect(Number(onOldMaster!.n)).toBeLessThanOrEqual(report.acked);
});
