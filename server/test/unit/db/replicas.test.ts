import { isConnectionError } from '../../../src/db/errors';
import { judgeReplica, parseReplicaStatus, replicaStatusSql } from '../../../src/db/replicas';

describe('replica status', () => {
  it('asks each flavor in its own words (MySQL 8.4 has no SHOW SLAVE STATUS)', () => {
    expect(replicaStatusSql('mariadb')).toBe('SHOW SLAVE STATUS');
    expect(replicaStatusSql('mysql')).toBe('SHOW REPLICA STATUS');
  });

  it('reads a MariaDB row', () => {
    const s = parseReplicaStatus({
      Slave_IO_Running: 'Yes',
      Slave_SQL_Running: 'Yes',
      Seconds_Behind_Master: 0,
      Last_IO_Error: '',
      Last_SQL_Error: '',
    });
    expect(s).toEqual({ ioRunning: true, sqlRunning: true, lagSeconds: 0, lastError: null });
  });

  it('reads a MySQL 8.4 row', () => {
    const s = parseReplicaStatus({
      Replica_IO_Running: 'Yes',
      Replica_SQL_Running: 'No',
      Seconds_Behind_Source: null,
      Last_SQL_Error: 'boom',
    });
    expect(s).toEqual({ ioRunning: true, sqlRunning: false, lagSeconds: null, lastError: 'boom' });
  });

  it('says a server without replication status is not a replica', () => {
    expect(parseReplicaStatus(undefined)).toMatchObject({ ioRunning: false, sqlRunning: false });
  });
});

describe('judging a replica', () => {
  const running = { ioRunning: true, sqlRunning: true, lagSeconds: 1, lastError: null };

  it('serves reads while both threads run within the lag bound', () => {
    expect(judgeReplica(running, 5)).toEqual({ ok: true, replicating: true, lagSeconds: 1 });
  });

  it('skips a replica whose SQL thread stopped, and says so', () => {
    const h = judgeReplica({ ...running, sqlRunning: false, lagSeconds: null }, 5);
    expect(h).toMatchObject({ ok: false, replicating: false });
    expect(h.error).toMatch(/SQL thread/);
  });

  it('skips a replica whose IO thread is not connected', () => {
    expect(judgeReplica({ ...running, ioRunning: false }, 5)).toMatchObject({
      ok: false,
      replicating: false,
    });
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
