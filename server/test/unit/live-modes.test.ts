// The live engine's two modes without a Redis server: the degraded (local) strategies, the shared
// tally emitter, and the switch between modes with a Redis that refuses every call. Cluster mode
// against a real Redis, and its outage, are pinned by integration/live-failures.test.ts.
import type { Results } from '@tallyboard/shared';
import type { Redis } from 'ioredis';
import pino from 'pino';
import type { ElectionMeta } from '../../src/elections/rules';
import { electionMeta, tallyResults } from './support/live-fixtures';
import type { Broadcaster, LiveReads, Scope } from '../../src/live/ports';
import { Presence } from '../../src/live/presence';
import { ClusterPresence, LocalPresence, NodeViewers } from '../../src/live/presence-modes';
import { adminRoom, viewersRoom } from '../../src/live/rooms';
import { TallyEmitter, type TallyRoute } from '../../src/live/tally-emitter';
import { LocalTallies } from '../../src/live/tally-modes';
import { TallyPublisher } from '../../src/live/tally-publisher';

const log = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const election = electionMeta;

const results = tallyResults;

interface Sent {
  room: string;
  event: string;
  payload: unknown;
  scope: Scope;
}

/** A Broadcaster that records what it was asked to send; `viewers` is this node's sockets. */
function recorder(viewers: Record<string, number> = {}): Broadcaster & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    emit: (room, event, payload, scope) => sent.push({ room, event, payload, scope }),
    tally: (rooms, payload, _force, scope) =>
      sent.push({ room: rooms.join(' '), event: 'tally', payload, scope }),
    localViewers: (id) => viewers[id] ?? 0,
  };
}

/** Reads that serve `state`, recording the GTID each results read waited for. */
function fakeReads(state: { e: ElectionMeta | null; version: number }): LiveReads & {
  gtids: Array<string | undefined>;
} {
  const gtids: Array<string | undefined> = [];
  return {
    gtids,
    getElection: async () => state.e,
    readResults: async (_id, gtid) => {
      gtids.push(gtid);
      return results(state.version);
    },
  };
}

/** Redis that is connected on paper but refuses every command (the moment before `up()` flips). */
const refuse = (): Promise<never> => Promise.reject(new Error('connection lost'));
const refusingPipeline: object = new Proxy(
  {},
  {
    get: (_t, prop) =>
      prop === 'then' ? undefined : prop === 'exec' ? refuse : () => refusingPipeline,
  },
);
const refusingRedis = new Proxy(
  {},
  {
    get: (_t, prop) =>
      prop === 'then' ? undefined : prop === 'multi' ? () => refusingPipeline : refuse,
  },
) as unknown as Redis;

const versions = (sent: Sent[]): number[] => sent.map((s) => (s.payload as Results).version);

describe('TallyEmitter (shared by both modes)', () => {
  const emitter = (out: Broadcaster, reads: LiveReads, intervalMs = 20): TallyEmitter =>
    new TallyEmitter({ reads, out, log, intervalMs, electionCacheMs: 1000 });
  const route = (
    scope: Scope,
    over: Partial<TallyRoute> = {},
  ): TallyRoute & { settled: string[] } => {
    const settled: string[] = [];
    return { scope, done: async (_id, gtid) => void settled.push(gtid), ...over, settled };
  };

  it('keeps version floors per scope: a version shown locally still goes out cluster-wide', async () => {
    const out = recorder();
    const em = emitter(out, fakeReads({ e: election(), version: 5 }), 0);
    await em.publish('e1', '0-1-5', false, route('local'));
    await em.publish('e1', '0-1-5', false, route('local'));
    await em.publish('e1', '0-1-5', false, route('cluster'));
    expect(out.sent.map((s) => [s.scope, (s.payload as Results).version])).toEqual([
      ['local', 5],
      ['cluster', 5],
    ]);
  });

  it('settles a request whose read is older than what went out, without emitting it', async () => {
    const out = recorder();
    const state = { e: election(), version: 5 };
    const em = emitter(out, fakeReads(state), 0);
    const r = route('cluster');
    await em.publish('e1', '0-1-5', false, r);
    state.version = 3; // a replica further behind, still past the mark's GTID
    await em.publish('e1', '0-1-4', false, r);
    expect(versions(out.sent)).toEqual([5]);
    expect(r.settled).toEqual(['0-1-5', '0-1-4']);
  });

  it('settles a request for an election that no longer exists without emitting', async () => {
    const out = recorder();
    const r = route('local');
    await emitter(out, fakeReads({ e: null, version: 1 })).publish('gone', '0-1-1', false, r);
    expect(out.sent).toEqual([]);
    expect(r.settled).toEqual(['0-1-1']);
  });

  it('keeps a failed read unsettled and not due again for one interval', async () => {
    const reads: LiveReads = {
      getElection: async () => election(),
      readResults: async () => Promise.reject(new Error('replica down')),
    };
    const em = emitter(recorder(), reads, 50);
    const r = route('local');
    await em.publish('e1', '0-1-1', false, r);
    expect(r.settled).toEqual([]);
    expect(em.due('e1', Date.now())).toBe(false);
    expect(em.due('e1', Date.now() + 60)).toBe(true);
  });

  it('reads the results at the batch GTID, and at no particular GTID for a forced republish', async () => {
    const reads = fakeReads({ e: election(), version: 1 });
    const em = emitter(recorder(), reads, 0);
    await em.publish('e1', '0-1-9', false, route('local'));
    await em.publish('e1', '', true, route('local'));
    expect(reads.gtids).toEqual(['0-1-9', undefined]);
  });
});

describe('LocalTallies (degraded mode)', () => {
  const setup = (
    state = { e: election(), version: 1 },
  ): { local: LocalTallies; out: ReturnType<typeof recorder>; state: typeof state } => {
    const out = recorder();
    const emitter = new TallyEmitter({
      reads: fakeReads(state),
      out,
      log,
      intervalMs: 10,
      electionCacheMs: 1000,
    });
    return { local: new LocalTallies({ emitter, recentMs: 60_000 }), out, state };
  };

  it('publishes this node’s commits to its own sockets and answers lastGtid from them', async () => {
    const { local, out } = setup();
    local.committed({ electionIds: ['e1'], gtid: '0-1-4' });
    local.committed({ electionIds: ['e1'], gtid: '0-1-3' });
    expect(await local.lastGtid('e1')).toBe('0-1-4');
    await local.tick();
    await sleep(20);
    expect(out.sent).toEqual([
      {
        room: viewersRoom('e1'),
        event: 'tally',
        payload: { ...results(1), electionId: 'e1' },
        scope: 'local',
      },
    ]);
    await local.tick();
    await sleep(20);
    expect(out.sent).toHaveLength(1);
  });

  it('sends the same version to the newly visible room after a status change', async () => {
    const { local, out, state } = setup({
      e: election({ resultsVisibility: 'after_close' }),
      version: 2,
    });
    local.committed({ electionIds: ['e1'], gtid: '0-1-2' });
    await local.tick();
    await sleep(20);
    state.e = election({ resultsVisibility: 'after_close', status: 'closed' });
    await local.forcePublish('e1');
    await local.tick();
    await sleep(20);
    expect(out.sent.map((s) => [s.room, (s.payload as Results).version])).toEqual([
      [adminRoom('e1'), 2],
      [viewersRoom('e1'), 2],
    ]);
  });

  it('remembers outage commits for marking, keeping a newer one that arrives while marking', () => {
    const { local } = setup();
    local.remember({ electionIds: ['e1', 'e2'], gtid: '0-1-5' });
    local.remember({ electionIds: ['e1'], gtid: '0-1-6' });
    expect(local.unsyncedMarks()).toEqual([
      ['e1', '0-1-6'],
      ['e2', '0-1-5'],
    ]);
    local.remember({ electionIds: ['e2'], gtid: '0-1-7' });
    local.synced('e1', '0-1-6');
    local.synced('e2', '0-1-5');
    expect(local.unsyncedMarks()).toEqual([['e2', '0-1-7']]);
  });

  it('re-marks every recent commit when Redis comes back, marked before or not', () => {
    const { local } = setup();
    local.note({ electionIds: ['e1'], gtid: '0-1-1' });
    local.note({ electionIds: ['e2'], gtid: '0-1-2' });
    expect(local.unsyncedMarks()).toEqual([]);
    local.remarkRecent();
    expect(local.unsyncedMarks()).toEqual([
      ['e1', '0-1-1'],
      ['e2', '0-1-2'],
    ]);
  });

  it('hands its own pending tallies over to the leader instead of publishing them once Redis is up', async () => {
    const { local, out } = setup();
    local.committed({ electionIds: ['e1'], gtid: '0-1-1' });
    local.handOver(Date.now());
    await local.tick();
    await sleep(20);
    expect(out.sent).toEqual([]);
  });
});

describe('TallyPublisher switching modes by up()', () => {
  const publisher = (
    up: () => boolean,
    out: Broadcaster,
  ): { p: TallyPublisher; state: { e: ElectionMeta; version: number } } => {
    const state = { e: election(), version: 1 };
    const p = new TallyPublisher({
      redis: refusingRedis,
      up,
      reads: fakeReads(state),
      out,
      isLeader: () => true,
      log,
      intervalMs: 20,
      recentMs: 60_000,
      electionCacheMs: 1000,
    });
    return { p, state };
  };

  it('serves a commit whose mark Redis refused from this node once Redis is reported away', async () => {
    let ready = true;
    const out = recorder();
    const { p } = publisher(() => ready, out);
    p.committed({ electionIds: ['e1'], gtid: '0-1-1' });
    await sleep(5);
    ready = false;
    p.start();
    await sleep(120);
    p.stop();
    expect(out.sent.map((s) => [s.scope, s.room])).toEqual([['local', viewersRoom('e1')]]);
  });

  it('falls back to the local path when Redis refuses a forced republish', async () => {
    let ready = true;
    const out = recorder();
    const { p } = publisher(() => ready, out);
    await p.forcePublish('e1');
    ready = false;
    p.start();
    await sleep(120);
    p.stop();
    expect(versions(out.sent)).toEqual([1]);
    expect(out.sent[0]!.scope).toBe('local');
  });

  it('answers lastGtid from this node’s commits when Redis is away or refuses', async () => {
    let ready = false;
    const { p } = publisher(() => ready, recorder());
    expect(await p.lastGtid('e1')).toBeUndefined();
    p.committed({ electionIds: ['e1'], gtid: '0-1-8' });
    expect(await p.lastGtid('e1')).toBe('0-1-8');
    ready = true;
    expect(await p.lastGtid('e1')).toBe('0-1-8');
  });

  it('publishes nothing itself while Redis is up, even with Redis refusing (the leader’s job)', async () => {
    const out = recorder();
    const { p } = publisher(() => true, out);
    p.committed({ electionIds: ['e1'], gtid: '0-1-1' });
    p.start();
    await sleep(120);
    p.stop();
    expect(out.sent).toEqual([]);
  });
});

describe('Presence without Redis', () => {
  it('pushes this node’s own count to its own sockets, only when it changed', async () => {
    const counts: Record<string, number> = { e1: 2 };
    const out = recorder(counts);
    const viewers = new NodeViewers(out);
    const local = new LocalPresence(viewers);
    viewers.touch('e1');
    await local.push();
    await local.push();
    counts.e1 = 0;
    await local.push();
    expect(out.sent).toEqual([
      {
        room: viewersRoom('e1'),
        event: 'presence',
        payload: { electionId: 'e1', viewers: 2 },
        scope: 'local',
      },
      {
        room: viewersRoom('e1'),
        event: 'presence',
        payload: { electionId: 'e1', viewers: 0 },
        scope: 'local',
      },
    ]);
    expect(await local.total('e1')).toBe(0);
  });

  it('counts this node’s viewers when Redis refuses the cluster total', async () => {
    const viewers = new NodeViewers(recorder({ e1: 3 }));
    const cluster = new ClusterPresence({
      redis: refusingRedis,
      nodeId: 'n1',
      isLeader: () => true,
      viewers,
      heartbeatTtlMs: 10_000,
    });
    expect(await cluster.total('e1')).toBe(3);
  });

  it('keeps changed counts for the next flush when Redis refuses the write', async () => {
    const viewers = new NodeViewers(recorder({ e1: 1 }));
    const cluster = new ClusterPresence({
      redis: refusingRedis,
      nodeId: 'n1',
      isLeader: () => false,
      viewers,
      heartbeatTtlMs: 10_000,
    });
    viewers.touch('e1');
    await expect(cluster.flush()).rejects.toThrow('connection lost');
    expect([...viewers.changed]).toEqual(['e1']);
  });

  it('never calls Redis while it is away: total, rewrite and stop stay on this node', async () => {
    const out = recorder({ e1: 4 });
    const presence = new Presence({
      redis: {} as Redis,
      up: () => false,
      nodeId: 'n1',
      out,
      isLeader: () => true,
      log,
      heartbeatTtlMs: 10_000,
      heartbeatEveryMs: 3000,
      presenceFlushMs: 10,
      presencePushMs: 10,
    });
    presence.start();
    presence.touch('e1');
    presence.rewrite();
    expect(await presence.total('e1')).toBe(4);
    await sleep(80);
    await presence.stop();
    expect(out.sent.map((s) => [s.scope, s.payload])).toEqual([
      ['local', { electionId: 'e1', viewers: 4 }],
    ]);
  });
});
