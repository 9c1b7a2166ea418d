// The limits and markers both sides agree on, kept apart from the zod schemas that use them so a
// voter's page can read them without loading zod (the client bundles only the modules it uses).
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
  /** Most ballots an election may require per committed transaction (BALLOT_BATCH_MAX ≥ this). */
  anonymitySet: 100,
  /** Entries (emails or `@domains`) on one election's allowlist. */
  allowlist: 10_000,
  /** Accounts per page of the admin's account list. */
  usersPage: 200,
  /** Characters of an account search. */
  userQuery: 200,
  /** A voter roll entry: its reference (student or member number) and name. */
  rollRef: 64,
  rollName: 200,
  /** Entries one `POST /api/elections/:id/roll` may carry (its body may be up to 8 MB). */
  rollEntriesPerRequest: 50_000,
  /** Refs one `POST /api/elections/:id/roll/codes` may list. */
  rollRefsPerRequest: 50_000,
} as const;

/**
 * What a ballot sends for a position to abstain explicitly (`{[positionId]: [ABSTAIN]}`), when
 * the position allows it. Ids are 20 base32 symbols, so this can never be a candidate's id.
 */
export const ABSTAIN = 'abstain';

/** A join code as typed: 4 to 12 letters and digits (`joinCodeSchema`). */
export const JOIN_CODE = /^[A-Za-z0-9]{4,12}$/;
