import { bucketOf, Histogram } from '../../src/histogram';

describe('latency histogram', () => {
  it('reads percentiles as the smallest bucket holding that share of the values', () => {
    const h = new Histogram();
    for (let v = 1; v <= 100; v++) h.add(v);
    expect(h.percentile(0.5)).toBe(50);
    expect(h.percentile(0.99)).toBe(99);
    expect(h.percentile(1)).toBe(100);
    expect(h.summary()).toEqual({ p50: 50, p99: 99, max: 100, samples: 100 });
  });

  it('has no percentile when empty', () => {
    expect(new Histogram().summary()).toEqual({ p50: null, p99: null, max: null, samples: 0 });
  });

  it('keeps negative values (a tally that beat its ack) in order', () => {
    const h = new Histogram();
    [-40, -10, 5, 20].forEach((v) => h.add(v));
    expect(h.percentile(0.25)).toBe(-40);
    expect(h.percentile(0.5)).toBe(-10);
  });

  it('coarsens buckets with the value: 1 ms, then 10 ms past 2 s, 100 ms past 20 s', () => {
    expect(bucketOf(1234.4)).toBe(1234);
    expect(bucketOf(2345)).toBe(2350);
    expect(bucketOf(-2344)).toBe(-2340);
    expect(bucketOf(23_449)).toBe(23_400);
  });

  it('merges shipped buckets into the same percentiles as one histogram', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let v = 0; v < 1000; v++) {
      (v % 3 ? a : b).add(v * 1.7);
      all.add(v * 1.7);
    }
    const merged = new Histogram();
    merged.merge(a.drain());
    merged.merge(b.drain());
    expect(merged.summary()).toEqual(all.summary());
    // A drain empties the histogram: the next one ships only what came after it.
    expect(a.drain()).toEqual([]);
    expect(a.count).toBe(0);
    a.add(-3000);
    a.add(1.2);
    expect(a.drain()).toEqual([
      [-3000, 1],
      [1, 1],
    ]);
    expect(a.summary().samples).toBe(0);
  });
});

describe('latency histogram storage', () => {
  it('keeps every bucket value exactly, near and past ±10 minutes', () => {
    const h = new Histogram();
    const values = [
      -700_000, -600_000, -20_050, -1999, 0, 1, 2000, 2005, 19_990, 20_000, 599_999, 601_000,
    ];
    values.forEach((v) => h.add(v));
    expect(h.buckets().sort((a, b) => a[0] - b[0])).toEqual(
      values.map((v) => [bucketOf(v), 1]).sort((a, b) => a[0]! - b[0]!),
    );
    expect(h.percentile(1)).toBe(601_000);
    expect(h.percentile(1 / values.length)).toBe(-700_000);
  });

  it('puts every value in its bucketOf, across the 1 ms and 10 ms buckets and past their edges', () => {
    const h = new Histogram();
    const expected = new Map<number, number>();
    for (let v = -21_000; v <= 21_000; v += 0.125) {
      h.add(v);
      const b = bucketOf(v) || 0; // the histogram names the zero bucket 0, not -0
      expected.set(b, (expected.get(b) ?? 0) + 1);
    }
    expect(h.buckets().sort((a, b) => a[0] - b[0])).toEqual(
      [...expected].sort((a, b) => a[0] - b[0]),
    );
  });
});
