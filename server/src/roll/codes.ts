// Ballot codes as pure functions: what one looks like (16 Crockford base32 symbols, 80 random
// bits, in four groups of four), how what a voter typed is read back, and the keyed hash that is
// all the database keeps of a code.
import { createHmac } from 'node:crypto';
import { newBallotCodeSymbols } from '../ids';

/** Symbols in a code; 5 bits each. */
export const CODE_SYMBOLS = 16;

const SYMBOLS = /^[0-9A-HJKMNP-TV-Z]+$/;

/** `ABCD-EFGH-JKMN-PQRS`: groups of four are what people read aloud and type without losing place. */
export const formatBallotCode = (symbols: string): string => symbols.replace(/(.{4})(?!$)/g, '$1-');

/** A fresh code, formatted for a slip. */
export const newBallotCode = (): string => formatBallotCode(newBallotCodeSymbols());

/**
 * A typed code as its 16 symbols, or null when it cannot be one. Case, spaces and dashes do not
 * matter, and the letters people confuse with digits read as those digits (O→0, I and L→1), as
 * Crockford's base32 intends.
 */
export function normalizeBallotCode(typed: string): string | null {
  const s = typed
    .toUpperCase()
    .replace(/[\s\-‐-―]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return s.length === CODE_SYMBOLS && SYMBOLS.test(s) ? s : null;
}

/**
 * What is stored of a code: HMAC-SHA256 under the server's code secret. Without the secret a
 * stolen table cannot be checked against guesses offline; with 80 random bits per code a plain
 * hash would already resist that, the key makes it hold even for a weaker future format.
 */
export const hashBallotCode = (secret: string, symbols: string): Buffer =>
  createHmac('sha256', secret).update(`tb-ballot-code.${symbols}`).digest();

/** The ballot page's link for a code, a path on the client's origin. */
export const ballotLink = (joinCode: string, code: string): string =>
  `/vote/${encodeURIComponent(joinCode)}?code=${encodeURIComponent(code)}`;
