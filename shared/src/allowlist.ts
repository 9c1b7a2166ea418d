// Who may vote in an `accounts` election restricted to an allowlist: entries are email addresses
// (`ada@school.edu`) or whole email domains (`@school.edu`). Pure functions, shared so that the
// admin form and the server normalise and match alike.

/**
 * The one spelling of an email address: trimmed, Unicode NFC, lower-case. Accounts are stored and
 * looked up by it, allowlist entries are compared by it.
 */
export const normalizeEmail = (email: string): string =>
  email.normalize('NFC').trim().toLowerCase();

// One label: letters, digits and hyphens (any script, for IDN domains), not starting or ending
// with a hyphen.
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/** A domain with at least two labels (`school.edu`), each a valid label; no trailing dot. */
export function isEmailDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => l.length <= 63 && LABEL.test(l));
}

// Deliberately plain: one @, a local part without spaces or another @, a valid domain.
const LOCAL_PART = /^[^\s@"<>()[\]\\,;:]{1,64}$/u;

export type AllowlistEntry = { kind: 'email'; value: string } | { kind: 'domain'; value: string };

/**
 * An entry as typed by an admin, normalised (`' @School.EDU '` → `@school.edu`,
 * `Ada@School.edu` → `ada@school.edu`), or null when it is neither an email address nor `@domain`.
 */
export function parseAllowlistEntry(raw: string): AllowlistEntry | null {
  const s = normalizeEmail(raw);
  const at = s.lastIndexOf('@');
  if (at < 0 || s.indexOf('@') !== at) return null;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (!isEmailDomain(domain)) return null;
  if (local === '') return { kind: 'domain', value: `@${domain}` };
  return LOCAL_PART.test(local) ? { kind: 'email', value: s } : null;
}

/**
 * The entries that would admit `email`: the address itself and its exact domain. A domain entry
 * does not cover subdomains (`@school.edu` does not admit `ada@cs.school.edu`): list those too.
 */
export function allowlistKeys(email: string): string[] {
  const e = normalizeEmail(email);
  const at = e.lastIndexOf('@');
  return at < 0 ? [e] : [e, e.slice(at)];
}

/** Whether `email` is admitted by `entries` (normalised entries, as stored). An empty list admits all. */
export function isOnAllowlist(entries: readonly string[], email: string): boolean {
  if (entries.length === 0) return true;
  const set = new Set(entries);
  return allowlistKeys(email).some((k) => set.has(k));
}
