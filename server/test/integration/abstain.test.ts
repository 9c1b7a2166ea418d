// Per-position abstain and blank counts through nginx against the real master and replicas:
// an explicit abstention only where the position offers it, abstained and blank beside the
// candidates in the results, and a CSV with those rows, ballot and blank totals and a UTF-8 BOM.
import { ABSTAIN, type Election, type Results } from '@tallyboard/shared';
import { getStack } from '../support';
import { openNewElection, signInAdmin, type AdminSession } from '../support/elections';

jest.setTimeout(120_000);

let admin: AdminSession;

beforeAll(async () => {
  admin = await signInAdmin(getStack());
});

async function cast(e: Election, selections: Record<string, string[]>): Promise<number> {
  const { baseUrl } = getStack();
  const { voterToken } = (await (
    await fetch(`${baseUrl}/api/voters`, { method: 'POST' })
  ).json()) as {
    voterToken: string;
  };
  const res = await fetch(`${baseUrl}/api/elections/${e.id}/ballots`, {
    method: 'POST',
    headers: { authorization: `Bearer ${voterToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ selections }),
  });
  return res.status;
}

async function results(e: Election): Promise<Results> {
  const res = await fetch(`${getStack().baseUrl}/api/elections/${e.id}/results`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  return (await res.json()) as Results;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('abstain and blank', () => {
  it('counts abstentions and blanks per position, and exports them with totals', async () => {
    const e = await openNewElection(admin, {
      positions: [
        {
          title: 'Presidente',
          maxSelections: 1,
          winners: 1,
          allowAbstain: true,
          candidates: [{ name: 'José Núñez' }, { name: 'María Peña' }],
        },
        {
          title: 'Council',
          maxSelections: 2,
          winners: 2,
          candidates: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
        },
      ],
    });
    const [pres, council] = e.positions as [Election['positions'][0], Election['positions'][0]];
    const [jose] = pres.candidates;
    const [a, b] = council.candidates;

    // Abstain is refused where the position does not offer it, and alongside a candidate.
    expect(await cast(e, { [council.id]: [ABSTAIN] })).toBe(422);
    expect(await cast(e, { [pres.id]: [ABSTAIN, jose!.id] })).toBe(422);

    expect(await cast(e, { [pres.id]: [ABSTAIN], [council.id]: [a!.id, b!.id] })).toBe(201);
    expect(await cast(e, { [pres.id]: [jose!.id], [council.id]: [] })).toBe(201);
    expect(await cast(e, {})).toBe(201); // blank everywhere
    expect(await cast(e, { [pres.id]: [ABSTAIN] })).toBe(201);

    const r = await until(
      () => results(e),
      (x) => x.ballots === 4,
    );
    expect(r.ballots).toBe(4);
    expect(r.blank).toBe(1);
    const [rp, rc] = r.positions;
    expect({ abstained: rp!.abstained, blank: rp!.blank }).toEqual({ abstained: 2, blank: 1 });
    expect({ abstained: rc!.abstained, blank: rc!.blank }).toEqual({ abstained: 0, blank: 3 });
    expect(rp!.candidates.find((c) => c.id === jose!.id)?.votes).toBe(1);

    const csvRes = await fetch(`${getStack().baseUrl}/api/elections/${e.id}/export.csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const bytes = new Uint8Array(await csvRes.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(csv).toContain('"José Núñez"');
    const lines = csv.trim().split('\r\n');
    expect(lines).toContain(`"${pres.id}","Presidente","abstained","Abstained","2","","",""`);
    expect(lines).toContain(`"${pres.id}","Presidente","blank","Blank","1","","",""`);
    expect(lines).toContain(`"${council.id}","Council","blank","Blank","3","","",""`);
    expect(lines).toContain(`"","All positions","ballots","Ballots","4","","",""`);
    expect(lines.at(-1)).toBe(
      `"","All positions","blank_ballots","Blank ballots (nothing marked anywhere)","1","","",""`,
    );

    const json = (await (
      await fetch(`${getStack().baseUrl}/api/elections/${e.id}/export.json`, {
        headers: { authorization: `Bearer ${admin.token}` },
      })
    ).json()) as { blank: number; positions: Array<{ abstained: number; blank: number }> };
    expect(json.blank).toBe(1);
    expect(json.positions.map((p) => [p.abstained, p.blank])).toEqual([
      [2, 1],
      [0, 3],
    ]);
  });
});
