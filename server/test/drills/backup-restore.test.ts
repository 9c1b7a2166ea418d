// Drill: a backup taken from a replica mid-election under load (`stack.sh backup`, what
// `./build.sh --backup` runs), then restored into a fresh stack (`stack.sh restore`): the
// restored stack's recount matches the backup's ballots, and its replicas were rebuilt from it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AuditReport, Results } from '@tallyboard/shared';
import { expectSettled, settle, underLoad, useDrill } from '../support/drill';
import { signInAdmin } from '../support/elections';
import { requestJson } from '../support/http';
import { startStack, type TestStack } from '../support/stack';

const suite = useDrill();
let restored: TestStack | undefined;
const backups = mkdtempSync(path.join(os.tmpdir(), 'tb-backups-'));

afterAll(async () => {
  await restored?.stop();
  rmSync(backups, { recursive: true, force: true });
});

/**
 * Rows of `ballots` in a mariadb-dump file: `--quick` writes `INSERT INTO \`ballots\` VALUES`
 * and then one `(…)` row per line, the last ending in `;`.
 */
function ballotRowsInDump(file: string): number {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  let rows = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('INSERT INTO `ballots` VALUES')) continue;
    for (i++; i < lines.length && lines[i]!.startsWith('('); i++) {
      rows++;
      if (lines[i]!.endsWith(';')) break;
    }
  }
  return rows;
}

it('backup mid-election, restore into a fresh stack: the recount matches the backup', async () => {
  const { drill } = suite;
  const { stack, election } = drill;
  const { viewers, load } = await underLoad(drill, { warmUp: 40 });
  const t0 = Date.now();
  const out = await stack.exec(['backup', backups]);
  const backupMs = Date.now() - t0;
  const file = out.trim().split('\n').at(-1)!;
  expect(file).toMatch(/tallyboard-\d{8}T\d{6}Z\.sql\.gz$/);
  const info = readFileSync(`${file}.info`, 'utf8');
  expect(info).toMatch(/^source=replica[12]$/m);
  expect(info).toMatch(/^gtid=0-1-\d+$/m);
  const ackedAtBackup = load.stats.acked;
  await load.acknowledged(20, '20 more ballots after the backup');
  expectSettled(await settle('backup-source', drill, load, viewers, { backupMs }));

  const inBackup = ballotRowsInDump(file);
  expect(inBackup).toBeGreaterThanOrEqual(40);
  expect(inBackup).toBeLessThan(load.stats.acked);

  const r0 = Date.now();
  restored = await startStack({ command: ['restore', file] });
  const restoreMs = Date.now() - r0;
  const count = `SELECT COUNT(*) AS n FROM tallyboard.ballots WHERE election_id = '${election.id}'`;
  const [onMaster] = await restored.masterQuery(count);
  expect(Number(onMaster!.n)).toBe(inBackup);
  for (const i of [0, 1]) {
    const [onReplica] = await restored.replicaQuery(i, count);
    expect(Number(onReplica!.n)).toBe(inBackup);
  }
  const admin = await signInAdmin(restored);
  const audit = await requestJson<AuditReport>(
    `${restored.baseUrl}/api/elections/${election.id}/audit`,
    { token: admin.token },
  );
  expect(audit).toMatchObject({ match: true, ballots: inBackup, mismatches: [] });
  const results = await requestJson<Results>(
    `${restored.baseUrl}/api/elections/${election.id}/results`,
  );
  expect(results.ballots).toBe(inBackup);
  console.log(
    `[drill] ${JSON.stringify({ drill: 'backup-restore', inBackup, ackedAtBackup, backupMs, restoreMs, bytes: readFileSync(file).length })}`,
  );
});
