// The voting rules end to end, through nginx against the real master, replicas and Redis:
// exactly once, idempotent retries, tallies from the replicas within a second, authoritative
// close while a replica lags, results visibility, recount.
import { randomUUID } from 'node:crypto';
import type { Election, ElectionSummary, Results } from '@tallyboard/shared';
import { getStack, type TestStack } from '../support';
import {
  createElection as createDraft,
  openElection,
  signInAdmin,
  type AdminSession,
  type ElectionSpec,
} from '../support/elections';

jest.setTimeout(120_000);

let stack: TestStack;
let admin: AdminSession;

interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

async function call<T = unknown>(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** An election with a one-seat and a two-seat position, opened unless `open` is false. */
async function createElection(spec: ElectionSpec = {}, open = true): Promise<Election> {
  const e = await createDraft(admin, {
    title: `voting ${randomUUID().slice(0, 8)}`,
    positions: [
      {
        title: 'Chair',
        maxSelections: 1,
        winners: 1,
        candidates: [{ name: 'Ada' }, { name: 'Grace' }, { name: 'Edsger' }],
      },
      {
        title: 'Board',
        maxSelections: 2,
        winners: 2,
        candidates: [{ name: 'Alan' }, { name: 'Barbara' }, { name: 'Donald' }],
      },
    ],
    ...spec,
  });
  return open ? openElection(admin, e.id) : e;
}

async function voterToken(): Promise<string> {
  const r = await call<{ voterToken: string }>('POST', '/api/voters');
  expect(r.status).toBe(201);
  return r.body.voterToken;
}

const count = async (table: string, electionId: string): Promise<number> => {
  const rows = await stack.masterQuery(
    `SELECT COUNT(*) AS n FROM tallyboard.${table} WHERE election_id = '${electionId}'`,
  );
  return Number(rows[0]?.n);
};

beforeAll(async () => {
  stack = getStack();
  admin = await signInAdmin(stack);
});

describe('voting', () => {
  it('rejects a second ballot from the same voter under concurrency: one 201, nineteen 409', async () => {
    const e = await createElection();
    const token = await voterToken();
    const p = e.positions[0]!;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', `/api/elections/${e.id}/ballots`, {
          token,
          body: { selections: { [p.id]: [p.candidates[i % 3]!.id] } },
        }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await count('participation', e.id)).toBe(1);
    expect(await count('ballots', e.id)).toBe(1);
  });

  it('answers retries with one Idempotency-Key with one ballot and the same receipt', async () => {
    const e = await createElection();
    const token = await voterToken();
    const p = e.positions[0]!;
    const body = { selections: { [p.id]: [p.candidates[1]!.id] } };
    const key = randomUUID();
    const cast = () =>
      call<{ receipt: string }>('POST', `/api/elections/${e.id}/ballots`, {
        token,
        body,
        headers: { 'Idempotency-Key': key },
      });
    const parallel = await Promise.all(Array.from({ length: 8 }, cast));
    const later = [await cast(), await cast()];
    const all = [...parallel, ...later];
    expect(all.filter((r) => r.status === 201)).toHaveLength(1);
    expect(all.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(new Set(all.map((r) => r.body.receipt)).size).toBe(1);
    expect(await count('ballots', e.id)).toBe(1);

    // Another voter using the same key is a different ballot.
    const other = await call<{ receipt: string }>('POST', `/api/elections/${e.id}/ballots`, {
      token: await voterToken(),
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(other.status).toBe(201);
    expect(other.body.receipt).not.toBe(all[0]!.body.receipt);

    const check = await call<{ counted: boolean }>(
      'GET',
      `/api/elections/${e.id}/receipts/${all[0]!.body.receipt}`,
    );
    expect(check.body.counted).toBe(true);
    const missing = await call<{ counted: boolean }>(
      'GET',
      `/api/elections/${e.id}/receipts/AAAA-AAAA-AAAA-AAAA`,
    );
    expect(missing.body.counted).toBe(false);

    // A retry that comes after the close still gets its receipt; a new ballot does not go in.
    expect(
      (await call('POST', `/api/elections/${e.id}/close`, { token: admin.token })).status,
    ).toBe(200);
    const afterClose = await cast();
    expect(afterClose.status).toBe(200);
    expect(afterClose.body.receipt).toBe(all[0]!.body.receipt);
    const fresh = await call('POST', `/api/elections/${e.id}/ballots`, {
      token: await voterToken(),
      body,
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(fresh.status).toBe(403);
    expect(await count('ballots', e.id)).toBe(2);
  });

  it('shows 1,000 ballots from distinct voters in results from the replicas within 1 s of the last ack, and the recount matches', async () => {
    const e = await createElection();
    const [chair, board] = e.positions as [Election['positions'][0], Election['positions'][0]];
    const tokens = await Promise.all(Array.from({ length: 1000 }, voterToken));
    const expected = new Map<string, number>();
    let lastAck = 0;
    let next = 0;
    const worker = async () => {
      while (next < tokens.length) {
        const i = next++;
        const sel: Record<string, string[]> = { [chair.id]: [chair.candidates[i % 3]!.id] };
        if (i % 4 !== 0)
          sel[board.id] = [board.candidates[i % 3]!.id, board.candidates[(i + 1) % 3]!.id];
        if (i % 10 === 0) delete sel[chair.id]; // partial ballots
        for (const ids of Object.values(sel))
          for (const c of ids) expected.set(c, (expected.get(c) ?? 0) + 1);
        const r = await call('POST', `/api/elections/${e.id}/ballots`, {
          token: tokens[i],
          body: { selections: sel },
        });
        expect(r.status).toBe(201);
        lastAck = Date.now();
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));

    let results: Results | null = null;
    for (;;) {
      const r = await call<Results>('GET', `/api/elections/${e.id}/results`);
      expect(r.status).toBe(200);
      if (r.body.ballots === 1000) {
        results = r.body;
        break;
      }
      expect(Date.now() - lastAck).toBeLessThan(1000);
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(Date.now() - lastAck).toBeLessThan(1000);
    for (const p of results.positions) {
      for (const c of p.candidates) expect(c.votes).toBe(expected.get(c.id) ?? 0);
    }
    // The replicas themselves hold the counters.
    for (const i of [0, 1]) {
      const rows = await stack.replicaQuery(
        i,
        `SELECT ballots FROM tallyboard.election_tallies WHERE election_id = '${e.id}'`,
      );
      expect(Number(rows[0]?.ballots)).toBeGreaterThan(0);
    }
    const audit = await call<{ match: boolean; ballots: number; participation: number }>(
      'GET',
      `/api/elections/${e.id}/audit`,
      { token: admin.token },
    );
    expect(audit.body).toMatchObject({ match: true, ballots: 1000, participation: 1000 });
  });

  it('refuses a ballot after close even while a replica SQL thread is stopped', async () => {
    const e = await createElection();
    const p = e.positions[0]!;
    const body = { selections: { [p.id]: [p.candidates[0]!.id] } };
    const before = await call('POST', `/api/elections/${e.id}/ballots`, {
      token: await voterToken(),
      body,
    });
    expect(before.status).toBe(201);
    await stack.stopReplicaSqlThread(0);
    await stack.stopReplicaSqlThread(1);
    try {
      const closed = await call('POST', `/api/elections/${e.id}/close`, { token: admin.token });
      expect(closed.status).toBe(200);
      const tokens = await Promise.all(Array.from({ length: 10 }, voterToken));
      const after = await Promise.all(
        tokens.map((token) =>
          call<{ error: { code: string } }>('POST', `/api/elections/${e.id}/ballots`, {
            token,
            body,
          }),
        ),
      );
      for (const r of after) {
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('not_open');
      }
      expect(await count('ballots', e.id)).toBe(1);
      expect(await count('participation', e.id)).toBe(1);
    } finally {
      await stack.startReplicaSqlThread(0);
      await stack.startReplicaSqlThread(1);
    }
  });

  it('refuses ballots once closesAt passes, by the master clock', async () => {
    const e = await createElection({ closesAt: new Date(Date.now() + 1500).toISOString() });
    const p = e.positions[0]!;
    await new Promise((r) => setTimeout(r, 1700));
    const r = await call<{ error: { code: string } }>('POST', `/api/elections/${e.id}/ballots`, {
      token: await voterToken(),
      body: { selections: { [p.id]: [p.candidates[0]!.id] } },
    });
    expect(r.status).toBe(403);
    expect(await count('ballots', e.id)).toBe(0);
  });

  it('refuses results hidden by resultsVisibility to voters, shows them to admins', async () => {
    const after = await createElection({ resultsVisibility: 'after_close' });
    const adminOnly = await createElection({ resultsVisibility: 'admin_only' });
    const voter = await voterToken();
    for (const e of [after, adminOnly]) {
      for (const token of [voter, undefined]) {
        const r = await call<{ error: { code: string } }>('GET', `/api/elections/${e.id}/results`, {
          token,
        });
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('results_hidden');
        const csv = await call('GET', `/api/elections/${e.id}/export.json`, { token });
        expect(csv.status).toBe(403);
        // Not even the turnout leaks through the election list.
        const list = await call<ElectionSummary[]>('GET', '/api/elections', { token });
        expect(list.body.find((x) => x.id === e.id)?.ballots).toBeNull();
      }
      const adminList = await call<ElectionSummary[]>('GET', '/api/elections', {
        token: admin.token,
      });
      expect(adminList.body.find((x) => x.id === e.id)?.ballots).toBe(0);
      expect(
        (await call('GET', `/api/elections/${e.id}/results`, { token: admin.token })).status,
      ).toBe(200);
    }
    await call('POST', `/api/elections/${after.id}/close`, { token: admin.token });
    const r = await call<Results>('GET', `/api/elections/${after.id}/results`, { token: voter });
    expect(r.status).toBe(200);
    expect(r.body.final).toBe(true);
    await call('POST', `/api/elections/${adminOnly.id}/close`, { token: admin.token });
    expect(
      (await call('GET', `/api/elections/${adminOnly.id}/results`, { token: voter })).status,
    ).toBe(403);
  });
});
