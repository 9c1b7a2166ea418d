// Idempotency-Key memory that never links a voter to a ballot in stored data: the voter's
// participation row holds the receipt encrypted (AES-256-GCM) under a key derived from the server
// secret, the voter, the election and the Idempotency-Key, which is never stored. Only a retry by
// the same voter with the same key can open it (GCM refuses any other key); the row alone, even
// with the server secret, reveals nothing. Before migration 006 the memory was a table of its own
// keyed by sha256(voterKey ‖ electionId ‖ key); its last rows are still read until they expire.
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { randomPooled } from '../ids';

export const IDEMPOTENCY_TTL_HOURS = 24;

const field = (s: string): string => `${s.length}:${s}`; // length-prefixed: no ambiguous joins

export function idempotencyHash(voterKey: string, electionId: string, key: string): Buffer {
  return createHash('sha256')
    .update(`tb-idem-v1|${field(voterKey)}|${field(electionId)}|${field(key)}`)
    .digest();
}

function receiptKey(secret: string, voterKey: string, electionId: string, key: string): Buffer {
  return createHmac('sha256', secret)
    .update(`tb-idem-enc-v1|${field(voterKey)}|${field(electionId)}|${field(key)}`)
    .digest();
}

export function encryptReceipt(
  secret: string,
  ids: { voterKey: string; electionId: string; key: string },
  receipt: string,
): Buffer {
  const iv = randomPooled(12);
  const cipher = createCipheriv(
    'aes-256-gcm',
    receiptKey(secret, ids.voterKey, ids.electionId, ids.key),
    iv,
  );
  const body = Buffer.concat([cipher.update(receipt, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The receipt, or null when the blob was not sealed for these ids. */
export function decryptReceipt(
  secret: string,
  ids: { voterKey: string; electionId: string; key: string },
  blob: Buffer,
): string | null {
  if (blob.length < 29) return null;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      receiptKey(secret, ids.voterKey, ids.electionId, ids.key),
      blob.subarray(0, 12),
    );
    decipher.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** Looks the key up on the master; returns the remembered receipt, if any. */
export async function findRememberedReceipt(
  db: Connection,
  secret: string,
  ids: { voterKey: string; electionId: string; key: string },
): Promise<string | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT receipt_enc FROM participation
     WHERE election_id = ? AND voter_key = ? AND receipt_expires_at > UTC_TIMESTAMP()`,
    [ids.electionId, ids.voterKey],
  );
  const blob = rows[0]?.receipt_enc as Buffer | null | undefined;
  const receipt = blob ? decryptReceipt(secret, ids, blob) : null;
  if (receipt) return receipt;
  // Memory written before migration 006, until it expires.
  const [legacy] = await db.query<RowDataPacket[]>(
    'SELECT receipt_enc FROM idempotency WHERE key_hash = ? AND expires_at > UTC_TIMESTAMP()',
    [idempotencyHash(ids.voterKey, ids.electionId, ids.key)],
  );
  const old = legacy[0]?.receipt_enc as Buffer | undefined;
  return old ? decryptReceipt(secret, ids, old) : null;
}

/** Forgets expired keys, a bounded chunk at a time. */
export async function purgeExpiredKeys(db: Connection): Promise<number> {
  const [sealed] = await db.query<ResultSetHeader>(
    `UPDATE participation SET receipt_enc = NULL, receipt_expires_at = NULL
     WHERE receipt_expires_at <= UTC_TIMESTAMP() LIMIT 1000`,
  );
  const [legacy] = await db.query<ResultSetHeader>(
    'DELETE FROM idempotency WHERE expires_at <= UTC_TIMESTAMP() LIMIT 1000',
  );
  return sealed.affectedRows + legacy.affectedRows;
}
