// Request schemas: the one definition of valid input, used by the server to validate and by the
// client to check a form before sending it.
import { z } from 'zod';
import { parseAllowlistEntry } from './allowlist';
import { JOIN_CODE, LIMITS } from './limits';

// In a browser, zod's compiled fast path for objects is off: zod probes for it with
// `new Function('')` while building the schemas below, which the pages' Content-Security-Policy
// (no 'unsafe-eval', deploy/nginx/nginx.conf.template) refuses and reports as a violation. It has
// to be set before the first schema is built, hence here. The server keeps the fast path.
if (typeof (globalThis as { document?: unknown }).document !== 'undefined') {
  z.config({ jitless: true });
}

export const accessModes = ['open', 'accounts', 'roll'] as const;
export const resultsVisibilities = ['live', 'after_close', 'admin_only'] as const;
export const electionStatuses = ['draft', 'scheduled', 'open', 'closed'] as const;

/**
 * The one rule for text a person reads (titles, descriptions, names): stored in Unicode NFC and
 * trimmed; no control characters (line breaks and tabs only where `multiline`), no lone
 * surrogates; at least one visible character (not only spaces, zero-width or combining marks).
 * Lengths count the normalised text.
 */
const CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_LINES = /[^\P{Cc}\t\n\r]/u;
const LONE_SURROGATE = /\p{Cs}/u;
// Whitespace, format characters (zero-width space/joiners, bidi marks, BOM), combining marks,
// and the letters that draw nothing (Hangul fillers, braille blank).
const INVISIBLE = /[\s\p{Z}\p{Cf}\p{Cc}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** Text as a person sees it: false when it draws nothing at all. */
export const hasVisibleText = (s: string): boolean => s.replace(INVISIBLE, '').length > 0;

/**
 * The key two names are compared by: compatibility-normalised (NFKC), without format characters
 * (zero-width, bidi marks), spaces collapsed, case-folded. "Ada", "ada", "Ada\u200B" and "José"
 * in NFC or NFD are one name.
 */
export const nameKey = (s: string): string =>
  s
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[\s\p{Z}]+/gu, ' ')
    .trim()
    .toLowerCase();

function textSchema(max: number, opts: { multiline?: boolean } = {}) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .max(max)
        .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text')
        .refine(
          (s) => !(opts.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(s),
          opts.multiline
            ? 'must not contain control characters (line breaks and tabs are fine)'
            : 'must not contain control characters or line breaks',
        ),
    );
}

/** A required line of text: a title or a name. */
const requiredText = (max: number) =>
  textSchema(max)
    .refine((s) => s.length > 0, 'must not be empty')
    .refine((s) => s.length === 0 || hasVisibleText(s), 'must contain visible characters');

/** An optional description: several lines allowed; blank means none. */
const optionalText = (max: number) =>
  textSchema(max, { multiline: true })
    .refine((s) => s.length === 0 || hasVisibleText(s), 'must contain visible characters')
    .optional();

/**
 * Dates an election may carry, in UTC. Anything outside is a typo or a probe, and the database
 * would silently rewrite it (year 0, year 10000 after an offset), so it is refused.
 */
export const DATE_RANGE = {
  min: '2000-01-01T00:00:00.000Z',
  max: '2999-12-31T23:59:59.999Z',
} as const;

const isoDate = z.iso.datetime({ offset: true }).refine(
  (s) => {
    const t = Date.parse(s);
    return t >= Date.parse(DATE_RANGE.min) && t <= Date.parse(DATE_RANGE.max);
  },
  `must be a date between ${DATE_RANGE.min.slice(0, 10)} and ${DATE_RANGE.max.slice(0, 10)} (UTC)`,
);

export const candidateInputSchema = z.object({
  name: requiredText(LIMITS.candidateName),
  description: optionalText(LIMITS.description),
  photoUrl: z
    .string()
    .trim()
    .max(LIMITS.url)
    .regex(/^https?:\/\/[^\s\p{Cc}]+$/iu, 'must be an http(s) URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export const positionInputSchema = z
  .object({
    title: requiredText(LIMITS.title),
    description: optionalText(LIMITS.description),
    maxSelections: z.number().int().min(1),
    winners: z.number().int().min(1),
    /** Offer the voter an explicit "Abstain" choice for this position. @default false */
    allowAbstain: z.boolean().optional(),
    candidates: z.array(candidateInputSchema).min(1).max(LIMITS.candidatesPerPosition),
  })
  .superRefine((p, ctx) => {
    if (p.maxSelections > p.candidates.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxSelections'],
        message: `must be at most the number of candidates (${p.candidates.length})`,
      });
    }
    if (p.winners > p.candidates.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['winners'],
        message: `must be at most the number of candidates (${p.candidates.length})`,
      });
    }
    const names = new Map<string, number>();
    p.candidates.forEach((c, ci) => {
      const key = nameKey(c.name);
      const first = names.get(key);
      if (first === undefined) names.set(key, ci);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['candidates', ci, 'name'],
          message: `the same name as candidate ${first + 1} of this position`,
        });
      }
    });
  });

/**
 * An `accounts` election's allowlist: email addresses and `@domain` entries, normalised
 * (allowlist.ts) and without duplicates. Empty means every signed-in account may vote.
 */
export const allowlistSchema = z
  .array(z.string().max(LIMITS.email + 1))
  .max(LIMITS.allowlist)
  .transform((entries, ctx) => {
    const out = new Set<string>();
    entries.forEach((raw, i) => {
      const entry = parseAllowlistEntry(raw);
      if (entry) out.add(entry.value);
      else {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: 'must be an email address or an email domain such as @school.edu',
        });
      }
    });
    return [...out];
  });

const electionFields = {
  title: requiredText(LIMITS.title),
  description: optionalText(LIMITS.description),
  access: z.enum(accessModes),
  resultsVisibility: z.enum(resultsVisibilities),
  opensAt: isoDate.nullable().optional(),
  closesAt: isoDate.nullable().optional(),
  positions: z.array(positionInputSchema).min(1).max(LIMITS.positions),
  /**
   * Ballots of this election commit in transactions of at least this many (or after the server's
   * longest hold), so the database's logs never pair one voter with one ballot. Default by
   * access: 1 for `open`, 5 otherwise.
   */
  anonymitySet: z.number().int().min(1).max(LIMITS.anonymitySet).optional(),
  /** Only for `access: "accounts"`: who may vote (see allowlistSchema). @default [] */
  allowlist: allowlistSchema.optional(),
};

function checkSchedule(
  e: { opensAt?: string | null | undefined; closesAt?: string | null | undefined },
  ctx: z.RefinementCtx,
): void {
  if (e.opensAt && e.closesAt && Date.parse(e.closesAt) <= Date.parse(e.opensAt)) {
    ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'must be after opensAt' });
  }
}

function checkAllowlist(
  e: { access?: string | undefined; allowlist?: string[] | undefined },
  ctx: z.RefinementCtx,
): void {
  if (e.allowlist?.length && e.access !== undefined && e.access !== 'accounts') {
    ctx.addIssue({
      code: 'custom',
      path: ['allowlist'],
      message: 'an allowlist applies to accounts elections only',
    });
  }
}

export const electionInputSchema = z
  .object(electionFields)
  .strict()
  .superRefine(checkSchedule)
  .superRefine(checkAllowlist);

/** PATCH body: any subset of the creation fields; `positions` replaces the whole list. */
export const electionPatchSchema = z
  .object(electionFields)
  .partial()
  .strict()
  .superRefine(checkSchedule)
  .superRefine(checkAllowlist);

/**
 * What an id (of an election, position or candidate) can look like. Checked on every key of a
 * ballot, so `__proto__` or `constructor` are refused as unknown positions instead of vanishing
 * while the object is copied (a key that is dropped would count a blank ballot).
 */
export const idSchema = z.string().regex(/^[0-9A-Za-z]{1,64}$/, 'not an id');

export const selectionsSchema = z
  .unknown()
  .superRefine((v, ctx) => {
    // zod's record skips a `__proto__` key without a word, so it is looked for here.
    if (typeof v === 'object' && v !== null && Object.hasOwn(v, '__proto__')) {
      ctx.addIssue({
        code: 'custom',
        path: ['__proto__'],
        message: 'no such position in this election',
      });
    }
  })
  .pipe(z.record(idSchema, z.array(z.string().min(1).max(64)).max(LIMITS.candidatesPerPosition)));

export const ballotRequestSchema = z.object({ selections: selectionsSchema }).strict();

export const loginRequestSchema = z
  .object({
    email: z.string().trim().max(LIMITS.email).pipe(z.email()),
    password: z.string().min(1).max(LIMITS.password.max),
  })
  .strict();

export const registerRequestSchema = z
  .object({
    email: z.string().trim().max(LIMITS.email).pipe(z.email()),
    password: z.string().min(LIMITS.password.min).max(LIMITS.password.max),
    name: requiredText(LIMITS.userName),
  })
  .strict();

/** PATCH /api/users/:id: block or unblock, promote or demote (at least one). */
export const userPatchSchema = z
  .object({ blocked: z.boolean().optional(), role: z.enum(['admin', 'voter']).optional() })
  .strict()
  .refine((p) => p.blocked !== undefined || p.role !== undefined, 'give blocked or role');

/** GET /api/users query string: a search in email and name, and the page. */
export const userListQuerySchema = z.object({
  query: z.string().trim().max(LIMITS.userQuery).optional().default(''),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).optional().default(0),
  limit: z.coerce.number().int().min(1).max(LIMITS.usersPage).optional().default(50),
});

const passwordSchema = z.string().min(LIMITS.password.min).max(LIMITS.password.max);

/** POST /api/users/:id/password: the temporary password, or none to have one generated. */
export const temporaryPasswordSchema = z.object({ password: passwordSchema.optional() }).strict();

/** POST /api/auth/password: the caller's own password change. */
export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1).max(LIMITS.password.max),
    newPassword: passwordSchema,
  })
  .strict()
  .refine((p) => p.newPassword !== p.currentPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });

export const idempotencyKeySchema = z.string().min(1).max(LIMITS.idempotencyKey);

export const joinRequestSchema = z.object({ electionId: z.string().min(1).max(64) });

export const ballotCastRequestSchema = z.object({
  electionId: z.string().min(1).max(64),
  selections: selectionsSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});

export const joinCodeSchema = z.string().regex(JOIN_CODE);

/**
 * A voter roll entry as an admin imports it. `ref` is the election's key for a person (a student
 * or member number): printable, no spaces at either end, unique within the election.
 */
export const rollEntryInputSchema = z
  .object({
    ref: z
      .string()
      .transform((s) => s.normalize('NFC').trim())
      .pipe(
        z
          .string()
          .min(1, 'must not be empty')
          .max(LIMITS.rollRef)
          .regex(/^[^\p{Cc}\p{Cs}/\\?#%]+$/u, 'must not contain control characters, / \\ ? # or %'),
      ),
    name: requiredText(LIMITS.rollName),
    email: z
      .string()
      .trim()
      .max(LIMITS.email)
      .pipe(z.email())
      .transform((s) => s.toLowerCase())
      .optional()
      .or(z.literal('').transform(() => undefined))
      .or(z.null().transform(() => undefined)),
  })
  .strict();

export const rollImportSchema = z
  .object({ voters: z.array(rollEntryInputSchema).min(1).max(LIMITS.rollEntriesPerRequest) })
  .strict();

export const rollCodesRequestSchema = z
  .object({
    refs: z.array(z.string().min(1).max(LIMITS.rollRef)).min(1).max(LIMITS.rollRefsPerRequest),
  })
  .partial()
  .strict();

/** A ballot code as a voter types it: spaces, dashes and case do not matter (see roll/codes.ts). */
export const codeExchangeSchema = z.object({ code: z.string().min(1).max(64) }).strict();

export type CandidateInput = z.infer<typeof candidateInputSchema>;
export type PositionInput = z.infer<typeof positionInputSchema>;
export type ElectionInput = z.infer<typeof electionInputSchema>;
export type ElectionPatch = z.infer<typeof electionPatchSchema>;
export type Selections = z.infer<typeof selectionsSchema>;
export type BallotRequest = z.infer<typeof ballotRequestSchema>;
export type LoginRequest = z.infer<typeof loginRequestSchema>;
export type RegisterRequest = z.infer<typeof registerRequestSchema>;
export type UserPatch = z.infer<typeof userPatchSchema>;
export type UserListQuery = z.infer<typeof userListQuerySchema>;
export type TemporaryPasswordRequest = z.infer<typeof temporaryPasswordSchema>;
export type PasswordChangeRequest = z.infer<typeof passwordChangeSchema>;
export type JoinRequest = z.infer<typeof joinRequestSchema>;
export type BallotCastRequest = z.infer<typeof ballotCastRequestSchema>;
export type RollEntryInput = z.infer<typeof rollEntryInputSchema>;
export type RollImportRequest = z.input<typeof rollImportSchema>;
export type RollCodesRequest = z.infer<typeof rollCodesRequestSchema>;
export type CodeExchangeRequest = z.infer<typeof codeExchangeSchema>;
