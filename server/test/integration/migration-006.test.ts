// Migration 006 on a database that already holds ballots: in a scratch schema on the test stack's
// master (MariaDB, as root), migrations 001-005 are applied, ballots with selections,
// abstentions and blank ones are stored the old way, and 006 must carry every choice into
// `ballots.choices`, key ballots by (election, receipt) and leave the old idempotency rows
// readable. The scratch schema is dropped at the end.
import { randomUUID } from 'node:crypto';
import { countChoices } from '../../src/ballots/choices';
import { migrations } from '../../src/db/migrations';
import { getStack } from '../support';

jest.setTimeout(60_000);

const schema = `tb_m006_${randomUUID().slice(0, 8)}`;
const inSchema = (statements: string[]): string =>
  `USE ${schema};\n${statements.map((s) => `${s};`).join('\n')}`;

afterAll(async () => {
  await getStack().masterQuery(`DROP DATABASE IF EXISTS ${schema}`);
});

it('carries stored selections and abstentions into ballots.choices', async () => {
  const stack = getStack();
  const before = migrations.filter((m) => m.id < '006');
  const m006 = migrations.find((m) => m.id === '006_lean_ballot_rows');
  expect(m006).toBeDefined();
  await stack.masterQuery(`CREATE DATABASE ${schema}`);
  await stack.masterQuery(inSchema(before.flatMap((m) => m.up)));
  await stack.masterQuery(
    inSchema([
      `INSERT INTO ballots (id, election_id, receipt) VALUES
         ('b1', 'e1', 'R1'), ('b2', 'e1', 'R2'), ('b3', 'e1', 'R3'), ('b4', 'e2', 'R1')`,
      `INSERT INTO ballot_selections (ballot_id, candidate_id, election_id, position_id) VALUES
         ('b1', 'c2', 'e1', 'p1'), ('b1', 'c1', 'e1', 'p1'), ('b2', 'c3', 'e1', 'p2'),
         ('b4', 'c9', 'e2', 'p9')`,
      `INSERT INTO ballot_abstentions (ballot_id, position_id, election_id) VALUES
         ('b2', 'p1', 'e1')`,
      `INSERT INTO idempotency (key_hash, receipt_enc, expires_at)
         VALUES (UNHEX(SHA2('k', 256)), 'sealed', UTC_TIMESTAMP() + INTERVAL 1 DAY)`,
    ]),
  );

  await stack.masterQuery(inSchema(m006!.up));

  const rows = await stack.masterQuery(
    inSchema(['SELECT election_id, receipt, choices FROM ballots ORDER BY election_id, receipt']),
  );
  expect(rows).toEqual([
    { election_id: 'e1', receipt: 'R1', choices: 'c1 c2' },
    { election_id: 'e1', receipt: 'R2', choices: 'c3 -p1' },
    { election_id: 'e1', receipt: 'R3', choices: '' },
    { election_id: 'e2', receipt: 'R1', choices: 'c9' },
  ]);
  const votes = new Map<string, number>();
  const abstained = new Map<string, number>();
  for (const r of rows.filter((r) => r.election_id === 'e1')) {
    countChoices(String(r.choices), votes, abstained);
  }
  expect(Object.fromEntries(votes)).toEqual({ c1: 1, c2: 1, c3: 1 });
  expect(Object.fromEntries(abstained)).toEqual({ p1: 1 });

  const tables = await stack.masterQuery(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${schema}'`,
  );
  const names = tables.map((r) => String(r.t));
  expect(names).not.toContain('ballot_selections');
  expect(names).not.toContain('ballot_abstentions');
  expect(names).toContain('idempotency'); // read until its rows expire
  const key = await stack.masterQuery(
    `SELECT GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
     FROM information_schema.statistics
     WHERE table_schema = '${schema}' AND table_name = 'ballots' AND index_name = 'PRIMARY'`,
  );
  expect(key[0]?.cols).toBe('election_id,receipt');
});
