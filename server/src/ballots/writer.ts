// BallotWriter: the one path every ballot takes (REST and Socket.IO alike). It checks the ballot
// against the election, then queues it for group commit: ballots gathered for `batchMs` (or until
// `batchMax`) are written in one master transaction, and each caller is answered only after that
// transaction committed. An Idempotency-Key retry whose first attempt already counted is answered
// with that attempt's receipt. Announces `committed` {electionIds, gtid} (domain-events.ts) after
// every batch that recorded at least one ballot.
import type { Pool } from 'mysql2/promise';
import type { Election, Selections } from '@tallyboard/shared';
import type { Config } from '../config';
import { isConnectionError, isTransientError } from '../db/errors';
import type { DomainEvents } from '../domain-events';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import { voterKey, type Principal } from '../accounts/tokens';
import { newId, newReceipt } from '../ids';
import { assertCanVote, isAdmin, validateSelections } from '../elections/rules';
import { getElection } from '../elections/store';
import { commitBatch, type BallotOutcome, type BallotToWrite } from './batch';
import { batchMetrics } from './metrics';
import {
  encryptReceipt,
  findRememberedReceipt,
  idempotencyHash,
  purgeExpiredKeys,
} from './idempotency';

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
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The writer's tunables besides those in Config (`ballots.batchMs`, `batchMax`, `concurrency`). */
export const writerDefaults = {
  /** Election structure is immutable once past draft, so a node may keep it this long. @default 30000 */
  structureTtlMs: 30_000,
  /** Elections whose structure is cached at once; the cache is emptied past this. @default 1000 */
  structureCacheSize: 1000,
  /** How often expired idempotency memory is purged. @default 60000 */
  purgeEveryMs: 60_000,
  /** Attempts of a batch that hit a deadlock or lock wait timeout. @default 6 */
  transientAttempts: 6,
  /** Attempts of a batch whose connection to the master failed. @default 3 */
  connectionAttempts: 3,
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
}

export class BallotWriter {
  private readonly pool: Pool;
  private readonly batchPool: Pool;
  private readonly config: Config;
  private readonly log: Logger;
  private readonly events: DomainEvents;
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private draining = false;
  private idle: Array<() => void> = [];
  private purgeTimer: NodeJS.Timeout | null = null;
  private readonly structures = new Map<string, { election: Promise<Election>; at: number }>();

  constructor(opts: BallotWriterOptions) {
    this.pool = opts.pool;
    this.events = opts.events;
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
    this.purgeTimer ??= setInterval(() => {
      purgeExpiredKeys(this.pool).catch((e: unknown) =>
        this.log.warn({ err: e }, 'idempotency purge failed'),
      );
    }, writerDefaults.purgeEveryMs);
    this.purgeTimer.unref();
  }

  /** Stops taking ballots, writes what is queued, resolves once nothing is in flight. */
  async drain(): Promise<void> {
    this.draining = true;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.purgeTimer = null;
    this.flush();
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  async cast(req: CastRequest): Promise<CastResult> {
    if (this.draining) throw new DomainError('unavailable', 'this node is shutting down; retry');
    const election = await this.structure(req.electionId);
    assertCanVote(election, req.principal);
    const key = voterKey(req.principal);
    const secret = this.config.session.secret;
    const ids = req.idempotencyKey
      ? { voterKey: key, electionId: req.electionId, key: req.idempotencyKey }
      : null;
    // A retry is answered from the idempotency memory only once the ballot cannot go in as new
    // (already voted, or no longer open): a first attempt, the common case, costs no extra read.
    const remembered = async (): Promise<CastResult | null> => {
      const earlier = ids ? await findRememberedReceipt(this.pool, secret, ids) : null;
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
      ballotId: newId(),
      receipt,
      pairs,
      ...(ids && {
        idempotency: {
          hash: idempotencyHash(ids.voterKey, ids.electionId, ids.key),
          receiptEnc: encryptReceipt(secret, ids, receipt),
        },
      }),
    };
    const outcome = await this.enqueue(ballot);
    if (outcome.ok) return { receipt: outcome.receipt, replayed: false };
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
   * Positions and candidates to validate against, cached once the election left draft (they are
   * immutable from then on). Concurrent look-ups of one election share one query.
   */
  private structure(electionId: string): Promise<Election> {
    const cached = this.structures.get(electionId);
    if (cached && Date.now() - cached.at < writerDefaults.structureTtlMs) return cached.election;
    const loading = getElection(this.pool, electionId).then((election) => {
      if (!election) throw new DomainError('not_found', 'election not found');
      if (election.status === 'draft' || election.status === 'closed') {
        this.structures.delete(electionId);
      }
      return election;
    });
    loading.catch(() => this.structures.delete(electionId));
    if (this.structures.size > writerDefaults.structureCacheSize) this.structures.clear();
    this.structures.set(electionId, { election: loading, at: Date.now() });
    return loading;
  }

  private enqueue(ballot: BallotToWrite): Promise<BallotOutcome> {
    return new Promise<BallotOutcome>((resolve, reject) => {
      this.queue.push({ ballot, queuedAt: performance.now(), resolve, reject });
      const { batchMs, batchMax } = this.config.ballots;
      if (this.queue.length >= batchMax || batchMs === 0) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), batchMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const { batchMax } = this.config.ballots;
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, batchMax);
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
        batch.forEach((p, i) => p.resolve(result[i] as BallotOutcome));
        if (electionIds.length) this.events.emit('committed', { electionIds, gtid });
        return;
      } catch (e) {
        const connection = isConnectionError(e);
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
        this.log.error({ err: e, size: batch.length }, 'ballot batch failed');
        const failure = connection
          ? new DomainError(
              'unavailable',
              'the database is unavailable; retry with the same Idempotency-Key',
            )
          : new DomainError('internal', 'the ballot could not be stored');
        batch.forEach((p) => p.reject(failure));
        return;
      }
    }
  }
}
