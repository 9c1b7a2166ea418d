// The master link's pure parts: where an authoritative read goes while the master is away, the
// error a refused write becomes, and the verdict of a probe.
import { DomainError, describeError } from '../../../src/errors';
import { judgeProbe, readPreferMaster } from '../../../src/db/master-link';
import type { Connection, Pool } from 'mysql2/promise';

const connErr = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('readPreferMaster', () => {
  const replicaConn = { tag: 'replica' } as unknown as Connection;
  const replicas = { read: <T>(fn: (c: Connection) => Promise<T>) => fn(replicaConn) };
  const masterPool = { tag: 'master' } as unknown as Pool;
  const where = async (db: Connection) => (db as unknown as { tag: string }).tag;

  it('reads on the master while it takes writes', async () => {
    const link = { pool: masterPool, writable: true, noteFailure: jest.fn() };
    expect(await readPreferMaster(link, replicas, where)).toBe('master');
    expect(link.noteFailure).not.toHaveBeenCalled();
  });

  it('reads on a replica while the master is away, without trying the master', async () => {
    const fn = jest.fn(where);
    const link = { pool: masterPool, writable: false, noteFailure: jest.fn() };
    expect(await readPreferMaster(link, replicas, fn)).toBe('replica');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('moves to a replica when the master read fails on the connection, and says so', async () => {
    const link = { pool: masterPool, writable: true, noteFailure: jest.fn() };
    const fn = async (db: Connection) => {
      if ((await where(db)) === 'master') throw connErr();
      return 'replica';
    };
    expect(await readPreferMaster(link, replicas, fn)).toBe('replica');
    expect(link.noteFailure).toHaveBeenCalledTimes(1);
  });

  it('lets any other error through', async () => {
    const link = { pool: masterPool, writable: true, noteFailure: jest.fn() };
    const bad = async () => {
      throw new DomainError('not_found', 'no such election');
    };
    await expect(readPreferMaster(link, replicas, bad)).rejects.toThrow('no such election');
  });
});

describe('master_unavailable', () => {
  it('is a 503 with Retry-After from its details', () => {
    const e = describeError(
      new DomainError('master_unavailable', 'retry', { retryAfterSeconds: 2 }),
    );
    expect(e).toMatchObject({ status: 503, retryAfter: 2, internal: false });
    expect(e.body.error.code).toBe('master_unavailable');
  });
});

describe('judgeProbe', () => {
  const timeout = () =>
    Object.assign(new Error('Query inactivity timeout'), { code: 'PROTOCOL_SEQUENCE_TIMEOUT' });

  it('opens the gate on an answer from a writable master, and forgets earlier timeouts', () => {
    expect(judgeProbe({ readOnly: false }, 2)).toEqual({ writable: true, timeoutsInRow: 0 });
  });

  it('closes it at once for a read-only master or a refused connection', () => {
    expect(judgeProbe({ readOnly: true }, 0)).toMatchObject({ writable: false });
    expect(judgeProbe({ error: connErr() }, 0)).toMatchObject({
      writable: false,
      error: 'connect ECONNREFUSED',
    });
  });

  it('keeps the gate as it is for a lone timeout (a starved node reads the answer late)', () => {
    let inRow = 0;
    const verdicts: Array<boolean | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const v = judgeProbe({ error: timeout() }, inRow, 3);
      inRow = v.timeoutsInRow;
      verdicts.push(v.writable);
    }
    expect(verdicts).toEqual([undefined, undefined, false]);
    expect(judgeProbe({ error: timeout() }, 0, 3).writable).toBeUndefined();
  });
});
