// The cluster-wide frame budget: past a number of frames per second the machine cannot deliver
// (every frame is a write in a node and two in nginx), tallies and presence counts go out less
// often instead of every latency climbing. Every viewer wants the same tally rate (1000/intervalMs
// frames/s), so the fair share is one rate for all: each election gets a part of the budget
// proportional to its viewers, which stretches every publishing election's interval by the same
// factor. Presence pushes (one frame per viewer per change, up to two a second while a crowd
// arrives: 100,000 frames/s for 50,000 viewers, most of a node's work during a ramp) are spaced to
// stay under a tenth of the budget, on top of it, but told at least every 10 s. Pure logic: the
// emitter and presence ask it for intervals and tell it which elections want to publish.

/** Frames per second at the base interval would exceed the budget: by how much to space them. */
export function stretchedIntervalMs(
  baseIntervalMs: number,
  framesPerSecond: number,
  viewers: number,
): number {
  if (framesPerSecond <= 0 || viewers <= 0) return baseIntervalMs;
  const wanted = (viewers * 1000) / baseIntervalMs;
  if (wanted <= framesPerSecond) return baseIntervalMs;
  return Math.ceil((baseIntervalMs * wanted) / framesPerSecond);
}

/** Presence pushes may take at most this part of the budget… */
export const PRESENCE_SHARE = 0.1;
/** …but a changed count is told at least this often. */
export const PRESENCE_MAX_INTERVAL_MS = 10_000;

/**
 * Spacing of one election's presence pushes when `viewers` watch elections across the cluster:
 * the base spacing while their pushes fit in PRESENCE_SHARE of the budget, stretched past it up
 * to PRESENCE_MAX_INTERVAL_MS.
 */
export function presenceIntervalMs(
  basePushMs: number,
  framesPerSecond: number,
  viewers: number,
): number {
  const stretched = stretchedIntervalMs(basePushMs, framesPerSecond * PRESENCE_SHARE, viewers);
  return Math.max(basePushMs, Math.min(stretched, PRESENCE_MAX_INTERVAL_MS));
}

export interface FrameBudgetOptions {
  /**
   * Tally frames per second for the whole cluster; 0 turns the budget off. The load governor
   * (load-governor.ts) moves it under this while the machine is busy: `setFramesPerSecond`.
   */
  framesPerSecond: number;
  /** Spacing of one election's tallies while under the budget. */
  baseIntervalMs: number;
  /** Viewers of an election across the cluster, as presence last counted them. */
  viewers: (electionId: string) => number;
  /**
   * An election counts against the budget while it wanted to publish within this window (or
   * within two of its intervals, when longer): an idle election's viewers get no frames.
   * @default 1000
   */
  activeMs?: number;
  /** The interval is recomputed at most this often (it sums over the active elections). @default 100 */
  recomputeMs?: number;
  /** Spacing of presence pushes while under the budget (live/defaults.ts). @default 500 */
  presencePushMs?: number;
}

export class FrameBudget {
  /** electionId → when it last wanted to publish. */
  private readonly wanting = new Map<string, number>();
  private computedAt = Number.NEGATIVE_INFINITY;
  private interval: number;
  private demand = 0;
  private limit: number;
  private boundAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: FrameBudgetOptions) {
    this.interval = o.baseIntervalMs;
    this.limit = o.framesPerSecond;
  }

  /** Frames per second allowed now (the configured budget, or less while the machine is busy). */
  get framesPerSecond(): number {
    return this.limit;
  }

  /** The load governor's answer; 0 stays "no budget" (it only ever moves a configured one). */
  setFramesPerSecond(framesPerSecond: number): void {
    if (this.o.framesPerSecond <= 0 || framesPerSecond === this.limit) return;
    this.limit = Math.max(1, framesPerSecond);
    this.computedAt = Number.NEGATIVE_INFINITY;
  }

  /** The election has a tally waiting (seen on a poll, due or not). */
  want(electionId: string, now: number): void {
    // A newcomer changes the sum: recompute on the next ask instead of up to recomputeMs later.
    if (!this.wanting.has(electionId)) this.computedAt = Number.NEGATIVE_INFINITY;
    this.wanting.set(electionId, now);
  }

  /** Spacing of every publishing election's tallies now. */
  intervalMs(now: number): number {
    if (this.limit <= 0) return this.o.baseIntervalMs;
    if (now - this.computedAt < (this.o.recomputeMs ?? 100)) return this.interval;
    const window = Math.max(this.o.activeMs ?? 1000, 2 * this.interval);
    let viewers = 0;
    for (const [id, at] of this.wanting) {
      if (now - at > window) this.wanting.delete(id);
      else viewers += this.o.viewers(id);
    }
    this.computedAt = now;
    this.demand = (viewers * 1000) / this.o.baseIntervalMs;
    this.interval = stretchedIntervalMs(this.o.baseIntervalMs, this.limit, viewers);
    if (this.demand > this.limit) this.boundAt = now;
    return this.interval;
  }

  /** Spacing of one election's presence pushes while `viewers` watch across the cluster. */
  presenceIntervalMs(viewers: number): number {
    return presenceIntervalMs(this.o.presencePushMs ?? 500, this.limit, viewers);
  }

  /** Frames per second the active elections would take at the base interval (last computed). */
  get wantedFramesPerSecond(): number {
    return this.demand;
  }

  /**
   * The budget held tallies back (their demand exceeded it) within the last `ms`: only then does
   * the load governor learn anything from the load about a larger one.
   */
  boundWithin(now: number, ms: number): boolean {
    return now - this.boundAt <= ms;
  }

  get activeElections(): number {
    return this.wanting.size;
  }
}
