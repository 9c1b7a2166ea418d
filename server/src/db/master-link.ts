// The node's link to the master: the pools every write goes through, whether the master takes
// writes right now, and where it is. While it is away (down, or read-only during a failover)
// writes fail fast with `master_unavailable` instead of queueing; a probe notices its return within
// a second. An operator's failover rewrites DB_MASTER_FILE (the topology file, db/topology.ts) and
// sends SIGHUP: `follow()` swaps the pools behind the same objects, so no node restarts and no
// socket drops (the replica router follows the same read of the file for its replica list).
import type { Connection, Pool, RowDataPacket } from 'mysql2/promise';
import { DomainError } from '../errors';
import type { Logger } from '../log';
import {
  PROBE_TIMEOUTS_TO_FAIL,
  isConnectionError,
  isMasterUnavailableError,
  timeoutStreak,
} from './errors';
import { createBallotPool, createMasterPool, type DbConfig, type Endpoint } from './master';
import { RetiredPools, type Topology } from './topology';

export const masterLinkDefaults = {
  /** How often the master is asked whether it takes writes. @default 1000 */
  probeMs: 1000,
  /** A probe that takes longer counts as one timeout. @default 1000 */
  probeTimeoutMs: 1000,
  /**
   * Probe timeouts in a row before the master counts as away. A refusal, a lost connection or
   * read-only closes the gate at once; a lone timeout does not, because a node whose event loop
   * is starved (tens of thousands of sockets on two cores) reads the answer after its own timer
   * fired, and closing the gate then refuses ballots the master would have taken. @default 3
   */
  probeTimeoutsToFail: PROBE_TIMEOUTS_TO_FAIL,
  /** What a refused write tells the client to wait (Retry-After). @default 2 */
  retryAfterSeconds: 2,
};

export interface MasterState {
  /** The master answers and is not read-only: ballots and other writes go through. */
  writable: boolean;
  address: string;
  /** When `writable` last changed (ISO time). */
  since: string;
  error?: string;
}

const address = (e: Endpoint): string => `${e.host}:${e.port}`;
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** What one probe found: the answer, or the error it ended with. */
export type ProbeOutcome = { readOnly: boolean } | { error: unknown };

/**
 * Whether the master takes writes after a probe, given the timeouts in a row before it:
 * `writable` undefined means "no verdict yet, keep the current state".
 */
export function judgeProbe(
  outcome: ProbeOutcome,
  timeoutsBefore: number,
  timeoutsToFail = masterLinkDefaults.probeTimeoutsToFail,
): { writable: boolean | undefined; timeoutsInRow: number; error?: string } {
  if ('readOnly' in outcome) {
    return outcome.readOnly
      ? { writable: false, timeoutsInRow: 0, error: 'the master is read-only (failover?)' }
      : { writable: true, timeoutsInRow: 0 };
  }
  const error = message(outcome.error);
  const { inRow, tolerated } = timeoutStreak(outcome.error, timeoutsBefore, timeoutsToFail);
  if (tolerated) return { writable: undefined, timeoutsInRow: inRow, error };
  return {
    writable: false,
    timeoutsInRow: inRow,
    error: inRow > 0 ? `${error} (${inRow} probes in a row)` : error,
  };
}

/**
 * A Pool that forwards every call to whichever pool `current` returns at that moment, so the
 * modules holding it (transactions, the ballot writer, the replica router) follow a switch of the
 * master without being told.
 */
function forwardingPool(current: () => Pool): Pool {
  return new Proxy({} as Pool, {
    get(_target, prop) {
      const pool = current();
      const value: unknown = Reflect.get(pool, prop, pool);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(pool)
        : value;
    },
  });
}

export class MasterLink {
  /** Every write and authoritative read (follows a switch). */
  readonly pool: Pool;
  /** The ballot writer's multi-statement pool (follows a switch). */
  readonly batchPool: Pool;
  private main: Pool;
  private batch: Pool;
  private endpoint: Endpoint;
  private current: MasterState;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;
  private timeoutsInRow = 0;
  /** The pools a switch replaced, closed once their running statements had time. */
  private readonly retired = new RetiredPools<Pool[]>((pools) => {
    for (const p of pools) void p.end().catch(() => undefined);
  });

  constructor(
    private readonly cfg: DbConfig & { masterFile?: string | undefined },
    private readonly log: Logger,
    private readonly batchConnections: number,
  ) {
    this.endpoint = cfg.master;
    this.main = createMasterPool({ ...cfg, master: this.endpoint });
    this.batch = createBallotPool({ ...cfg, master: this.endpoint }, batchConnections);
    this.pool = forwardingPool(() => this.main);
    this.batchPool = forwardingPool(() => this.batch);
    // Optimistic until the first probe: a node starts only after migrations ran on the master.
    this.current = { writable: true, address: address(this.endpoint), since: now() };
  }

  get state(): MasterState {
    return { ...this.current };
  }

  get writable(): boolean {
    return this.current.writable;
  }

  /**
   * Follows the topology file as read at start (when there is one), probes once, then every
   * probeMs.
   */
  async start(atStart: Topology | null = null): Promise<void> {
    if (atStart) await this.follow(atStart);
    await this.probeNow();
    this.schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.probing;
    // Pools still waiting to retire are not ended: stop() runs at shutdown, and the process exits.
    this.retired.cancel();
    await Promise.all([this.main.end(), this.batch.end()]).catch(() => undefined);
  }

  /** Throws `master_unavailable` (503, Retry-After) while the master cannot take writes. */
  assertWritable(): void {
    if (!this.current.writable) throw this.unavailable(this.current.error);
  }

  /**
   * Called with any error a write on the master threw: when it says the master is gone or
   * read-only, writes stop at once (not at the next probe) and a probe runs now. Returns the error
   * to throw to the caller: `master_unavailable` for those, the error itself for anything else.
   */
  noteFailure(err: unknown): unknown {
    if (!isMasterUnavailableError(err)) return err;
    this.setState(false, message(err));
    void this.probeNow();
    return this.unavailable(message(err));
  }

  /** Switches to the master a read of the topology file names, if it changed (start, SIGHUP). */
  async follow(topology: Topology): Promise<void> {
    const next = topology.master;
    if (address(next) === address(this.endpoint)) return;
    this.switchTo(next);
    await this.probeNow();
  }

  /** Points new work at `next`; the old pools close once their running statements had time. */
  switchTo(next: Endpoint): void {
    const old = [this.main, this.batch];
    this.log.warn({ from: address(this.endpoint), to: address(next) }, 'master switched');
    this.endpoint = next;
    this.main = createMasterPool({ ...this.cfg, master: next });
    this.batch = createBallotPool({ ...this.cfg, master: next }, this.batchConnections);
    this.current = { ...this.current, address: address(next) };
    this.retired.add(old);
  }

  /** One probe now (shared with one already running): writable = answers and not read-only. */
  probeNow(): Promise<void> {
    this.probing ??= this.probe().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async probe(): Promise<void> {
    let outcome: ProbeOutcome;
    try {
      const [rows] = await this.main.query<RowDataPacket[]>({
        sql: 'SELECT @@global.read_only AS ro',
        timeout: masterLinkDefaults.probeTimeoutMs,
      });
      outcome = { readOnly: Number(rows[0]?.ro ?? 0) !== 0 };
    } catch (error) {
      outcome = { error };
    }
    const verdict = judgeProbe(outcome, this.timeoutsInRow);
    this.timeoutsInRow = verdict.timeoutsInRow;
    if (verdict.writable === undefined) {
      this.log.warn(
        { master: this.current.address, error: verdict.error, inRow: verdict.timeoutsInRow },
        'master probe timed out; the gate stays as it is until more do',
      );
      return;
    }
    this.setState(verdict.writable, verdict.error);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.probeNow().finally(() => {
        if (this.timer) this.schedule();
      });
    }, masterLinkDefaults.probeMs);
    this.timer.unref();
  }

  private setState(writable: boolean, error?: string): void {
    const was = this.current.writable;
    this.current = {
      writable,
      address: address(this.endpoint),
      since: was === writable ? this.current.since : now(),
      ...(error === undefined ? {} : { error }),
    };
    if (was && !writable) this.log.warn({ master: this.current.address, error }, 'master away');
    if (!was && writable) this.log.info({ master: this.current.address }, 'master back');
  }

  private unavailable(why?: string): DomainError {
    return new DomainError(
      'master_unavailable',
      'the master database is unavailable; retry with the same Idempotency-Key',
      { retryAfterSeconds: masterLinkDefaults.retryAfterSeconds, ...(why ? { cause: why } : {}) },
    );
  }
}

const now = (): string => new Date().toISOString();

/** Reads that must run somewhere: the ReplicaRouter's `read`, as the fallback below needs it. */
export interface ReplicaReads {
  read<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
}

/**
 * An authoritative read (an election's status, say) on the master while it answers; while it is
 * away, on a replica instead, so results, joins and lobbies go on during a master outage. No write
 * can happen meanwhile, so a caught-up replica's answer is the master's last word.
 */
export async function readPreferMaster<T>(
  link: Pick<MasterLink, 'pool' | 'writable' | 'noteFailure'>,
  replicas: ReplicaReads,
  fn: (db: Connection) => Promise<T>,
): Promise<T> {
  if (link.writable) {
    try {
      return await fn(link.pool);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      link.noteFailure(err);
    }
  }
  return replicas.read(fn);
}
