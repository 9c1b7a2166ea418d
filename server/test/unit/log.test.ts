import { serializeError, sqlShape } from '../../src/log';

describe('database errors in the logs', () => {
  it('keeps the shape of a statement without its values', () => {
    expect(
      sqlShape(
        "INSERT INTO participation (election_id, voter_key, batch_nonce) VALUES ('e1', 'u:ada\\'s', X'0aff'), ('e1', 'v:9', 12)",
      ),
    ).toBe('INSERT INTO participation (election_id, voter_key, batch_nonce) VALUES (?, ?, ?), …');
    expect(sqlShape("SELECT MASTER_GTID_WAIT('abc', 0.5) AS r FROM `t1` WHERE n = 1e5")).toBe(
      'SELECT MASTER_GTID_WAIT(?, ?) AS r FROM `t1` WHERE n = ?',
    );
  });

  it('drops the interpolated SQL and the quoted values of a mysql2 error', () => {
    const err = Object.assign(new Error("Duplicate entry 'v:secret' for key 'PRIMARY'"), {
      code: 'ER_DUP_ENTRY',
      sqlMessage: "Duplicate entry 'v:secret' for key 'PRIMARY'",
      sql: "INSERT INTO participation VALUES ('e1', 'v:secret')",
    });
    const out = JSON.stringify(serializeError(err));
    expect(out).not.toContain('secret');
    expect(out).toContain('ER_DUP_ENTRY');
    expect(out).toContain('INSERT INTO participation VALUES (?, ?)');
  });

  it('keeps the table and key names a message quotes', () => {
    const err = Object.assign(new Error("Table 'tallyboard.participation' doesn't exist"), {
      sql: 'SELECT 1',
    });
    expect(serializeError(err)).toMatchObject({
      message: "Table 'tallyboard.participation' doesn't exist",
    });
  });

  it('leaves other errors as pino would log them', () => {
    expect(serializeError(new Error("no 'sql' here"))).toMatchObject({ message: "no 'sql' here" });
  });
});
