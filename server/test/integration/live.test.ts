// The live layer against the real three-node stack behind nginx: coalesced tallies reaching every
// viewer, snapshots on (re)join, visibility per viewer, ballots over the socket.
import type { ElectionStatusEvent } from '@tallyboard/shared';
import { getStack } from '../support';
import {
  closeElection,
  createElection,
  openNewElection,
  scheduleElection,
  signInAdmin,
} from '../support/elections';
import {
  castAtRate,
  closeAllViewers,
  connectViewers,
  LiveViewer,
  sleep,
  spread,
  voterTokens,
  waitFor,
} from './live-helpers';

const stack = getStack();
jest.setTimeout(90_000);
afterEach(closeAllViewers);

describe('live tallies across three nodes', () => {
  it('brings 300 viewers to the final tally within 1 s of the last of 600 ballots, coalesced and never backwards', async () => {
    const election = await openNewElection(await signInAdmin(stack));
    let t0 = Date.now();
    const tokens = await voterTokens(stack, 600);
    const tokensMs = Date.now() - t0;
    t0 = Date.now();
    const viewers = await connectViewers(stack.baseUrl, election.id, 300);
    const connectMs = Date.now() - t0;
    t0 = Date.now();
    expect(viewers.every((v) => v.joinAcks[0]?.ok)).toBe(true);

    // One viewer drops out mid-vote and comes back: its join ack must carry the current tally.
    const rejoiner = viewers[0]!;
    let ackedAtReconnect = -1;
    const report = await castAtRate(stack, election, tokens, 300, (n) => {
      if (n === 200) rejoiner.socket.disconnect();
      if (n === 350) {
        ackedAtReconnect = n;
        rejoiner.socket.connect();
      }
    });
    console.log(
      `[live] tokens ${tokensMs} ms, 300 viewers joined in ${connectMs} ms, 600 ballots in ${report.lastAckAt - t0} ms`,
    );
    expect(report.failed).toEqual([]);
    expect(report.acked).toBe(600);

    await waitFor(
      () => viewers.every((v) => v.latest?.ballots === 600),
      5000,
      'all at 600',
      10,
      () => spread(viewers),
    );
    const sinceLastAck = Date.now() - report.lastAckAt;
    console.log(`[live] 300 viewers converged ${sinceLastAck} ms after the last ack`);
    expect(sinceLastAck).toBeLessThanOrEqual(1000);

    await waitFor(() => rejoiner.joinAcks.length > 1, 5000, 'the rejoin ack');
    const rejoin = rejoiner.joinAcks[1];
    expect(rejoin?.ok).toBe(true);
    if (rejoin?.ok) expect(rejoin.results?.ballots).toBeGreaterThanOrEqual(ackedAtReconnect);

    const rates = viewers.map((v) => v.rate());
    console.log(`[live] max tally rate per viewer ${Math.max(...rates).toFixed(1)}/s`);
    expect(viewers.filter((v) => v.backwards > 0)).toHaveLength(0);
    expect(Math.max(...rates)).toBeLessThanOrEqual(10);
    // Every node served some of them: the tallies crossed the adapter.
    expect(viewers.every((v) => v.tallies.length > 0)).toBe(true);
    viewers.forEach((v) => v.close());
  });

  it('shows hidden results only to admins until close, then to everyone', async () => {
    const session = await signInAdmin(stack);
    const election = await openNewElection(session, { resultsVisibility: 'after_close' });
    const [voterToken] = await voterTokens(stack, 1);
    const anon = new LiveViewer(stack.baseUrl, election.id);
    const admin = new LiveViewer(stack.baseUrl, election.id, session.token);
    const statuses: ElectionStatusEvent[] = [];
    anon.socket.on('election:status', (s) => statuses.push(s));
    const [a1, a2] = await Promise.all([anon.ready(), admin.ready()]);
    expect(a1.ok && a1.results).toBeNull();
    expect(a2.ok && a2.results?.ballots).toBe(0);

    await castAtRate(stack, election, [voterToken!], 10);
    await waitFor(() => admin.latest?.ballots === 1, 2000, 'admin sees the ballot');
    await sleep(300);
    expect(anon.tallies).toHaveLength(0);

    await closeElection(session, election.id);
    await waitFor(() => statuses.some((s) => s.status === 'closed'), 3000, 'closed status');
    await waitFor(() => anon.latest?.final === true, 3000, 'final tally reaches the public');
    expect(anon.latest?.ballots).toBe(1);
    anon.close();
    admin.close();
  });

  it('casts over the socket with the REST rules', async () => {
    const election = await openNewElection(await signInAdmin(stack));
    const [voterToken] = await voterTokens(stack, 1);
    const position = election.positions[0]!;
    const selections = { [position.id]: [position.candidates[1]!.id] };
    const voter = new LiveViewer(stack.baseUrl, election.id, voterToken);
    const anon = new LiveViewer(stack.baseUrl, election.id);
    await Promise.all([voter.ready(), anon.ready()]);

    const first = await voter.cast(selections, 'key-1');
    expect(first).toMatchObject({ ok: true, receipt: expect.any(String) });
    // An idempotent retry: the first receipt, marked as the first ballot's.
    expect(await voter.cast(selections, 'key-1')).toEqual({ ...first, replayed: true });
    expect(await voter.cast(selections)).toMatchObject({
      ok: false,
      error: { code: 'already_voted' },
    });
    expect(await anon.cast(selections)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await voter.cast({ nope: ['x'] } as Record<string, string[]>)).toMatchObject({
      ok: false,
    });
    await waitFor(() => anon.latest?.ballots === 1, 2000, 'tally after a socket ballot');
    voter.close();
    anon.close();
  });

  it('opens and closes a scheduled election by the clock, telling viewers once each', async () => {
    const session = await signInAdmin(stack);
    const at = (ms: number): string => new Date(Date.now() + ms).toISOString();
    const e = await createElection(session, {
      title: 'clock',
      resultsVisibility: 'after_close',
      candidates: ['A', 'B'],
      opensAt: at(2000),
      closesAt: at(4000),
    });
    await scheduleElection(session, e.id);
    const viewer = new LiveViewer(stack.baseUrl, e.id);
    const statuses: string[] = [];
    viewer.socket.on('election:status', (s) => statuses.push(s.status));
    const ack = await viewer.ready();
    expect(ack.ok && ack.status).toBe('scheduled');
    await waitFor(() => statuses.includes('closed'), 8000, 'closed by the clock', 50);
    // scheduled (the schedule call may race the join) → open → closed, each flip pushed once.
    expect(statuses.filter((s) => s === 'open')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'closed')).toHaveLength(1);
    await waitFor(() => viewer.latest?.final === true, 3000, 'final tally after close');
    viewer.close();
  });

  it('answers not_found for an unknown election', async () => {
    const v = new LiveViewer(stack.baseUrl, 'no-such-election');
    expect(await v.ready()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    v.close();
  });
});
