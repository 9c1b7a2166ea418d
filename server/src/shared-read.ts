// One read shared between concurrent callers of the same key, never answering a caller from a
// read that started before it asked: a caller that finds a read in flight waits for the NEXT one,
// which starts as soon as the current one ends and serves everyone who asked meanwhile. At most
// two reads per key are ever pending, whatever the rate of callers, and every answer is as fresh
// as an unshared read. Used by live/shared-reads.ts (a crowd's database reads) and by the join
// path's Redis reads (rate-limit checks, presence totals).

interface Pending<V> {
  promise: Promise<V>;
  resolve: (v: V) => void;
  reject: (e: unknown) => void;
}

function pending<V>(): Pending<V> {
  let resolve!: (v: V) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<V>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** `read` shared between concurrent callers of the same key, as above. */
export function sharedRead<V>(read: (key: string) => Promise<V>): (key: string) => Promise<V> {
  const state = new Map<string, { next: Pending<V> | null }>();
  const start = (key: string): Promise<V> => {
    const entry = { next: null as Pending<V> | null };
    state.set(key, entry);
    let run: Promise<V>;
    try {
      run = read(key);
    } catch (e) {
      run = Promise.reject(e); // a read that throws at once must not leave its waiters hanging
    }
    const after = (): void => {
      const next = entry.next;
      if (!next) {
        state.delete(key);
        return;
      }
      start(key).then(next.resolve, next.reject);
    };
    run.then(after, after);
    return run;
  };
  return (key) => {
    const entry = state.get(key);
    if (!entry) return start(key);
    entry.next ??= pending<V>();
    return entry.next.promise;
  };
}
