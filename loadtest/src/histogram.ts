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

/** Buckets up to ±10 minutes live in a typed array (an add is an index and an increment). */
const DENSE_MAX_MS = 600_000;
/** Position of a non-negative bucket value among the buckets: 0..2000, then per 10, then per 100. */
const rank = (b: number): number =>
  b <= 2000 ? b : b <= 20_000 ? 2000 + (b - 2000) / 10 : 3800 + (b - 20_000) / 100;
const SHIFT = rank(DENSE_MAX_MS);

/**
 * Where a value's bucket sits in the dense array, or -1 past ±10 minutes. Under ±20 s, where
 * nearly every sample falls, straight from the value: the 1 ms buckets' rank is the rounded value,
 * the 10 ms ones' is 2000 + (b − 2000) / 10 = 1800 + b / 10 (bucketOf and rank give the same).
 */
function denseIndex(ms: number): number {
  if (ms > -2000 && ms < 2000) return SHIFT + Math.round(ms);
  if (ms >= 2000 && ms < 20_000) return SHIFT + 1800 + Math.round(ms / 10);
  if (ms <= -2000 && ms > -20_000) return SHIFT - 1800 + Math.round(ms / 10);
  const b = bucketOf(ms);
  const a = Math.abs(b);
  if (a > DENSE_MAX_MS) return -1;
  return b < 0 ? SHIFT - rank(a) : SHIFT + rank(a);
}
const DENSE = 2 * SHIFT + 1;
/** Bucket value of each dense index. */
const denseValue = new Float64Array(DENSE);
for (let b = 0; b <= DENSE_MAX_MS; b += b < 2000 ? 1 : b < 20_000 ? 10 : 100) {
  denseValue[SHIFT - rank(b)] = -b;
  denseValue[SHIFT + rank(b)] = b; // after the line above: bucket 0 is 0, not -0
}

export class Histogram {
  // A commit-to-viewer histogram takes one add per viewer per ballot (30,000 viewers at 100
  // ballots/s: 3 million a second in the workers): dense counts, and a map only for the rare
  // values past ±10 minutes.
  private readonly dense = new Float64Array(DENSE);
  private readonly sparse = new Map<number, number>();
  private lo = DENSE;
  private hi = -1;
  private n = 0;

  get count(): number {
    return this.n;
  }

  add(ms: number, times = 1): void {
    const i = denseIndex(ms);
    if (i >= 0) {
      this.dense[i] = this.dense[i]! + times;
      if (i < this.lo) this.lo = i;
      if (i > this.hi) this.hi = i;
    } else {
      const b = bucketOf(ms);
      this.sparse.set(b, (this.sparse.get(b) ?? 0) + times);
    }
    this.n += times;
  }

  /**
   * Everything added since the last drain, and empty again: how a worker ships its samples (the
   * coordinator keeps the totals), at one add per sample.
   */
  drain(): Buckets {
    const out = this.buckets();
    if (this.hi >= this.lo) this.dense.fill(0, this.lo, this.hi + 1);
    this.sparse.clear();
    this.lo = DENSE;
    this.hi = -1;
    this.n = 0;
    return out;
  }

  merge(buckets: Buckets): void {
    for (const [b, c] of buckets) this.add(b, c);
  }

  /** Everything, for shipping between processes. */
  buckets(): Buckets {
    const out: Buckets = [...this.sparse.entries()];
    for (let i = this.lo; i <= this.hi; i++) {
      const c = this.dense[i]!;
      if (c) out.push([denseValue[i]!, c]);
    }
    return out;
  }

  /** The smallest bucket at or below which a fraction `p` (0..1] of the values lie; null if empty. */
  percentile(p: number): number | null {
    if (!this.n) return null;
    const all = this.buckets().sort((a, b) => a[0] - b[0]);
    const want = Math.max(1, Math.ceil(p * this.n));
    let seen = 0;
    for (const [k, c] of all) {
      seen += c;
      if (seen >= want) return k;
    }
    return all[all.length - 1]![0];
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
