// How one election's tally goes out, whichever mode asked for it: read the election (cached
// briefly) and its results at the batch GTID, keep versions from going backwards, keep emits one
// interval apart (stretched by the frame budget under load; a forced emit, such as the final tally
// at close, goes out at once), then settle the request. The two modes share one emitter, so spacing, in-flight
// reads and the read-time estimate hold across a switch between them; what a mode adds is a route:
// the scope, an optional cluster-wide version guard and what "done" means for its marks.
import type { Logger } from '../log';
import type { ElectionMeta } from '../elections/rules';
import { EmitSpacing, VersionFloor } from './coalescing';
import type { FrameBudget } from './frame-budget';
import type { Broadcaster, LiveReads, Scope } from './ports';
import { tallyRoom } from './rooms';

/** What differs between the modes once a tally is read. */
export interface TallyRoute {
  scope: Scope;
  /** A second, shared version floor (Redis); true when the emit may go out. */
  guard?: (room: string, version: number, force: boolean) => Promise<boolean>;
  /** The request was served (emitted, or nothing to emit): clear its mark if no newer one came. */
  done: (electionId: string, gtid: string) => Promise<void>;
}

export interface TallyEmitterOptions {
  reads: LiveReads;
  out: Broadcaster;
  log: Logger;
  /** Minimum spacing of two tallies of one election. */
  intervalMs: number;
  /** Stretches the spacing when viewers × the base rate exceed the cluster's frames per second. */
  budget?: FrameBudget;
  /** How long a read election status and visibility is reused. */
  electionCacheMs: number;
  onEmit?: (scope: Scope) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TallyEmitter {
  private readonly spacing: EmitSpacing;
  private readonly floors = new VersionFloor();
  private readonly inflight = new Set<string>();
  private readonly meta = new Map<string, { e: ElectionMeta | null; at: number }>();
  /** Recent read time (moving average, capped at the interval): reads start this much early. */
  private readMs = 0;

  constructor(private readonly o: TallyEmitterOptions) {
    const { budget } = o;
    this.spacing = new EmitSpacing(budget ? (now) => budget.intervalMs(now) : o.intervalMs);
  }

  /** True when a read of the election may start now: none in flight, and its emit slot is near. */
  due(electionId: string, now: number): boolean {
    return !this.inflight.has(electionId) && this.spacing.remaining(electionId, now) <= this.readMs;
  }

  /**
   * A poll found the election's tally waiting: it counts against the frame budget, and a read may
   * start when it is due. A forced one (a status change, the final tally at close) skips the
   * spacing: the budget must never hold back the final state.
   */
  ready(electionId: string, now: number, force: boolean): boolean {
    this.o.budget?.want(electionId, now);
    return force ? !this.inflight.has(electionId) : this.due(electionId, now);
  }

  /** Status or visibility changed: read the election again next time. */
  forget(electionId: string): void {
    this.meta.delete(electionId);
  }

  get cachedElections(): number {
    return this.meta.size;
  }

  async publish(id: string, gtid: string, force: boolean, route: TallyRoute): Promise<void> {
    this.inflight.add(id);
    try {
      const e = await this.election(id, force);
      if (!e) {
        await route.done(id, gtid);
        return;
      }
      const t0 = Date.now();
      const results = await this.o.reads.readResults(id, gtid || undefined);
      const took = Date.now() - t0;
      this.readMs = Math.min(this.o.intervalMs, 0.8 * this.readMs + 0.2 * took);
      const room = tallyRoom(id, e);
      // Floors per scope: what this node showed its own viewers while degraded must not stop the
      // same version from going to everyone once Redis is back.
      let ok = this.floors.accept(`${route.scope}:${room}`, results.version, force);
      if (ok && route.guard) ok = await route.guard(room, results.version, force);
      if (ok) {
        // The read started early to hide its latency; the emit itself keeps the spacing.
        const wait = force ? 0 : this.spacing.remaining(id, Date.now());
        if (wait > 0) await sleep(wait);
        this.o.out.tally(room, { ...results, electionId: id }, force, route.scope);
        this.spacing.emitted(id, Date.now());
        this.o.onEmit?.(route.scope);
      }
      await route.done(id, gtid);
    } catch (err) {
      // Keep the mark: the next tick retries, no sooner than one interval from now.
      this.spacing.emitted(id, Date.now());
      this.o.log.warn({ err, electionId: id }, 'tally publish failed; kept dirty');
    } finally {
      this.inflight.delete(id);
    }
  }

  /** Drops cached elections past their lifetime. */
  prune(now: number): void {
    for (const [id, m] of this.meta) if (now - m.at > this.o.electionCacheMs) this.meta.delete(id);
  }

  private async election(id: string, fresh: boolean): Promise<ElectionMeta | null> {
    const hit = this.meta.get(id);
    if (!fresh && hit && Date.now() - hit.at < this.o.electionCacheMs) return hit.e;
    const e = await this.o.reads.getElection(id);
    this.meta.set(id, { e, at: Date.now() });
    return e;
  }
}
