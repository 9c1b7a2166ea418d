import type { BallotCastAck, JoinAck } from '@tallyboard/shared';
import pino from 'pino';
import SocketMock from 'socket.io-mock';
import type { Redis } from 'ioredis';
import { DomainError } from '../../src/errors';
import { assertCanView, canSeeResults } from '../../src/elections/rules';
import { toAckError } from '../../src/realtime/acks';
import { EmitSpacing, VersionFloor } from '../../src/live/coalescing';
import { isNewerGtid, newerGtid } from '../../src/live/gtid-order';
import {
  registerHandlers,
  type HandlerContext,
  type LiveSocket,
} from '../../src/realtime/handlers';
import type { ElectionMeta } from '../../src/elections/rules';
import { electionMeta, tallyResults } from './support/live-fixtures';
import type { Broadcaster } from '../../src/live/ports';
import { TallyPublisher } from '../../src/live/tally-publisher';
import { adminRoom, groupRoom, tallyRoom, viewersRoom } from '../../src/live/rooms';
import type { Viewer } from '../../src/realtime/ports';

const log = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const election = electionMeta;

const results = tallyResults;

const anonymous: Viewer = { principal: null, isAdmin: false };
const voter: Viewer = { principal: { kind: 'voter', voterId: 'v1' }, isAdmin: false };
const admin: Viewer = { principal: { kind: 'user', userId: 'u1', role: 'admin' }, isAdmin: true };

describe('gtid order', () => {
  it('orders MariaDB GTIDs by sequence within a domain, whatever the server id', () => {
    expect(isNewerGtid('0-1-100', '0-1-101')).toBe(true);
    expect(isNewerGtid('0-1-101', '0-1-100')).toBe(false);
    expect(isNewerGtid('0-1-100', '0-2-150')).toBe(true);
    expect(isNewerGtid('0-2-150', '0-1-120')).toBe(false);
    expect(newerGtid('0-1-9', '0-1-10')).toBe('0-1-10');
    expect(newerGtid('0-1-10', '0-1-9')).toBe('0-1-10');
  });

  it('orders MySQL single-source sets by their last transaction', () => {
    const u = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
    expect(isNewerGtid(`${u}:1-5`, `${u}:1-7`)).toBe(true);
    expect(isNewerGtid(`${u}:1-7`, `${u}:1-5`)).toBe(false);
  });

  it('takes the newcomer when two GTIDs cannot be ordered, and anything over nothing', () => {
    expect(isNewerGtid('0-1-100', '1-1-5')).toBe(true);
    expect(isNewerGtid(undefined, '0-1-1')).toBe(true);
    expect(isNewerGtid('0-1-1', '')).toBe(false);
  });
});

describe('visibility rooms', () => {
  it('sends live results to every viewer', () => {
    expect(tallyRoom('e1', election())).toBe(viewersRoom('e1'));
  });

  it('keeps after_close results in the admin room until the election closes', () => {
    expect(tallyRoom('e1', election({ resultsVisibility: 'after_close' }))).toBe(adminRoom('e1'));
    expect(tallyRoom('e1', election({ resultsVisibility: 'after_close', status: 'closed' }))).toBe(
      viewersRoom('e1'),
    );
  });

  it('keeps admin_only results in the admin room even after close', () => {
    expect(tallyRoom('e1', election({ resultsVisibility: 'admin_only', status: 'closed' }))).toBe(
      adminRoom('e1'),
    );
  });
});

describe('coalescing', () => {
  it('spaces emits of one election by the interval, others independently', () => {
    const s = new EmitSpacing(100);
    expect(s.due('a', 0)).toBe(true);
    s.emitted('a', 0);
    expect(s.due('a', 99)).toBe(false);
    expect(s.due('b', 50)).toBe(true);
    expect(s.due('a', 100)).toBe(true);
    expect(s.remaining('a', 30)).toBe(70);
    expect(s.remaining('a', 130)).toBe(0);
    expect(s.remaining('never', 0)).toBe(0);
  });

  it('never lets a version go backwards, and repeats one only when forced', () => {
    const f = new VersionFloor();
    expect(f.accept('r', 5)).toBe(true);
    expect(f.accept('r', 4)).toBe(false);
    expect(f.accept('r', 5)).toBe(false);
    expect(f.accept('r', 5, true)).toBe(true);
    expect(f.accept('r', 4, true)).toBe(false);
    expect(f.accept('r', 6)).toBe(true);
  });
});

describe('ack errors', () => {
  it('maps a DomainError to its code and message, anything unknown to internal', () => {
    expect(toAckError(new DomainError('already_voted', 'you already voted'))).toEqual({
      code: 'already_voted',
      message: 'you already voted',
    });
    expect(toAckError(new Error('boom'), log)).toEqual({
      code: 'internal',
      message: 'internal error',
    });
  });
});

interface Fixture {
  socket: SocketMock;
  touched: string[];
  cast: jest.Mock;
  emit(event: string, payload: unknown): Promise<unknown>;
}

function fixture(
  viewer: Viewer,
  e: ElectionMeta | null = election(),
  spendBallotBudget?: HandlerContext['spendBallotBudget'],
  recheckSession?: HandlerContext['recheckSession'],
): Fixture {
  const socket = new SocketMock();
  const touched: string[] = [];
  const cast = jest.fn(async () => ({ receipt: 'R-1', replayed: false }));
  const ctx: HandlerContext = {
    domain: {
      getElection: async () => e,
      readResults: async () => results(7),
      castBallot: cast,
      assertCanView: (el, v) => assertCanView(el, v.principal),
      canSeeResults: (el, v) => canSeeResults(el, v.principal),
    },
    lastGtid: async () => '0-1-7',
    touchPresence: (id) => touched.push(id),
    totalPresence: async () => 3,
    spendBallotBudget,
    recheckSession,
    log,
  };
  registerHandlers(socket as unknown as LiveSocket, viewer, ctx);
  return {
    socket,
    touched,
    cast,
    emit: (event, payload) =>
      new Promise((resolve) => socket.socketClient.emit(event, payload, resolve)),
  };
}

describe('socket handlers', () => {
  it('answers a join with status, results, presence and the schedule, and joins the room', async () => {
    const f = fixture(anonymous);
    const ack = (await f.emit('election:join', { electionId: 'e1' })) as JoinAck;
    expect(ack).toEqual({
      ok: true,
      status: 'open',
      results: { ...results(7), electionId: 'e1' },
      presence: 3,
      election: { electionId: 'e1', status: 'open', opensAt: null, closesAt: null },
    });
    expect(f.socket.joinedRooms).toEqual([viewersRoom('e1')]);
    expect(f.touched).toEqual(['e1']);
  });

  it('hides admin_only results from a voter and shows them to an admin in the admin room', async () => {
    const e = election({ resultsVisibility: 'admin_only' });
    const v = (await fixture(voter, e).emit('election:join', { electionId: 'e1' })) as JoinAck;
    expect(v.ok && v.results).toBeNull();
    const a = fixture(admin, e);
    const ack = (await a.emit('election:join', { electionId: 'e1' })) as JoinAck;
    expect(ack.ok && ack.results?.version).toBe(7);
    expect(a.socket.joinedRooms).toEqual([viewersRoom('e1'), adminRoom('e1')]);
  });

  it('answers not_found for an unknown election and for a draft seen by a non-admin', async () => {
    const unknown = await fixture(anonymous, null).emit('election:join', { electionId: 'zz' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const draft = await fixture(voter, election({ status: 'draft' })).emit('election:join', {
      electionId: 'e1',
    });
    expect(draft).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('rejects a malformed join with invalid, without joining anything', async () => {
    const f = fixture(anonymous);
    expect(await f.emit('election:join', { electionId: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(f.socket.joinedRooms).toEqual([]);
  });

  it('leaves both rooms and updates presence on leave and on disconnect', async () => {
    const f = fixture(admin);
    await f.emit('election:join', { electionId: 'e1' });
    expect(await f.emit('election:leave', { electionId: 'e1' })).toEqual({ ok: true });
    expect(f.socket.joinedRooms).toEqual([]);
    await f.emit('election:join', { electionId: 'e1' });
    f.socket.socketClient.emit('disconnect');
    expect(f.touched).toEqual(['e1', 'e1', 'e1', 'e1']);
  });

  it('joins one tally group with the room, once per election, and leaves it on leave', async () => {
    const socket = new SocketMock();
    const asked: string[] = [];
    registerHandlers(socket as unknown as LiveSocket, voter, {
      domain: {
        getElection: async () => election(),
        readResults: async () => results(7),
        castBallot: jest.fn(),
        assertCanView: (el, v) => assertCanView(el, v.principal),
        canSeeResults: (el, v) => canSeeResults(el, v.principal),
      },
      lastGtid: async () => undefined,
      touchPresence: () => undefined,
      totalPresence: async () => 1,
      tallyGroup: (id) => {
        asked.push(id);
        return groupRoom(id, 3);
      },
      log,
    });
    const emit = (event: string, payload: unknown): Promise<unknown> =>
      new Promise((resolve) => socket.socketClient.emit(event, payload, resolve));
    await emit('election:join', { electionId: 'e1' });
    await emit('election:join', { electionId: 'e1' }); // a re-join keeps its group
    expect(new Set(socket.joinedRooms)).toEqual(new Set([viewersRoom('e1'), groupRoom('e1', 3)]));
    expect(asked).toEqual(['e1']);
    await emit('election:leave', { electionId: 'e1' });
    expect(socket.joinedRooms).not.toContain(groupRoom('e1', 3));
  });

  it('casts through the domain and acks the receipt', async () => {
    const f = fixture(voter);
    const ack = (await f.emit('ballot:cast', {
      electionId: 'e1',
      selections: { p1: ['c1'] },
      idempotencyKey: 'k1',
    })) as BallotCastAck;
    expect(ack).toEqual({ ok: true, receipt: 'R-1', replayed: false });
    expect(f.cast).toHaveBeenCalledWith({
      principal: voter.principal,
      electionId: 'e1',
      selections: { p1: ['c1'] },
      idempotencyKey: 'k1',
    });
  });

  it('acks the domain error of a refused ballot', async () => {
    const f = fixture(voter);
    f.cast.mockRejectedValueOnce(new DomainError('already_voted', 'already voted'));
    expect(await f.emit('ballot:cast', { electionId: 'e1', selections: {} })).toEqual({
      ok: false,
      error: { code: 'already_voted', message: 'already voted' },
    });
  });

  it('spends the REST ballot budgets before casting, and a spent budget refuses the ballot', async () => {
    const f = fixture(voter, election(), async () => {
      throw new DomainError('rate_limited', 'too many requests; slow down');
    });
    expect(await f.emit('ballot:cast', { electionId: 'e1', selections: {} })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    expect(f.cast).not.toHaveBeenCalled();
  });

  it('re-checks a signed-in socket’s session before a ballot or a join, as REST does', async () => {
    const revoked = async () => {
      throw new DomainError('unauthorized', 'this session has ended; sign in again');
    };
    const f = fixture(admin, election(), undefined, revoked);
    expect(await f.emit('ballot:cast', { electionId: 'e1', selections: {} })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(f.cast).not.toHaveBeenCalled();
    expect(await f.emit('election:join', { electionId: 'e1' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(f.touched).toEqual([]);
  });

  it('rejects a malformed ballot without calling the domain', async () => {
    const f = fixture(voter);
    const ack = await f.emit('ballot:cast', { electionId: 'e1', selections: 'nope' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(f.cast).not.toHaveBeenCalled();
  });
});

describe('TallyPublisher without Redis (degraded mode)', () => {
  it('coalesces a burst of commits into spaced local emits, never backwards, ending on the last state', async () => {
    let version = 0;
    const emits: Array<{ room: string; version: number; scope: string; at: number }> = [];
    const out: Broadcaster = {
      emit: () => undefined,
      tally: (rooms, tally, _force, scope) =>
        emits.push({ room: rooms.join(' '), version: tally.version, scope, at: Date.now() }),
      localViewers: () => 0,
    };
    const p = new TallyPublisher({
      redis: {} as Redis,
      up: () => false,
      reads: { getElection: async () => election(), readResults: async () => results(version) },
      out,
      isLeader: () => false,
      log,
      intervalMs: 50,
      recentMs: 60_000,
      electionCacheMs: 1000,
    });
    const started = Date.now();
    p.start();
    for (let i = 0; i < 40; i++) {
      version++;
      p.committed({ electionIds: ['e1'], gtid: `0-1-${version}` });
      await sleep(5);
    }
    await sleep(150);
    p.stop();
    // The bound follows the time that really passed: on a loaded machine a 5 ms sleep is longer,
    // and the rule is one emit per interval, not a fixed count.
    const elapsed = Date.now() - started;
    expect(emits.length).toBeGreaterThan(1);
    expect(emits.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
    expect(emits.every((e) => e.scope === 'local' && e.room === viewersRoom('e1'))).toBe(true);
    for (let i = 1; i < emits.length; i++) {
      expect(emits[i]!.version).toBeGreaterThan(emits[i - 1]!.version);
      expect(emits[i]!.at - emits[i - 1]!.at).toBeGreaterThanOrEqual(45);
    }
    expect(emits[emits.length - 1]!.version).toBe(40);
  });
});
