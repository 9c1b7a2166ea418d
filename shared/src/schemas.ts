// Request schemas: the one definition of valid input, used by the server to validate and by the
// client to check a form before sending it.
import { z } from 'zod';

// In a browser, zod's compiled fast path for objects is off: zod probes for it with
// `new Function('')` while building the schemas below, which the pages' Content-Security-Policy
// (no 'unsafe-eval', deploy/nginx/nginx.conf.template) refuses and reports as a violation. It has
// to be set before the first schema is built, hence here. The server keeps the fast path.
if (typeof (globalThis as { document?: unknown }).document !== 'undefined') {
  z.config({ jitless: true });
}

export const LIMITS = {
  title: 200,
  description: 2000,
  candidateName: 120,
  url: 500,
  positions: 50,
  candidatesPerPosition: 100,
  email: 254,
  password: { min: 8, max: 200 },
  userName: 120,
  idempotencyKey: 200,
} as const;

export const accessModes = ['open', 'accounts'] as const;
export const resultsVisibilities = ['live', 'after_close', 'admin_only'] as const;
export const electionStatuses = ['draft', 'scheduled', 'open', 'closed'] as const;

const trimmed = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const isoDate = z.iso.datetime({ offset: true });

export const candidateInputSchema = z.object({
  name: trimmed(LIMITS.candidateName),
  description: optionalText(LIMITS.description),
  photoUrl: z
    .string()
    .trim()
    .max(LIMITS.url)
    .regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export const positionInputSchema = z
  .object({
    title: trimmed(LIMITS.title),
    description: optionalText(LIMITS.description),
    maxSelections: z.number().int().min(1),
    winners: z.number().int().min(1),
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
  });

const electionFields = {
  title: trimmed(LIMITS.title),
  description: optionalText(LIMITS.description),
  access: z.enum(accessModes),
  resultsVisibility: z.enum(resultsVisibilities),
  opensAt: isoDate.nullable().optional(),
  closesAt: isoDate.nullable().optional(),
  positions: z.array(positionInputSchema).min(1).max(LIMITS.positions),
};

function checkSchedule(
  e: { opensAt?: string | null | undefined; closesAt?: string | null | undefined },
  ctx: z.RefinementCtx,
): void {
  if (e.opensAt && e.closesAt && Date.parse(e.closesAt) <= Date.parse(e.opensAt)) {
    ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'must be after opensAt' });
  }
}

export const electionInputSchema = z.object(electionFields).strict().superRefine(checkSchedule);

/** PATCH body: any subset of the creation fields; `positions` replaces the whole list. */
export const electionPatchSchema = z
  .object(electionFields)
  .partial()
  .strict()
  .superRefine(checkSchedule);

export const selectionsSchema = z.record(
  z.string().min(1).max(64),
  z.array(z.string().min(1).max(64)).max(LIMITS.candidatesPerPosition),
);

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
    name: trimmed(LIMITS.userName),
  })
  .strict();

export const userPatchSchema = z.object({ blocked: z.boolean() }).strict();

export const idempotencyKeySchema = z.string().min(1).max(LIMITS.idempotencyKey);

export const joinRequestSchema = z.object({ electionId: z.string().min(1).max(64) });

export const ballotCastRequestSchema = z.object({
  electionId: z.string().min(1).max(64),
  selections: selectionsSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});

export const joinCodeSchema = z.string().regex(/^[A-Za-z0-9]{4,12}$/);

export type CandidateInput = z.infer<typeof candidateInputSchema>;
export type PositionInput = z.infer<typeof positionInputSchema>;
export type ElectionInput = z.infer<typeof electionInputSchema>;
export type ElectionPatch = z.infer<typeof electionPatchSchema>;
export type Selections = z.infer<typeof selectionsSchema>;
export type BallotRequest = z.infer<typeof ballotRequestSchema>;
export type LoginRequest = z.infer<typeof loginRequestSchema>;
export type RegisterRequest = z.infer<typeof registerRequestSchema>;
export type UserPatch = z.infer<typeof userPatchSchema>;
export type JoinRequest = z.infer<typeof joinRequestSchema>;
export type BallotCastRequest = z.infer<typeof ballotCastRequestSchema>;
