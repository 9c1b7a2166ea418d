// Idempotency-Key memory that never links a voter to a ballot in stored data: the row is keyed by
// sha256(voterKey ‖ electionId ‖ key) and holds the receipt encrypted (AES-256-GCM) under a key
// derived from the server secret, the voter and the Idempotency-Key. Only a retry by the same
// voter with the same key can find and open it; the table alone reveals nothing.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { Connection, RowDataPacket } from 'mysql2/promise';

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
  const iv = randomBytes(12);
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
    'SELECT receipt_enc FROM idempotency WHERE key_hash = ? AND expires_at > UTC_TIMESTAMP()',
    [idempotencyHash(ids.voterKey, ids.electionId, ids.key)],
  );
  const blob = rows[0]?.receipt_enc as Buffer | undefined;
  return blob ? decryptReceipt(secret, ids, blob) : null;
}

/** Forgets expired keys, a bounded chunk at a time. */
export async function purgeExpiredKeys(db: Connection): Promise<number> {
  const [res] = await db.query(
    'DELETE FROM idempotency WHERE expires_at <= UTC_TIMESTAMP() LIMIT 1000',
  );
  return (res as { affectedRows?: number }).affectedRows ?? 0;
}
