import { isConnectionError } from '../../../src/db/errors';
import {
  addSample,
  judgeReplica,
  lagFromSamples,
  MAX_POSITION_SAMPLES,
  replicaReachedSql,
  replicaRunningSql,
  replicaStatusSql,
} from '../../../src/db/replicas';

describe('replica status', () => {
  it('keeps SHOW SLAVE STATUS for root scripts only, in each flavor’s words', () => {
    expect(replicaStatusSql('mariadb')).toBe('SHOW SLAVE STATUS');
    expect(replicaStatusSql('mysql')).toBe('SHOW REPLICA STATUS');
  });

  it('asks whether replication runs without any replication privilege', () => {
    expect(replicaRunningSql('mariadb')).toMatch(/GLOBAL_STATUS[\s\S]*'SLAVE_RUNNING'/);
    expect(replicaRunningSql('mysql')).toMatch(
      /replication_connection_status[\s\S]*replication_applier_status/,
    );
    for (const f of ['mariadb', 'mysql'] as const) {
      expect(replicaRunningSql(f)).not.toMatch(/SHOW (SLAVE|REPLICA) STATUS/);
    }
  });

  it('asks whether a position was applied with a wait that does not wait', () => {
    expect(replicaReachedSql('mariadb')).toBe('SELECT MASTER_GTID_WAIT(?, 0) = 0 AS reached');
    expect(replicaReachedSql('mysql')).toBe(
      'SELECT GTID_SUBSET(?, @@GLOBAL.gtid_executed) AS reached',
    );
  });
});

describe('lag from sampled master positions', () => {
  const samples = [
    { gtid: '0-1-10', at: 0 },
    { gtid: '0-1-20', at: 1000 },
    { gtid: '0-1-30', at: 2000 },
    { gtid: '0-1-40', at: 3000 },
    { gtid: '0-1-50', at: 4000 },
  ];
  const appliedUpTo = (seq: number) => {
    const asked: string[] = [];
    const reached = (g: string) => {
      asked.push(g);
      return Promise.resolve(Number(g.split('-')[2]) <= seq);
    };
    return { reached, asked };
  };

  it('is 0, after one question, while the replica has the newest position', async () => {
    const r = appliedUpTo(50);
    expect(await lagFromSamples(samples, r.reached, 4500)).toBe(0);
    expect(r.asked).toEqual(['0-1-50']);
  });

  it('is the age of the oldest position the replica has not applied', async () => {
    expect(await lagFromSamples(samples, appliedUpTo(25).reached, 9000)).toBe(7);
    expect(await lagFromSamples(samples, appliedUpTo(40).reached, 9000)).toBe(5);
    expect(await lagFromSamples(samples, appliedUpTo(0).reached, 9000)).toBe(9);
  });

  it('asks about a logarithmic number of samples', async () => {
    const many = Array.from({ length: 256 }, (_, i) => ({ gtid: `0-1-${i + 1}`, at: i * 1000 }));
    const r = appliedUpTo(100);
    expect(await lagFromSamples(many, r.reached, 300_000)).toBe(300 - 100);
    expect(r.asked.length).toBeLessThanOrEqual(10);
  });

  it('is unknown before the first sample', async () => {
    expect(await lagFromSamples([], () => Promise.resolve(true), 0)).toBeNull();
  });

  it('keeps the first sighting of a position that did not move, and a bounded history', () => {
    const list: Array<{ gtid: string; at: number }> = [];
    addSample(list, { gtid: '0-1-1', at: 1 });
    addSample(list, { gtid: '0-1-1', at: 2 });
    expect(list).toEqual([{ gtid: '0-1-1', at: 1 }]);
    for (let i = 2; i < MAX_POSITION_SAMPLES + 10; i++)
      addSample(list, { gtid: `0-1-${i}`, at: i });
    expect(list).toHaveLength(MAX_POSITION_SAMPLES);
    expect(list.at(-1)?.gtid).toBe(`0-1-${MAX_POSITION_SAMPLES + 9}`);
  });
});

describe('judging a replica', () => {
  const running = { running: true, lagSeconds: 1 };

  it('serves reads while replicating within the lag bound', () => {
    expect(judgeReplica(running, 5)).toEqual({ ok: true, replicating: true, lagSeconds: 1 });
  });

  it('skips a replica whose replication stopped, shows no lag, and says so', () => {
    const h = judgeReplica({ running: false, lagSeconds: 3 }, 5);
    expect(h).toMatchObject({ ok: false, replicating: false, lagSeconds: null });
    expect(h.error).toMatch(/not running/);
  });

  it('skips a replica lagging past the bound but still reports it replicating', () => {
    const h = judgeReplica({ ...running, lagSeconds: 30 }, 5);
    expect(h).toMatchObject({ ok: false, replicating: true, lagSeconds: 30 });
    expect(h.error).toMatch(/lagging 30s/);
  });
});

describe('connection errors', () => {
  it('tells an unreachable server from a bad query', () => {
    expect(isConnectionError({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isConnectionError({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })).toBe(true);
    expect(isConnectionError({ code: 'ER_NO_SUCH_TABLE' })).toBe(false);
    expect(isConnectionError(new Error('domain'))).toBe(false);
    expect(isConnectionError(null)).toBe(false);
  });
});
