import {
  currentGtidSql,
  gtidOfRows,
  gtidWaitReached,
  isGtidSyntax,
  mariadbPositionCovers,
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

describe('GTIDs from a client', () => {
  it.each(['0-1-42', '0-1-42,1-2-7', '4294967295-4294967295-18446744073709551615'])(
    'accepts the MariaDB GTID %s',
    (g) => expect(isGtidSyntax('mariadb', g)).toBe(true),
  );
  it.each([
    'abc',
    '',
    '0-1',
    '0-1-2-3',
    '-1-1-1',
    '0-1-42,',
    "0-1-1' OR 1=1",
    '4294967296-1-1',
    '0-1-18446744073709551616',
    '0-1-'.padEnd(2000, '9'),
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
  ])('refuses %j as a MariaDB GTID', (g) => expect(isGtidSyntax('mariadb', g)).toBe(false));

  it.each([
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11-18,3E11FA47-71CA-11E1-9E33-C80AA9429563:7',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_1:1-5',
  ])('accepts the MySQL GTID set %s', (g) => expect(isGtidSyntax('mysql', g)).toBe(true));
  it.each([
    '0-1-42',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:0',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:5-1',
    '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:tag',
    'zz11fa47-71ca-11e1-9e33-c80aa9429562:1',
  ])('refuses %j as a MySQL GTID set', (g) => expect(isGtidSyntax('mysql', g)).toBe(false));

  it('counts a MariaDB GTID as seen when the master reached its sequence in that domain', () => {
    expect(mariadbPositionCovers('0-1-100', '0-1-100')).toBe(true);
    expect(mariadbPositionCovers('0-1-100', '0-1-99')).toBe(true);
    expect(mariadbPositionCovers('0-1-100', '0-2-99')).toBe(true);
    expect(mariadbPositionCovers('0-1-100,1-1-5', '0-1-7,1-1-5')).toBe(true);
    expect(mariadbPositionCovers('0-1-100', '0-1-999999999')).toBe(false);
    expect(mariadbPositionCovers('0-1-100', '1-1-1')).toBe(false);
    expect(mariadbPositionCovers('', '0-1-1')).toBe(false);
  });
});
