// The receipt check: does a counted ballot carry this receipt? Replicas first (it is a read like
// the tallies); a receipt issued a moment ago may not have reached them, so a miss asks the master.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { ReceiptCheck } from '@tallyboard/shared';
import type { ReplicaRouter } from '../db/replicas';

/** Receipts are shown in groups of four, upper case; what a voter types is matched as shown. */
export const normalizeReceipt = (typed: string): string => typed.trim().toUpperCase().slice(0, 32);

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
