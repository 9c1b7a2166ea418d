// Joins of one election sharing their reads: never answered from a read that started before they
// asked, at most one read waiting behind the running one.
import { sharedRead } from '../../src/shared-read';

describe('sharedRead (a crowd joining one election)', () => {
  const deferred = (): { promise: Promise<number>; resolve: (v: number) => void } => {
    let resolve!: (v: number) => void;
    const promise = new Promise<number>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('answers callers that arrive during a read from the next read, shared, never the running one', async () => {
    const reads: Array<{ key: string; d: ReturnType<typeof deferred> }> = [];
    const shared = sharedRead((key) => {
      const d = deferred();
      reads.push({ key, d });
      return d.promise;
    });
    const first = shared('e1');
    const second = shared('e1');
    const third = shared('e1');
    const other = shared('e2');
    expect(reads.map((r) => r.key)).toEqual(['e1', 'e2']);
    reads[0]!.d.resolve(1);
    expect(await first).toBe(1);
    await Promise.resolve();
    expect(reads.map((r) => r.key)).toEqual(['e1', 'e2', 'e1']); // the next read, for both waiters
    reads[2]!.d.resolve(2);
    expect(await Promise.all([second, third])).toEqual([2, 2]);
    reads[1]!.d.resolve(7);
    expect(await other).toBe(7);
    await Promise.resolve();
    expect(reads).toHaveLength(3);
    // Nothing in flight: a new caller starts a read of its own.
    void shared('e1');
    expect(reads).toHaveLength(4);
  });

  it('passes a failed read to its callers only, and the next read still runs', async () => {
    let n = 0;
    const shared = sharedRead(async () => {
      n++;
      if (n === 1) throw new Error('replica down');
      return n;
    });
    const a = shared('e');
    const b = shared('e');
    await expect(a).rejects.toThrow('replica down');
    expect(await b).toBe(2);
  });

  it('treats a read that throws at once like a failed one', async () => {
    let n = 0;
    const shared = sharedRead((): Promise<number> => {
      n++;
      if (n === 1) throw new Error('bad key');
      return Promise.resolve(n);
    });
    const a = shared('e');
    await expect(a).rejects.toThrow('bad key');
    expect(await shared('e')).toBe(2);
  });
});
