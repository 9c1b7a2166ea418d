// BallotWriter: the one path every ballot takes (REST and Socket.IO alike). It checks the ballot
// against the election, then queues it for group commit: ballots gathered for `batchMs` (or until
// `batchMax`) are written in one master transaction, and each caller is answered only after that
// transaction committed. An Idempotency-Key retry whose first attempt already counted is answered
// with that attempt's receipt. Announces `committed` {electionIds, gtid} (domain-events.ts) after
// every batch that recorded at least one ballot.
//
// Ballots of an election whose `anonymitySet` k is above 1 are first HELD per election
// (anonymity.ts): they join the queue together once k of them are here, or when the longest hold
// (ANONYMITY_MAX_WAIT_MS) passed, or just before a scheduled close, and a batch never splits
// them. A manual close releases them on every node first (`releaseForClose`, the `closing` event
// relayed by the live engine); drain releases them too.
import type { Pool } from 'mysql2/promise';
import type { Election, Selections } from '@tallyboard/shared';
import type { Config } from '../config';
import { isMasterUnavailableError, isTransientError } from '../db/errors';
import type { DomainEvents } from '../domain-events';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import type { Principal } from '../accounts/tokens';
import { newReceipt } from '../ids';
import { assertCanVote, isAdmin, validateSelections } from '../elections/rules';
import { getElection } from '../elections/store';
import { admittedKey } from '../elections/standing';
import type { Participation } from './participation';
import { commitBatch, type BallotOutcome, type BallotToWrite } from './batch';
import { batchLength, groupReady, holdDeadline, holds } from './anonymity';
import { batchMetrics } from './metrics';
import { encryptReceipt, findRememberedReceipt, purgeExpiredKeys } from './idempotency';

export interface CastRequest {
  principal: Principal;
  electionId: string;
  selections: Selections;
  idempotencyKey?: string | undefined;
}

export interface CastResult {
  receipt: string;
  /** True when an Idempotency-Key retry was answered with the earlier receipt. */
  replayed: boolean;
}

interface Pending {
  ballot: BallotToWrite;
  /** performance.now() when queued: queue wait + commit is what the caller waits for. */
  queuedAt: number;
  resolve: (o: BallotOutcome) => void;
  reject: (e: unknown) => void;
  /** Ballots released together from one anonymity hold share this tag; a batch keeps them whole. */
  group?: number;
}

/** Ballots of one election waiting for company (anonymitySet > 1). */
interface Held {
  ballots: Pending[];
  anonymitySet: number;
  deadline: number;
  timer: NodeJS.Timeout;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The writer's tunables besides those in Config (`ballots.batchMs`, `batchMax`, `concurrency`). */
export const writerDefaults = {
  /** Election structure is immutable once open, so a node may keep it this long. @default 30000 */
  structureTtlMs: 30_000,
  /** Elections whose structure is cached at once; the cache is emptied past this. @default 1000 */
  structureCacheSize: 1000,
  /** How often expired idempotency memory is purged. @default 60000 */
  purgeEveryMs: 60_000,
  /** Attempts of a batch that hit a deadlock or lock wait timeout. @default 6 */
  transientAttempts: 6,
  /** Attempts of a batch whose connection to the master failed. @default 3 */
  connectionAttempts: 3,
  /** A held ballot commits at least this long before its election's scheduled close. @default 1000 */
  closeMarginMs: 1000,
};

export interface BallotWriterOptions {
  /** Look-ups on the master (elections, idempotency memory). */
  pool: Pool;
  /** Batches: a master pool allowing multiple statements (`createBallotPool`). */
  batchPool: Pool;
  config: Config;
  log: Logger;
  /** Where each committed batch is announced. */
  events: DomainEvents;
  /** Where each voter's committed ballot is noted, so their own reads never miss it. */
  participation?: Pick<Participation, 'noteBallot'>;
  /**
   * Whether the master takes writes (db/master-link.ts): a ballot is refused at once with
   * `master_unavailable` while it does not, and a failure that says it went away closes the gate.
   */
  gate?: MasterGate;
}

export interface MasterGate {
  assertWritable(): void;
  /** Returns what to throw instead: `master_unavailable` for a master that is gone or read-only. */
  noteFailure(err: unknown): unknown;
}

/** Without a gate (unit tests): never closed; a lost master is a plain `unavailable`. */
const openGate: MasterGate = {
  assertWritable: () => undefined,
  noteFailure: (e) =>
    isMasterUnavailableError(e)
      ? new DomainError(
          'unavailable',
          'the database is unavailable; retry with the same Idempotency-Key',
        )
      : e,
};

export class BallotWriter {
  private readonly pool: Pool;
  private readonly batchPool: Pool;
  private readonly config: Config;
  private readonly log: Logger;
  private readonly events: DomainEvents;
  private readonly participation: Pick<Participation, 'noteBallot'> | undefined;
  private readonly gate: MasterGate;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private draining = false;
  private idle: Array<() => void> = [];
  private purgeTimer: NodeJS.Timeout | null = null;
  private readonly structures = new Map<string, { election: Promise<Election>; at: number }>();
  private readonly held = new Map<string, Held>();
  /** Elections being closed (by time of the close request): nothing of theirs is held any more. */
  private readonly closing = new Map<string, number>();
  private nextGroup = 1;
  private unsubscribeClosing: (() => void) | null = null;

  constructor(opts: BallotWriterOptions) {
    this.pool = opts.pool;
    this.events = opts.events;
    this.participation = opts.participation;
    this.gate = opts.gate ?? openGate;
    this.batchPool = opts.batchPool;
    this.config = opts.config;
    this.log = opts.log.child({ module: 'ballots' });
    const { batchMax, concurrency } = this.config.ballots;
    // Group commit: while a batch is in flight the next one gathers, so batches grow with the
    // load. Every batch of one election serialises on its tally row anyway, so more batches in
    // flight only split them smaller. Single-ballot mode (the benchmark baseline) gets a pool's
    // worth of connections instead.
    this.maxInFlight = batchMax === 1 ? Math.max(1, this.config.db.poolSize - 4) : concurrency;
  }

  start(): void {
    this.draining = false;
    this.unsubscribeClosing ??= this.events.subscribe('closing', (id) => this.noteClosing(id));
    this.purgeTimer ??= setInterval(() => {
      purgeExpiredKeys(this.pool).catch((e: unknown) =>
        this.log.warn({ err: e }, 'idempotency purge failed'),
      );
    }, writerDefaults.purgeEveryMs);
    this.purgeTimer.unref();
  }

  /** Stops taking ballots, writes what is queued or held, resolves once nothing is in flight. */
  async drain(): Promise<void> {
    this.draining = true;
    this.unsubscribeClosing?.();
    this.unsubscribeClosing = null;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.purgeTimer = null;
    for (const electionId of [...this.held.keys()]) this.release(electionId);
    this.flush();
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  async cast(req: CastRequest): Promise<CastResult> {
    if (this.draining) throw new DomainError('unavailable', 'this node is shutting down; retry');
    // Fail fast while the master is away: no queueing behind connection attempts.
    this.gate.assertWritable();
    const election = await this.structure(req.electionId).catch((e: unknown) => {
      throw this.gate.noteFailure(e);
    });
    assertCanVote(election, req.principal);
    // Who votes: the allowlist of an `accounts` election; on a roll, the entry (the same key
    // whether its voter came with a code or signed in).
    const key = await admittedKey(this.pool, election, req.principal);
    const secret = this.config.session.secret;
    const ids = req.idempotencyKey
      ? { voterKey: key, electionId: req.electionId, key: req.idempotencyKey }
      : null;
    // A retry is answered from the idempotency memory only once the ballot cannot go in as new
    // (already voted, or no longer open): a first attempt, the common case, costs no extra read.
    const remembered = async (): Promise<CastResult | null> => {
      const earlier = ids
        ? await findRememberedReceipt(this.pool, secret, ids).catch((e: unknown) => {
            throw this.gate.noteFailure(e);
          })
        : null;
      return earlier ? { receipt: earlier, replayed: true } : null;
    };
    if (election.status === 'draft' || election.status === 'closed') {
      const replay = await remembered();
      if (replay) return replay;
      throw new DomainError('not_open', `the election is ${election.status}`);
    }
    const pairs = validateSelections(election, req.selections);
    const receipt = newReceipt();
    const ballot: BallotToWrite = {
      electionId: req.electionId,
      voterKey: key,
      receipt,
      pairs,
      ...(ids && { receiptEnc: encryptReceipt(secret, ids, receipt) }),
    };
    const outcome = await this.enqueue(ballot, election);
    if (outcome.ok) {
      // Only GET …/me reads the note, and the web client asks it only in accounts and roll
      // elections. Sent before the answer, not awaited: the ack waits for the master alone.
      if (outcome.gtid && election.access !== 'open') {
        void this.participation?.noteBallot(key, req.electionId, outcome.gtid);
      }
      return { receipt: outcome.receipt, replayed: false };
    }
    // The first attempt may have committed already (a lost answer, a concurrent retry) or just
    // before the election closed: its receipt, if it has one, is the answer.
    const replay = await remembered();
    if (replay) return replay;
    if (outcome.code === 'already_voted') {
      throw new DomainError('already_voted', 'you have already voted in this election');
    }
    if (outcome.code === 'not_found') throw new DomainError('not_found', 'election not found');
    if (outcome.status === 'draft' && !isAdmin(req.principal)) {
      throw new DomainError('not_found', 'election not found');
    }
    throw new DomainError('not_open', `the election is ${outcome.status ?? 'not open'}`, {
      status: outcome.status,
    });
  }

  /**
   * Positions and candidates to validate against, cached once the election is open (they are
   * immutable from then on). Concurrent look-ups of one election share one query.
   */
  private structure(electionId: string): Promise<Election> {
    const cached = this.structures.get(electionId);
    if (cached && Date.now() - cached.at < writerDefaults.structureTtlMs) return cached.election;
    const loading = getElection(this.pool, electionId).then((election) => {
      if (!election) throw new DomainError('not_found', 'election not found');
      // Only open elections are kept: drafts and scheduled ones can still be edited.
      if (election.status !== 'open') {
        this.structures.delete(electionId);
      }
      return election;
    });
    loading.catch(() => this.structures.delete(electionId));
    if (this.structures.size > writerDefaults.structureCacheSize) this.structures.clear();
    this.structures.set(electionId, { election: loading, at: Date.now() });
    return loading;
  }

  private enqueue(ballot: BallotToWrite, election: Election): Promise<BallotOutcome> {
    return new Promise<BallotOutcome>((resolve, reject) => {
      const pending: Pending = { ballot, queuedAt: performance.now(), resolve, reject };
      if (holds(election.anonymitySet) && !this.closing.has(election.id)) {
        this.hold(pending, election);
        return;
      }
      this.queue.push(pending);
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    const { batchMs, batchMax } = this.config.ballots;
    if (this.queue.length >= batchMax || batchMs === 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), batchMs);
  }

  /** Keeps a ballot with others of its election until enough are here or its deadline passed. */
  private hold(pending: Pending, election: Election): void {
    const now = Date.now();
    let group = this.held.get(election.id);
    if (!group) {
      const deadline = holdDeadline({
        firstAt: now,
        maxWaitMs: this.config.ballots.anonymityMaxWaitMs,
        closesAt: election.closesAt ? Date.parse(election.closesAt) : null,
        closeMarginMs: writerDefaults.closeMarginMs,
      });
      const timer = setTimeout(() => this.release(election.id), Math.max(0, deadline - now));
      group = { ballots: [], anonymitySet: election.anonymitySet, deadline, timer };
      this.held.set(election.id, group);
    }
    group.ballots.push(pending);
    if (groupReady(group.ballots.length, group.anonymitySet, group.deadline, now)) {
      this.release(election.id);
    }
  }

  /** Moves an election's held ballots, as one group, to the queue and writes them now. */
  release(electionId: string): void {
    const group = this.held.get(electionId);
    if (!group) return;
    this.held.delete(electionId);
    clearTimeout(group.timer);
    const tag = this.nextGroup++;
    for (const p of group.ballots) this.queue.push({ ...p, group: tag });
    this.flush();
  }

  /** An election is being closed (here or on another node): commit its held ballots, hold no more. */
  noteClosing(electionId: string): void {
    this.closing.set(electionId, Date.now());
    if (this.closing.size > writerDefaults.structureCacheSize) {
      const first = this.closing.keys().next().value;
      if (first !== undefined) this.closing.delete(first);
    }
    this.release(electionId);
  }

  /**
   * Before a manual close, after its `closing` event: this node released its held ballots on that
   * event (`noteClosing`, subscribed in start()) and other nodes do on the event the live engine
   * relays through Redis. Since a hold never outlasts ANONYMITY_MAX_WAIT_MS, waiting that long
   * (only for an election that holds ballots at all) also covers a node the relay missed (Redis
   * down), for every ballot it held before the close was asked for. Resolves when the close may
   * proceed.
   */
  async releaseForClose(electionId: string): Promise<void> {
    const election = await this.structure(electionId).catch(() => null);
    if (election && holds(election.anonymitySet)) {
      await sleep(this.config.ballots.anonymityMaxWaitMs + writerDefaults.closeMarginMs);
    }
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const { batchMax } = this.config.ballots;
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      // batchLength looks at most one ballot past the batch: no need to map the whole queue.
      const take = batchLength(
        this.queue.slice(0, batchMax + 1).map((p) => p.group),
        batchMax,
      );
      const batch = this.queue.splice(0, take);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.flush();
        else if (this.inFlight === 0) this.idle.splice(0).forEach((f) => f());
      });
    }
  }

  /** Writes a batch; retries deadlocks, splits on other failures so one bad ballot fails alone. */
  private async run(batch: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const started = performance.now();
        const { outcomes: result, gtid } = await commitBatch(
          this.batchPool,
          this.config.db.flavor,
          batch.map((p) => p.ballot),
        );
        const done = performance.now();
        batchMetrics.size.observe(batch.length);
        batchMetrics.commitSeconds.observe((done - started) / 1000);
        for (const p of batch) batchMetrics.waitSeconds.observe((done - p.queuedAt) / 1000);
        const electionIds = [
          ...new Set(batch.filter((_, i) => result[i]?.ok).map((p) => p.ballot.electionId)),
        ];
        batch.forEach((p, i) => {
          const outcome = result[i] as BallotOutcome;
          p.resolve(outcome.ok ? { ...outcome, gtid } : outcome);
        });
        if (electionIds.length) this.events.emit('committed', { electionIds, gtid });
        return;
      } catch (e) {
        // Gone or read-only (a failover): nothing was written, or the commit's answer was lost;
        // either way the client's retry with its Idempotency-Key settles it.
        const connection = isMasterUnavailableError(e);
        if (isTransientError(e) && attempt < writerDefaults.transientAttempts) {
          await sleep(2 ** attempt + Math.random() * 5);
          continue;
        }
        if (connection && attempt < writerDefaults.connectionAttempts) {
          await sleep(50 * attempt);
          continue;
        }
        if (batch.length > 1 && !connection) {
          const half = Math.ceil(batch.length / 2);
          await this.run(batch.slice(0, half));
          await this.run(batch.slice(half));
          return;
        }
        if (connection)
          this.log.warn({ err: e, size: batch.length }, 'ballot batch: master unavailable');
        else this.log.error({ err: e, size: batch.length }, 'ballot batch failed');
        const failure = connection
          ? this.gate.noteFailure(e)
          : new DomainError('internal', 'the ballot could not be stored');
        batch.forEach((p) => p.reject(failure));
        return;
      }
    }
  }
}
