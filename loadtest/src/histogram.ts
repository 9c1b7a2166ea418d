// Latency histograms that workers fill and the coordinator merges: sparse buckets of 1 ms below
// 2 s, 10 ms below 20 s, 100 ms above, for negative values too (a tally can beat the HTTP ack of
// the ballot it carries). A percentile is read to the bucket's resolution, which is all a
// p99 of a loaded system means.

export type Buckets = Array<[number, number]>;

/** The bucket a value (ms) falls in, named by its rounded value. */
export function bucketOf(ms: number): number {
  const a = Math.abs(ms);
  const step = a < 2000 ? 1 : a < 20_000 ? 10 : 100;
  return Math.round(ms / step) * step;
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  private n = 0;

  get count(): number {
    return this.n;
  }

  add(ms: number, times = 1): void {
    const b = bucketOf(ms);
    this.counts.set(b, (this.counts.get(b) ?? 0) + times);
    this.n += times;
  }

  merge(buckets: Buckets): void {
    for (const [b, c] of buckets) {
      this.counts.set(b, (this.counts.get(b) ?? 0) + c);
      this.n += c;
    }
  }

  /** Everything, for shipping between processes. */
  buckets(): Buckets {
    return [...this.counts.entries()];
  }

  /** The smallest bucket at or below which a fraction `p` (0..1] of the values lie; null if empty. */
  percentile(p: number): number | null {
    if (!this.n) return null;
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const want = Math.max(1, Math.ceil(p * this.n));
    let seen = 0;
    for (const k of keys) {
      seen += this.counts.get(k)!;
      if (seen >= want) return k;
    }
    return keys[keys.length - 1]!;
  }

  summary(): { p50: number | null; p99: number | null; max: number | null; samples: number } {
    return {
      p50: this.percentile(0.5),
      p99: this.percentile(0.99),
      max: this.percentile(1),
      samples: this.n,
    };
  }
}

/** A histogram that also remembers what was added since the last `drain` (per-tick deltas). */
export class DeltaHistogram extends Histogram {
  private delta = new Histogram();

  override add(ms: number, times = 1): void {
    super.add(ms, times);
    this.delta.add(ms, times);
  }

  drain(): Buckets {
    const out = this.delta.buckets();
    this.delta = new Histogram();
    return out;
  }
}
