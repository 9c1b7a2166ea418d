// Who votes as which roll entry in a `roll` election: a voter token from a ballot code, while
// that code is still the entry's (reissuing it or removing the entry ends the token), or a
// signed-in account whose email is on an entry. Both give the entry's participation key, so a
// code and a sign-in cannot both vote.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { rollEntryKey, type Principal } from '../accounts/tokens';
import { DomainError } from '../errors';

/** Why a caller does not vote on a roll: no caller, or a caller the roll does not know. */
export type RollRefusal = 'sign_in_required' | 'not_on_roll';

/**
 * The participation key `p` votes under in roll election `electionId`, or why it has none. Also
 * what a page asks before the ballot ("you have voted": participation under this key).
 */
export async function findRollVoterKey(
  pool: Pool,
  electionId: string,
  p: Principal | null,
): Promise<{ key: string } | { refusal: RollRefusal }> {
  if (!p) return { refusal: 'sign_in_required' };
  if (p.kind === 'voter') {
    if (!p.roll || p.roll.electionId !== electionId) return { refusal: 'not_on_roll' };
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT 1 FROM roll_codes WHERE id = ? AND entry_id = ? AND election_id = ? AND state = 'used'`,
      [p.roll.codeId, p.roll.entryId, electionId],
    );
    return rows.length ? { key: rollEntryKey(p.roll.entryId) } : { refusal: 'not_on_roll' };
  }
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT r.id FROM roll_entries r JOIN users u ON u.email = r.email
     WHERE r.election_id = ? AND u.id = ?`,
    [electionId, p.userId],
  );
  const entry = rows[0];
  return entry ? { key: rollEntryKey(String(entry.id)) } : { refusal: 'not_on_roll' };
}

/** findRollVoterKey for a ballot: the key, or 403 `forbidden` saying what to do instead. */
export async function rollVoterKey(pool: Pool, electionId: string, p: Principal): Promise<string> {
  const found = await findRollVoterKey(pool, electionId, p);
  if ('key' in found) return found.key;
  if (p.kind === 'voter' && p.roll?.electionId === electionId) {
    throw new DomainError(
      'forbidden',
      'your ballot code was replaced or you were removed from the roll: ask for a new code',
    );
  }
  throw new DomainError(
    'forbidden',
    p.kind === 'user'
      ? 'your account is not on the voter roll of this election: use your ballot code'
      : 'this election has a voter roll: use your ballot code',
  );
}
