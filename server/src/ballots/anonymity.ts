// The anonymity hold, as pure decisions for the BallotWriter. A batch of one ballot pairs, in the
// binlog's row events, the voter's participation row with their ballot, for as long as the binlog
// lives. An election's `anonymitySet` k makes its ballots wait on the node until k of them commit
// together, or until the longest hold passed, or a close is near: never past the close.

/** Ballots of elections with k > 1 wait; k = 1 (the `open` default) commits as before. */
export const holds = (anonymitySet: number): boolean => anonymitySet > 1;

/** The default k by access mode: a live poll needs none, a vote of known people five. */
export const defaultAnonymitySet = (access: string): number => (access === 'open' ? 1 : 5);

export interface HoldTiming {
  /** When the group's first ballot arrived (ms, node clock). */
  firstAt: number;
  /** ANONYMITY_MAX_WAIT_MS. */
  maxWaitMs: number;
  /** The election's scheduled close (ms) or null: a held ballot must commit before it. */
  closesAt: number | null;
  /** How long before a scheduled close the hold ends. */
  closeMarginMs: number;
}

/** When a group must commit at the latest: its longest hold, or just before a scheduled close. */
export function holdDeadline(t: HoldTiming): number {
  const latest = t.firstAt + t.maxWaitMs;
  return t.closesAt === null ? latest : Math.min(latest, t.closesAt - t.closeMarginMs);
}

/** Whether a group of `size` ballots commits now (enough of them, or its deadline passed). */
export const groupReady = (size: number, anonymitySet: number, deadline: number, now: number) =>
  size >= anonymitySet || now >= deadline;

/**
 * How many queued ballots the next batch takes, at most `max`, without splitting a released group
 * (same `group` tag) across two transactions, which would commit part of it below k. A group
 * larger than `max` (k above BALLOT_BATCH_MAX) goes in batches of `max`; untagged ballots are
 * groups of one.
 */
export function batchLength(groups: ReadonlyArray<number | undefined>, max: number): number {
  if (groups.length <= max) return groups.length;
  let n = max;
  const cut = groups[max];
  if (cut === undefined) return n;
  while (n > 0 && groups[n - 1] === cut) n--;
  return n === 0 ? max : n;
}
