// How one election's tally goes out, whichever mode asked for it: read the election (cached
// briefly) and its results at the batch GTID, keep versions from going backwards, keep emits one
// interval apart (stretched by the frame budget under load; a forced emit, such as the final tally
// at close, goes out at once), then settle the request. While stretched, public tallies go out a
// group at a time (tally-groups.ts): a fresh read every slot to the groups whose turn it is, and
// the request is settled only once every group has the version. The two modes share one emitter,
// so spacing, rotations, in-flight reads and the read-time estimate hold across a switch between
// them; what a mode adds is a route: the scope and what "done" means for its marks. The floors
// here are this sender's; the cluster-wide one, which no two senders can race past, is the
// receivers' (realtime/tally-relay.ts).
import type { Logger } from '../log';
import type { ElectionMeta } from '../elections/rules';
import type { Results } from '@tallyboard/shared';
import { EmitSpacing, VersionFloor } from './coalescing';
import type { FrameBudget } from './frame-budget';
import type { Broadcaster, LiveReads, Scope } from './ports';
import { groupRoom, tallyRoom, viewersRoom } from './rooms';
import { GroupVersions, slotPlan, type SlotPlan } from './tally-groups';

/** What differs between the modes once a tally is read. */
export interface TallyRoute {
  scope: Scope;
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
  /** Tally groups per election (defaults.ts `tallyGroups`). @default 1 (whole-room emits only) */
  groups?: number;
  /** Shortest spacing of two group slots. @default 50 */
  minSlotMs?: number;
  onEmit?: (scope: Scope) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TallyEmitter {
  private readonly spacing: EmitSpacing;
  /** Floors of the admin rooms; the public room's and its groups' are `rotations`. */
  private readonly floors = new VersionFloor();
  private readonly rotations: GroupVersions;
  private readonly groups: number;
  /** Elections whose last publish went to groups: spaced by the slot, not the interval. */
  private readonly staggered = new Set<string>();
  private readonly inflight = new Set<string>();
  private readonly meta = new Map<string, { e: ElectionMeta | null; at: number }>();
  /** Recent read time (moving average, capped at the interval): reads start this much early. */
  private readMs = 0;

  constructor(private readonly o: TallyEmitterOptions) {
    this.groups = o.groups ?? 1;
    this.rotations = new GroupVersions(this.groups);
    this.spacing = new EmitSpacing((now, id) =>
      this.staggered.has(id)
        ? (this.slots(now)?.slotMs ?? this.intervalMs(now))
        : this.intervalMs(now),
    );
  }

  /** Spacing of two tallies to one viewer now (stretched by the budget under load). */
  intervalMs(now: number): number {
    return this.o.budget ? this.o.budget.intervalMs(now) : this.o.intervalMs;
  }

  /** How the interval in force is cut into group slots, or null for whole-room emits. */
  slots(now: number): SlotPlan | null {
    return slotPlan(this.intervalMs(now), this.o.intervalMs, this.groups, this.o.minSlotMs ?? 50);
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
      // A forced emit (the final tally, a newly visible room) reaches everyone at once; hidden
      // tallies go to the admins' small room whole.
      const plan = !force && room === viewersRoom(id) ? this.slots(Date.now()) : null;
      const settled = plan
        ? await this.toGroups(id, room, results, plan, route)
        : await this.toRoom(id, room, results, force, route);
      if (settled) await route.done(id, gtid);
    } catch (err) {
      // Keep the mark: the next tick retries, no sooner than one interval from now.
      this.spacing.emitted(id, Date.now());
      this.o.log.warn({ err, electionId: id }, 'tally publish failed; kept dirty');
    } finally {
      this.inflight.delete(id);
    }
  }

  /** One emit to the whole room; the request is then served (unless a group still lacks it). */
  private async toRoom(
    id: string,
    room: string,
    results: Results,
    force: boolean,
    route: TallyRoute,
  ): Promise<boolean> {
    this.staggered.delete(id);
    // The read started early to hide its latency; the emit keeps the spacing.
    const wait = force ? 0 : this.spacing.remaining(id, Date.now());
    if (wait > 0) await sleep(wait);
    // Floors per scope: what this node showed its own viewers while degraded must not stop the
    // same version from going to everyone once Redis is back.
    const key = `${route.scope}:${room}`;
    const { version } = results;
    const groups = room === viewersRoom(id);
    const ok = groups
      ? this.rotations.acceptRoom(key, version, force, Date.now())
      : this.floors.accept(key, version, force);
    // Refused because a group has a newer version (read from a replica further ahead while the
    // groups were served in turn): the groups still without this one keep the mark for a read
    // that catches up.
    if (!ok && groups) return this.rotations.allHave(key, version);
    if (ok) {
      // With groups, every viewer socket is in exactly one: the public room's tally goes to each
      // group room, so the receivers' floor (realtime/tally-relay.ts), kept per room, is exact per
      // socket. A floor for the whole room beside floors for its groups would not be: a group
      // served 77 by one leader could be sent a whole-room 76 by another.
      const targets = groups && this.groups > 1 ? this.allGroups(id) : [room];
      this.emit(id, targets, results, force, route.scope);
      this.spacing.emitted(id, Date.now());
    }
    return true;
  }

  /**
   * One slot: the fresh read goes to the groups whose turn it is and that lack it. Served (true)
   * only once every group has this version, so the mark stays and the next slot reads again.
   */
  private async toGroups(
    id: string,
    room: string,
    results: Results,
    plan: SlotPlan,
    route: TallyRoute,
  ): Promise<boolean> {
    this.staggered.add(id);
    const wait = this.spacing.remaining(id, Date.now());
    if (wait > 0) await sleep(wait);
    const key = `${route.scope}:${room}`;
    const { version } = results;
    const now = Date.now();
    const targets = this.rotations
      .pick(key, version, now, plan)
      .filter((g) => this.rotations.acceptGroup(key, g, version, false, now))
      .map((g) => groupRoom(id, g));
    if (targets.length) this.emit(id, targets, results, false, route.scope);
    // Slots keep to their grid: one that went out late (a slow read, the poll's granularity) does
    // not push every later one back, or a rotation would take longer than the interval; past half
    // a slot late the grid moves, and after a pause (nothing to send) it starts again from now.
    const last = this.spacing.lastAt(id);
    const onGrid = last === undefined ? now : last + plan.slotMs;
    const late = now - onGrid;
    this.spacing.emitted(
      id,
      late > plan.slotMs ? now : Math.min(now, now - Math.min(late, plan.slotMs / 2)),
    );
    return this.rotations.allHave(key, version);
  }

  private emit(id: string, rooms: string[], results: Results, force: boolean, scope: Scope): void {
    this.o.out.tally(rooms, { ...results, electionId: id }, force, scope);
    this.o.onEmit?.(scope);
  }

  private allGroups(id: string): string[] {
    return Array.from({ length: this.groups }, (_, g) => groupRoom(id, g));
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
