// Who votes as which roll entry in a `roll` election: a voter token from a ballot code, while
// that code is still the entry's (reissuing it or removing the entry ends the token), or a
// signed-in account whose email is on an entry. Both give the entry's participation key, so a
// code and a sign-in cannot both vote.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { rollEntryKey, type Principal } from '../accounts/tokens';
import { DomainError } from '../errors';

/** The participation key `p` votes under in roll election `electionId`; throws `forbidden` if none. */
export async function rollVoterKey(pool: Pool, electionId: string, p: Principal): Promise<string> {
  if (p.kind === 'voter') {
    if (!p.roll || p.roll.electionId !== electionId) {
      throw new DomainError('forbidden', 'this election has a voter roll: use your ballot code');
    }
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT 1 FROM roll_codes WHERE id = ? AND entry_id = ? AND election_id = ? AND state = 'used'`,
      [p.roll.codeId, p.roll.entryId, electionId],
    );
    if (!rows.length) {
      throw new DomainError(
        'forbidden',
        'your ballot code was replaced or you were removed from the roll: ask for a new code',
      );
    }
    return rollEntryKey(p.roll.entryId);
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT r.id FROM roll_entries r JOIN users u ON u.email = r.email
     WHERE r.election_id = ? AND u.id = ?`,
    [electionId, p.userId],
  );
  const entry = rows[0];
  if (!entry) {
    throw new DomainError(
      'forbidden',
      'your account is not on the voter roll of this election: use your ballot code',
    );
  }
  return rollEntryKey(String(entry.id));
}
