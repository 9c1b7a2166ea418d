// Staggered fan-out: when the frame budget stretches the interval T, an election's viewers get
// their tally group by group instead of in one burst per T. Every viewer socket is in one of G
// group rooms (`e:<id>:g<k>`, joined with `e:<id>`); every slot (T/G apart) a fresh read goes to
// the next group in rotation. Each viewer still gets one frame per T, but each burst is a G-th of
// the room and the data is at most ~T old. Pure logic: the emitter asks for the slot plan, which
// groups a fresh version goes to, and when every group has it (only then is the mark cleared).

/** How one stretched interval is cut into slots. */
export interface SlotPlan {
  /** Spacing of two reads and emits of one election. */
  slotMs: number;
  /**
   * Groups one slot serves on average: 1 when the interval holds a slot per group, more when a
   * slot per group would be shorter than `minSlotMs` (fractions accrue from slot to slot).
   */
  groupsPerSlot: number;
  /** The interval in force: the spacing of two frames to one group. */
  intervalMs: number;
}

/**
 * The slots of one interval, or null for a whole-room emit: unstretched (T = base, as before the
 * budget bites), fewer than two groups, or an interval too short for two slots the leader's poll
 * can honour.
 */
export function slotPlan(
  intervalMs: number,
  baseIntervalMs: number,
  groups: number,
  minSlotMs: number,
): SlotPlan | null {
  if (groups < 2 || intervalMs <= baseIntervalMs || intervalMs < 2 * minSlotMs) return null;
  const slotMs = Math.max(intervalMs / groups, minSlotMs);
  return { slotMs, groupsPerSlot: (groups * slotMs) / intervalMs, intervalMs };
}

interface Rotation {
  /** Highest version the whole room was sent (every group has at least this). */
  all: number;
  /** Highest version sent to any group (a whole-room emit must not go below it). */
  top: number;
  /** Version each group was sent by group emits (the group has max(all, this)). */
  group: number[];
  /** When each group last got a frame, whole-room emits included. */
  sentAt: number[];
  /** Next group in rotation. */
  next: number;
  /** Groups the slots so far may still serve (fractions add up from slot to slot). */
  credit: number;
  /** When the last slot picked, while the groups are being brought up to date. */
  pickedAt: number | undefined;
}

/**
 * What each group of each election (per scope: the caller keys them) was sent, and whose turn is
 * next. It is also the version floor of those rooms: a socket is in the whole room and one group,
 * so a whole-room emit must be at least every group's version and a group emit at least the whole
 * room's, or this sender would send what it need not. Across senders (two leaders for a moment)
 * the receivers' floor decides (realtime/tally-relay.ts).
 */
export class GroupVersions {
  private readonly rotations = new Map<string, Rotation>();

  constructor(private readonly groups: number) {}

  /** A whole-room emit of `version` may go out; if so it is recorded as sent to every group. */
  acceptRoom(key: string, version: number, force: boolean, now: number): boolean {
    const r = this.rotation(key);
    if (version < r.top || (version === r.all && !force)) return false;
    r.all = r.top = version;
    r.sentAt.fill(now);
    return true;
  }

  /** A group emit of `version` to group `g` may go out; if so it is recorded. */
  acceptGroup(key: string, g: number, version: number, force: boolean, now: number): boolean {
    const r = this.rotation(key);
    const has = Math.max(r.all, r.group[g]!);
    if (version < has || (version === has && !force)) return false;
    r.group[g] = version;
    r.top = Math.max(r.top, version);
    r.sentAt[g] = now;
    return true;
  }

  /**
   * The groups a slot sends `version` to: in rotation order from the group whose turn it is, those
   * that lack it and whose last frame is about an interval old (half a slot of slack, the slots
   * actually seen: a group waits for the slot nearest its turn, not the one after), as many as
   * the time since the last slot allows: G groups per interval, so a slot that comes late (a slow
   * read) serves the groups whose turn passed meanwhile and a rotation still takes the interval.
   * The first slot after every group was up to date serves one slot's share, never the whole room.
   * The turn moves past the last one picked.
   */
  pick(key: string, version: number, now: number, plan: SlotPlan): number[] {
    const r = this.rotation(key);
    const since = r.pickedAt === undefined ? plan.slotMs : Math.max(0, now - r.pickedAt);
    const allowance = Math.min(
      r.credit + (this.groups * Math.min(since, plan.intervalMs)) / plan.intervalMs,
      this.groups,
    );
    const most = Math.floor(allowance + 1e-9);
    const slack = Math.min(Math.max(plan.slotMs, since), plan.intervalMs) / 2;
    // Due groups in the order they last got a frame (the longest waiting first; in rotation
    // order among equals), so a group not quite due at one slot is first at the next one
    // instead of waiting for the turn to come round again.
    const due: number[] = [];
    let staleLeft = false;
    for (let i = 0; i < this.groups; i++) {
      const g = (r.next + i) % this.groups;
      if (Math.max(r.all, r.group[g]!) >= version) continue;
      if (now - r.sentAt[g]! >= plan.intervalMs - slack) due.push(g);
      else staleLeft = true;
    }
    due.sort((a, b) => r.sentAt[a]! - r.sentAt[b]! || 0); // stable: rotation order on ties
    const out = due.slice(0, most);
    if (due.length > most) staleLeft = true;
    if (out.length) r.next = (out[out.length - 1]! + 1) % this.groups;
    // Unused allowance is not banked past one group: groups whose turn has not come stay spaced.
    r.credit = Math.min(allowance - out.length, 1);
    r.pickedAt = staleLeft ? now : undefined;
    return out;
  }

  /** Every group has `version` or newer: the election's mark may be cleared. */
  allHave(key: string, version: number): boolean {
    const r = this.rotations.get(key);
    return !!r && (r.all >= version || r.group.every((v) => Math.max(r.all, v) >= version));
  }

  private rotation(key: string): Rotation {
    let r = this.rotations.get(key);
    if (!r) {
      r = {
        all: -1,
        top: -1,
        group: new Array<number>(this.groups).fill(-1),
        sentAt: new Array<number>(this.groups).fill(Number.NEGATIVE_INFINITY),
        next: 0,
        credit: 0,
        pickedAt: undefined,
      };
      this.rotations.set(key, r);
    }
    return r;
  }
}
