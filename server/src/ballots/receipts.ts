// The receipt check: does a counted ballot carry this receipt? Replicas first (it is a read like
// the tallies); a receipt issued a moment ago may not have reached them, so a miss asks the master.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { ReceiptCheck } from '@tallyboard/shared';
import type { ReplicaRouter } from '../db/replicas';

/**
 * Receipts are stored as shown, `XXXX-XXXX-XXXX-XXXX` in upper case. A voter may type one in any
 * case, with or without the dashes, with spaces: keep the letters and digits, and put the dashes
 * back when there are the 16 symbols of a receipt.
 */
export function normalizeReceipt(typed: string): string {
  const symbols = typed
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .slice(0, 32);
  return symbols.length === 16 ? symbols.replace(/(.{4})(?!$)/g, '$1-') : symbols;
}

export async function checkReceipt(
  db: { master: Pool; replicas: ReplicaRouter },
  electionId: string,
  typed: string,
): Promise<ReceiptCheck> {
  const receipt = normalizeReceipt(typed);
  const find = async (conn: Pick<Pool, 'query'>): Promise<boolean> => {
    const [rows] = await conn.query<RowDataPacket[]>(
      'SELECT 1 FROM ballots WHERE election_id = ? AND receipt = ?',
      [electionId, receipt],
    );
    return rows.length > 0;
  };
  const counted = (await db.replicas.read((c) => find(c))) || (await find(db.master));
  return { receipt, electionId, counted };
}
