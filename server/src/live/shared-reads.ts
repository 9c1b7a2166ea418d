// A crowd arriving at once (thousands of viewers joining one election in seconds) would cost two
// database reads per join: the election on the master and its results on a replica. Here the
// joins of one election share them, without ever answering a join from a read that started before
// it asked: a caller that finds a read in flight waits for the NEXT one, which starts as soon as
// the current one ends and serves everyone who asked meanwhile. At most two reads per key are
// ever pending, whatever the join rate, and every answer is as fresh as an unshared read.
import type { LiveReads } from './ports';

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

/** The live reads with joins of one election (at one GTID) sharing their reads. */
export function sharedLiveReads(reads: LiveReads): LiveReads {
  const election = sharedRead((id) => reads.getElection(id));
  const results = sharedRead((key) => {
    const [id, gtid] = key.split('\n') as [string, string];
    return reads.readResults(id, gtid || undefined);
  });
  return {
    getElection: election,
    readResults: (id, gtid) => results(`${id}\n${gtid ?? ''}`),
  };
}
