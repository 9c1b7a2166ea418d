// The secret ballot survives the database's own logs (docs/security.md): the nodes' account
// cannot read a binlog or relay log nor change the schema, the binlog holds no password and no
// statement text, and an election's anonymitySet keeps every committed transaction at k ballots
// or more, except the last one at close.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import type { Election } from '@tallyboard/shared';
import { getStack, type TestStack } from '../support';

jest.setTimeout(180_000);

const run = promisify(execFile);
let stack: TestStack;
let admin: string;

async function call<T>(base: string, method: string, p: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${p}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** As the nodes' own account (DB_USER), on the master or replica i. */
async function asApp(where: 'master' | number) {
  const port = where === 'master' ? stack.ports.master : stack.ports.replicas[where]!;
  return mysql.createConnection({
    host: '127.0.0.1',
    port,
    user: stack.nodeEnv.DB_USER,
    password: stack.nodeEnv.DB_PASSWORD,
    database: stack.nodeEnv.DB_NAME,
  });
}

/** The master's binlogs, decoded (row events as pseudo-SQL comments). */
async function masterBinlog(): Promise<string> {
  const dir = path.join(stack.dir, 'mariadb', 'master', 'data');
  const files = readdirSync(dir)
    .filter((f) => /^binlog\.\d+$/.test(f))
    .map((f) => path.join(dir, f));
  expect(files.length).toBeGreaterThan(0);
  const { stdout } = await run(
    'mariadb-binlog',
    ['--no-defaults', '--base64-output=DECODE-ROWS', '--verbose', ...files],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout;
}

/** Ballots of `electionId` in each transaction of the binlog that wrote any, in commit order. */
function ballotsPerTransaction(binlog: string, electionId: string): number[] {
  const sizes: number[] = [];
  for (const trx of binlog.split(/\n#\d{6}\s+\S+\s+server id \d+\s.*\sGTID /)) {
    const inserts = trx.matchAll(
      // A ballots row is (election_id, receipt, choices) since migration 006: @1 is the election.
      /### INSERT INTO `[^`]+`\.`ballots`\n### SET\n###\s+@1='([^']*)'/g,
    );
    const n = [...inserts].filter((m) => m[1] === electionId).length;
    if (n > 0) sizes.push(n);
  }
  return sizes;
}

beforeAll(async () => {
  stack = getStack();
  const r = await call<{ token: string }>(stack.baseUrl, 'POST', '/api/auth/login', undefined, {
    email: stack.admin.email,
    password: stack.admin.password,
  });
  admin = r.body.token;
});

async function openElection(extra: Record<string, unknown>): Promise<Election> {
  const r = await call<Election>(stack.baseUrl, 'POST', '/api/elections', admin, {
    title: `binlog ${Math.random().toString(36).slice(2, 8)}`,
    access: 'open',
    resultsVisibility: 'live',
    positions: [
      { title: 'Chair', maxSelections: 1, winners: 1, candidates: [{ name: 'A' }, { name: 'B' }] },
    ],
    ...extra,
  });
  expect(r.status).toBe(201);
  expect(
    (await call(stack.baseUrl, 'POST', `/api/elections/${r.body.id}/open`, admin)).status,
  ).toBe(200);
  return r.body;
}

async function voterToken(): Promise<string> {
  const r = await call<{ voterToken: string }>(stack.baseUrl, 'POST', '/api/voters');
  expect(r.status).toBe(201);
  return r.body.voterToken;
}

describe('the app account', () => {
  it('cannot read binlog or relay log events, on the master or a replica', async () => {
    for (const where of ['master', 0, 1] as const) {
      const conn = await asApp(where);
      try {
        await expect(conn.query('SHOW BINLOG EVENTS')).rejects.toThrow(/denied/i);
        await expect(conn.query('SHOW RELAYLOG EVENTS')).rejects.toThrow(/denied/i);
        await expect(conn.query('SHOW SLAVE STATUS')).rejects.toThrow(/denied/i);
      } finally {
        await conn.end();
      }
    }
  });

  it('holds only row privileges on its own database (SHOW GRANTS), and no DDL', async () => {
    for (const where of ['master', 0] as const) {
      const conn = await asApp(where);
      try {
        const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW GRANTS');
        const grants = rows.map((r) => String(Object.values(r)[0]));
        expect(grants).toHaveLength(2);
        expect(grants[0]).toMatch(/^GRANT USAGE ON \*\.\* TO /);
        expect(grants[1]).toMatch(/^GRANT SELECT, INSERT, UPDATE, DELETE ON `tallyboard`\.\* TO /);
        if (where === 'master') {
          // (a replica refuses any write anyway: read_only)
          const ddl = [
            'CREATE TABLE tb_ddl_probe (id INT)',
            'ALTER TABLE ballots ADD COLUMN x INT',
          ];
          for (const sql of ddl) await expect(conn.query(sql)).rejects.toThrow(/denied/i);
        }
      } finally {
        await conn.end();
      }
    }
  });
});

describe('the master binlog', () => {
  it('holds no password and no annotate (statement text) event, with ballots written', async () => {
    const e = await openElection({});
    const token = await voterToken();
    const cast = await call(stack.baseUrl, 'POST', `/api/elections/${e.id}/ballots`, token, {
      selections: { [e.positions[0]!.id]: [e.positions[0]!.candidates[0]!.id] },
    });
    expect(cast.status).toBe(201);
    const binlog = await masterBinlog();
    expect(binlog).toMatch(/### INSERT INTO `tallyboard`\.`ballots`/); // it was read for real
    expect(binlog).not.toMatch(/IDENTIFIED BY/i);
    expect(binlog).not.toMatch(/Annotate_rows/);
    expect(binlog).not.toMatch(/INSERT INTO participation/i);
  });

  it('expires binlogs and purges relay logs (the instances run with the settings)', async () => {
    const [v] = await stack.masterQuery(
      'SELECT @@binlog_expire_logs_seconds AS e, @@binlog_annotate_row_events AS a',
    );
    expect(v).toEqual({ e: '86400', a: '0' });
    const [r] = await stack.replicaQuery(0, 'SELECT @@relay_log_purge AS p');
    expect(r).toEqual({ p: '1' });
  });
});

describe('anonymitySet', () => {
  it('commits ballots trickling in one a second only in transactions of k, but the last at close', async () => {
    const e = await openElection({ anonymitySet: 5 });
    expect(e.anonymitySet).toBe(5);
    const position = e.positions[0]!;
    const tokens = await Promise.all(Array.from({ length: 12 }, () => voterToken()));
    // One node's own port: the hold is per node (docs/security.md), and this is its batching.
    const node = `http://127.0.0.1:${stack.ports.nodes[0]}`;
    const casts: Array<Promise<{ status: number }>> = [];
    for (const [i, token] of tokens.entries()) {
      casts.push(
        call(node, 'POST', `/api/elections/${e.id}/ballots`, token, {
          selections: { [position.id]: [position.candidates[i % 2]!.id] },
        }),
      );
      await new Promise((r) => setTimeout(r, 1000));
    }
    const close = await call(stack.baseUrl, 'POST', `/api/elections/${e.id}/close`, admin);
    expect(close.status).toBe(200);
    // Every ballot sent before the close was committed and acknowledged, none stranded.
    expect((await Promise.all(casts)).map((c) => c.status)).toEqual(tokens.map(() => 201));
    const sizes = ballotsPerTransaction(await masterBinlog(), e.id);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(12);
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(5);
  });

  it('defaults by access mode and is part of the election payload', async () => {
    const e = await openElection({});
    expect(e.anonymitySet).toBe(1);
    const r = await call<Election>(stack.baseUrl, 'POST', '/api/elections', admin, {
      title: 'accounts default',
      access: 'accounts',
      resultsVisibility: 'live',
      positions: [{ title: 'P', maxSelections: 1, winners: 1, candidates: [{ name: 'A' }] }],
    });
    expect(r.body.anonymitySet).toBe(5);
    const bad = await call(stack.baseUrl, 'POST', '/api/elections', admin, {
      title: 'bad k',
      access: 'open',
      resultsVisibility: 'live',
      anonymitySet: 0,
      positions: [{ title: 'P', maxSelections: 1, winners: 1, candidates: [{ name: 'A' }] }],
    });
    expect(bad.status).toBe(422);
  });
});
