// Opaque identifiers: random, never sequential, so an id reveals neither order nor count.
import { randomBytes } from 'node:crypto';

// Crockford-style base32 without I, L, O, U: nothing a voter can misread when typing a code.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// Join codes drop 0/1 as well, so O/0 and I/1 confusions cannot happen at all.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

// Random bytes are drawn from the CSPRNG a few KB at a time and each byte is handed out once (as
// crypto.randomUUID does with its cache): one call per id cost more than the rest of the id.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/** `n` fresh bytes from the CSPRNG, each used once. The caller may keep them (a copy). */
export function randomPooled(n: number): Buffer {
  if (n > POOL_SIZE) return randomBytes(n);
  if (used + n > pool.length) {
    pool = randomBytes(POOL_SIZE);
    used = 0;
  }
  const out = Buffer.from(pool.subarray(used, used + n));
  used += n;
  return out;
}

function randomString(length: number, alphabet: string): string {
  const bytes = randomPooled(length * 2);
  let out = '';
  // Rejection sampling keeps every symbol equally likely.
  const limit = 256 - (256 % alphabet.length);
  for (let i = 0; out.length < length; i++) {
    if (i >= bytes.length) return out + randomString(length - out.length, alphabet);
    const b = bytes[i] as number;
    if (b < limit) out += alphabet[b % alphabet.length];
  }
  return out;
}

/** 20 symbols of base32: 100 random bits. */
export const newId = (): string => randomString(20, ALPHABET).toLowerCase();

/** Short code typed by voters: 6 symbols from a 30-symbol alphabet (~7e8 codes). */
export const newJoinCode = (): string => randomString(6, CODE_ALPHABET);

/** Receipt shown to a voter: 16 symbols (80 bits) in groups of four. */
export const newReceipt = (): string => randomString(16, ALPHABET).replace(/(.{4})(?!$)/g, '$1-');

/** A voter roll's one-time ballot code: 16 symbols (80 bits), raw (roll/codes.ts groups them). */
export const newBallotCodeSymbols = (): string => randomString(16, ALPHABET);

/** Join codes are matched case-insensitively and without surrounding spaces. */
export const normalizeJoinCode = (code: string): string => code.trim().toUpperCase();

/** A temporary password an admin passes on: 16 symbols (80 bits) in groups of four. */
export const newTemporaryPassword = (): string =>
  randomString(16, CODE_ALPHABET).replace(/(.{4})(?!$)/g, '$1-');
