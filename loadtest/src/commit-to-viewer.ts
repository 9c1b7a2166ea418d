// Commit-to-viewer latency, the way a viewer experiences it: the k-th acknowledged ballot (in
// ack order over the whole run, every worker) is "seen" by a viewer when the first tally with
// at least k ballots reaches it. Acks come from every worker, so a worker learns the global
// order in settled prefixes from the coordinator (all acks up to a time every worker has
// reported past); frames wait per viewer until the acks they cover are settled. Pure: the
// worker feeds it frames and acks, tests feed it numbers.
import { Histogram } from './histogram';

interface Viewer {
  /** Ballots already turned into samples (1-based count). */
  done: number;
  /** Highest ballot count seen, and when it was first seen. */
  max: number;
  maxAt: number;
  /** Frames not yet fully sampled: [ballots, arrival]. */
  waiting: Array<[number, number]>;
}

export class CommitToViewer {
  readonly latency = new Histogram();
  private readonly viewers: Viewer[] = [];
  private readonly waiting = new Set<Viewer>();
  /** Settled ack times in global order; ackTimes[k - 1] is the k-th ack. */
  private readonly ackTimes: number[] = [];
  frames = 0;

  /** A new viewer; returns its index. */
  addViewer(): number {
    this.viewers.push({ done: 0, max: 0, maxAt: 0, waiting: [] });
    return this.viewers.length - 1;
  }

  /** A tally frame for viewer `i` with `ballots` counted since the run's baseline. */
  frame(i: number, ballots: number, at: number): void {
    this.frames++;
    const v = this.viewers[i]!;
    if (ballots <= v.max) return; // older or the same: nothing new to see
    v.max = ballots;
    v.maxAt = at;
    v.waiting.push([ballots, at]);
    this.sample(v);
  }

  /** The next settled acks, in global order, from index `from` (0-based). */
  settle(from: number, times: number[]): void {
    if (from !== this.ackTimes.length) return; // a duplicate or a gap: the coordinator resends
    this.ackTimes.push(...times);
    for (const v of [...this.waiting]) this.sample(v);
  }

  get settled(): number {
    return this.ackTimes.length;
  }

  private sample(v: Viewer): void {
    const known = this.ackTimes.length;
    while (v.waiting.length) {
      const [ballots, at] = v.waiting[0]!;
      const upto = Math.min(ballots, known);
      for (let k = v.done + 1; k <= upto; k++) this.latency.add(at - this.ackTimes[k - 1]!);
      v.done = Math.max(v.done, upto);
      if (ballots > known) break;
      v.waiting.shift();
    }
    if (v.waiting.length) this.waiting.add(v);
    else this.waiting.delete(v);
  }

  /** Viewers whose highest tally holds at least `final` ballots, and the latest of those times. */
  reached(final: number, among?: (i: number) => boolean): { reached: number; lastAt: number } {
    let reached = 0;
    let lastAt = 0;
    this.viewers.forEach((v, i) => {
      if (among && !among(i)) return;
      if (v.max >= final) {
        reached++;
        lastAt = Math.max(lastAt, v.maxAt);
      }
    });
    return { reached, lastAt };
  }
}
