// Socket event handlers: parse with the shared schemas, call the domain, answer with an ack.
// No rules live here: who may see what is elections/rules.ts (through SocketDomain), rooms are
// live/rooms.ts, a ballot takes the same BallotWriter as REST, errors become acks in acks.ts.
import {
  ballotCastRequestSchema,
  joinRequestSchema,
  type BallotCastAck,
  type ClientToServerEvents,
  type JoinAck,
} from '@tallyboard/shared';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import { toAckError } from './acks';
import { statusEvent } from '../live/ports';
import { adminRoom, viewersRoom } from '../live/rooms';
import type { SocketDomain, Viewer } from './ports';

/** The part of a Socket.IO server socket the handlers use (socket.io-mock provides it too). */
export interface LiveSocket {
  on<E extends keyof ClientToServerEvents>(event: E, listener: ClientToServerEvents[E]): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  join(room: string): unknown;
  leave(room: string): unknown;
}

export interface HandlerContext {
  domain: Pick<
    SocketDomain,
    'getElection' | 'readResults' | 'castBallot' | 'assertCanView' | 'canSeeResults'
  >;
  /** Newest committed GTID of the election, so a join reads at least that far. */
  lastGtid(electionId: string): Promise<string | undefined>;
  /** Local membership changed. */
  touchPresence(electionId: string): void;
  /**
   * The tally group room a viewer of the election joins besides the election's room (stretched
   * tallies go out a group at a time: live/tally-groups.ts); absent when there is one group.
   */
  tallyGroup?(electionId: string): string;
  totalPresence(electionId: string): Promise<number>;
  /** Spends the ballot budgets REST spends (per address, per voter); throws rate_limited. */
  spendBallotBudget?(viewer: Viewer): Promise<void>;
  /** For a signed-in user's socket: throws unauthorized once its session was revoked. */
  recheckSession?(): Promise<void>;
  /**
   * Runs a look-up of an election under the address's budget of misses (an unknown election
   * spends a point; throws rate_limited once it is gone).
   */
  guardLookup?<T>(lookup: () => Promise<T>): Promise<T>;
  log: Logger;
}

/** Elections one socket may watch at once. */
export const MAX_JOINED = 20;

export function registerHandlers(socket: LiveSocket, viewer: Viewer, ctx: HandlerContext): void {
  /** electionId → the tally group room joined with it ('' without groups). */
  const joined = new Map<string, string>();

  socket.on('election:join', (req, ack) => {
    if (typeof ack !== 'function') return;
    void join(req).then(ack, (e: unknown) => ack({ ok: false, error: toAckError(e, ctx.log) }));
  });

  socket.on('election:leave', (req, ack) => {
    const parsed = joinRequestSchema.safeParse(req);
    if (parsed.success) {
      const id = parsed.data.electionId;
      void socket.leave(viewersRoom(id));
      void socket.leave(adminRoom(id));
      const group = joined.get(id);
      if (group) void socket.leave(group);
      if (joined.delete(id)) ctx.touchPresence(id);
    }
    if (typeof ack === 'function') ack({ ok: parsed.success });
  });

  socket.on('ballot:cast', (req, ack) => {
    if (typeof ack !== 'function') return;
    void cast(req).then(ack, (e: unknown) => ack({ ok: false, error: toAckError(e, ctx.log) }));
  });

  // Socket.IO takes a closed socket out of every room it was in, group rooms included.
  socket.on('disconnect', () => {
    for (const id of joined.keys()) ctx.touchPresence(id);
    joined.clear();
  });

  async function join(req: unknown): Promise<JoinAck> {
    const { electionId } = joinRequestSchema.parse(req);
    if (!joined.has(electionId) && joined.size >= MAX_JOINED) {
      throw new DomainError('rate_limited', `at most ${MAX_JOINED} elections per connection`);
    }
    await ctx.recheckSession?.();
    const find = async () => {
      const found = await ctx.domain.getElection(electionId);
      if (!found) throw new DomainError('not_found', 'election not found');
      ctx.domain.assertCanView(found, viewer); // a draft is not found either
      return found;
    };
    const e = ctx.guardLookup ? await ctx.guardLookup(find) : await find();
    // Join before reading, so no tally can fall between the snapshot and the subscription.
    await socket.join(viewersRoom(electionId));
    if (viewer.isAdmin) await socket.join(adminRoom(electionId));
    let group = joined.get(electionId);
    if (group === undefined) {
      group = ctx.tallyGroup?.(electionId) ?? '';
      if (group) await socket.join(group);
    }
    joined.set(electionId, group);
    ctx.touchPresence(electionId);
    const [results, presence] = await Promise.all([
      ctx.domain.canSeeResults(e, viewer)
        ? ctx.lastGtid(electionId).then((g) => ctx.domain.readResults(electionId, g))
        : null,
      ctx.totalPresence(electionId),
    ]);
    return {
      ok: true,
      status: e.status,
      results: results && { ...results, electionId },
      presence,
      election: statusEvent(e),
    };
  }

  async function cast(req: unknown): Promise<BallotCastAck> {
    const r = ballotCastRequestSchema.parse(req);
    await ctx.recheckSession?.();
    await ctx.spendBallotBudget?.(viewer);
    const { receipt, replayed } = await ctx.domain.castBallot({
      principal: viewer.principal,
      electionId: r.electionId,
      selections: r.selections,
      idempotencyKey: r.idempotencyKey,
    });
    return { ok: true, receipt, replayed };
  }
}
