// Drill: operator failover under load. A promote of a replica that is behind is refused (and says
// by how much); a promote of a caught-up replica moves the master with the nodes following by
// SIGHUP (no restart, no socket dropped), and their reads leave the promoted replica; the old
// master rejoins as a replica and the nodes read from it. Nothing acknowledged is lost.
import type { Drill } from '../support/drill';
import {
  expectSettled,
  nodeHealth,
  readsByTarget,
  settle,
  underLoad,
  until,
  useDrill,
} from '../support/drill';
import { requestJson } from '../support/http';

const suite = useDrill();

/** Every node's replica list (name@address), once all nodes agree on `want`. */
async function replicaListsBecome(drill: Drill, want: string[], what: string): Promise<number> {
  const t0 = Date.now();
  await until(what, 30_000, async () => {
    const lists = await Promise.all(
      drill.stack.ports.nodes.map(async (p) =>
        (await nodeHealth(p)).replicas.map((r) => `${r.name}@${r.address}`).sort(),
      ),
    );
    return lists.every((l) => JSON.stringify(l) === JSON.stringify([...want].sort()))
      ? true
      : undefined;
  });
  return Date.now() - t0;
}

/**
 * Reads served per target over a stretch of public results polls (reads on the replicas): what
 * the routers really did, from /metrics before and after.
 */
async function readsDuring(drill: Drill, polls = 60): Promise<Record<string, number>> {
  const before = await readsByTarget(drill.stack);
  const url = `${drill.stack.baseUrl}/api/elections/${drill.election.id}/results`;
  for (let i = 0; i < polls; i++) await requestJson(url);
  const after = await readsByTarget(drill.stack);
  return Object.fromEntries(
    Object.entries(after).map(([target, n]) => [target, n - (before[target] ?? 0)]),
  );
}

it('promote and rejoin under load: a lagging replica is refused, reads follow, nothing acknowledged is lost', async () => {
  const { drill } = suite;
  const { stack, election } = drill;
  const [r1, r2] = stack.ports.replicas.map((p) => `127.0.0.1:${p}`);
  const nodePids = await Promise.all([0, 1, 2].map((i) => stack.nodePid(i)));
  const { viewers, load } = await underLoad(drill);
  const readsBefore = await readsDuring(drill);
  expect(readsBefore.replica1).toBeGreaterThan(0);
  expect(readsBefore.replica2).toBeGreaterThan(0);

  // replica2 falls behind: its promotion is refused with the distance, and writes go on.
  await stack.stopReplicaSqlThread(1);
  await load.acknowledged(10, 'ballots the stopped replica misses', 60_000);
  const refusal = await stack
    .exec(['promote', 'replica2'], { TB_PROMOTE_WAIT: '2' })
    .then(() => 'promoted')
    .catch((e: Error) => e.message);
  expect(refusal).toMatch(/replica2 is behind by \d+ transaction\(s\)/);
  expect(refusal).toMatch(/--force/);
  await stack.startReplicaSqlThread(1);
  await load.acknowledged(10, 'writes going on after the refusal', 60_000);
  await until('replica2 back in every node’s rotation', 30_000, async () => {
    const h = await Promise.all(stack.ports.nodes.map(nodeHealth));
    return h.every((x) => x.replicas.find((r) => r.name === 'replica2')?.ok) ? true : undefined;
  });

  // The real switch: replica1 becomes the master, and stops serving reads.
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
  const replicasFollowMs = await replicaListsBecome(
    drill,
    [`replica2@${r2}`],
    'every node reading from replica2 only',
  );
  const readsAfterPromote = await readsDuring(drill);
  expect(readsAfterPromote.replica1 ?? 0).toBe(0);
  expect(readsAfterPromote.replica2).toBeGreaterThan(0);
  await load.acknowledged(30, '30 more ballots on the new master');

  // The old master rejoins as a replica of replica1, catches up, and serves reads again.
  const r0 = Date.now();
  expect(await stack.exec(['rejoin'])).toMatch(/master is a replica again/);
  const rejoinMs = Date.now() - r0;
  const status = await stack.exec(['status']);
  expect(status).toMatch(/replica1\s+\d+\s+\d+\s+master, gtid/);
  expect(status).toMatch(/master\s+\d+\s+\d+\s+replicating/);
  const oldMaster = `127.0.0.1:${stack.ports.master}`;
  await replicaListsBecome(
    drill,
    [`replica2@${r2}`, `old-master@${oldMaster}`],
    'every node reading from replica2 and the old master',
  );
  await until('the old master in every node’s rotation', 30_000, async () => {
    const h = await Promise.all(stack.ports.nodes.map(nodeHealth));
    return h.every((x) => x.replicas.every((r) => r.ok)) ? true : undefined;
  });
  const readsAfterRejoin = await readsDuring(drill);
  expect(readsAfterRejoin['old-master']).toBeGreaterThan(0);
  expect(readsAfterRejoin.replica2).toBeGreaterThan(0);
  expect(readsAfterRejoin.replica1 ?? 0).toBe(0);

  const report = await settle('failover', drill, load, viewers, {
    recoverMs,
    promoteMs,
    rejoinMs,
    replicasFollowMs,
    writePauseMs: load.longestPause(t0, promoted + recoverMs),
    reads: { before: readsBefore, afterPromote: readsAfterPromote, afterRejoin: readsAfterRejoin },
    promoted: r1,
  });
  expectSettled(report);
  // The nodes followed by SIGHUP: same processes, and no viewer's socket dropped.
  expect(await Promise.all([0, 1, 2].map((i) => stack.nodePid(i)))).toEqual(nodePids);
  expect(viewers.reduce((n, v) => n + v.disconnects, 0)).toBe(0);
  await until('the rejoined old master holds every ballot', 30_000, async () => {
    const [r] = await stack.dbQuery(
      'master',
      `SELECT COUNT(*) AS n FROM tallyboard.ballots WHERE election_id = '${election.id}'`,
    );
    return Number(r!.n) === report.acked ? true : undefined;
  });
});
