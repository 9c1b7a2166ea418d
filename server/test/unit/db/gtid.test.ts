import {
  currentGtidSql,
  gtidOfRows,
  gtidWaitReached,
  waitGtidSql,
  waitTimeoutSeconds,
} from '../../../src/db/gtid';

describe('GTID SQL per flavor', () => {
  it('reads the last committed GTID of the session on MariaDB', () => {
    expect(currentGtidSql('mariadb')).toBe('SELECT @@last_gtid AS gtid');
  });

  it('reads the executed GTID set on MySQL, which mysql2 cannot get from session tracking', () => {
    expect(currentGtidSql('mysql')).toBe('SELECT @@GLOBAL.gtid_executed AS gtid');
  });

  it('waits with MASTER_GTID_WAIT on MariaDB and WAIT_FOR_EXECUTED_GTID_SET on MySQL', () => {
    expect(waitGtidSql('mariadb')).toBe('SELECT MASTER_GTID_WAIT(?, ?) AS r');
    expect(waitGtidSql('mysql')).toBe('SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS r');
  });

  it('passes the timeout in (fractional) seconds and never zero', () => {
    expect(waitTimeoutSeconds(500)).toBe(0.5);
    expect(waitTimeoutSeconds(0)).toBe(0.001);
  });

  it('treats only 0 as reached: -1 (MariaDB timeout), 1 (MySQL timeout) and NULL are not', () => {
    expect(gtidWaitReached(0)).toBe(true);
    expect(gtidWaitReached('0')).toBe(true);
    expect(gtidWaitReached(-1)).toBe(false);
    expect(gtidWaitReached(1)).toBe(false);
    expect(gtidWaitReached(null)).toBe(false);
    expect(gtidWaitReached(undefined)).toBe(false);
  });

  it('reads the GTID out of the current-GTID query, empty when the session wrote nothing', () => {
    const rows = (gtid: unknown) => [{ gtid }] as unknown as Parameters<typeof gtidOfRows>[0];
    expect(gtidOfRows(rows('0-1-42'))).toBe('0-1-42');
    expect(gtidOfRows(rows(null))).toBe('');
    expect(gtidOfRows([] as unknown as Parameters<typeof gtidOfRows>[0])).toBe('');
  });
});
