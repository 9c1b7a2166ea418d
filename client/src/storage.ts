// What a browser remembers between visits: its anonymous voter token, and per election the
// receipt and the Idempotency-Key of its ballot, so a reload never loses a vote. Per tab (session
// storage), the ballot being filled in, so a reload never loses the voter's choices either.
const VOTER_TOKEN = 'tb.voterToken';
const SIGNED_IN = 'tb.signedIn';
const receiptKey = (electionId: string): string => `tb.receipt.${electionId}`;
const idemKey = (electionId: string): string => `tb.idem.${electionId}`;

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode): the app still works for this visit
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    /* storage disabled: nothing to persist */
  }
}

export const voterToken = {
  get: (): string | null => read(VOTER_TOKEN),
  set: (token: string | null): void => write(VOTER_TOKEN, token),
};

/**
 * Whether this browser signed in, as a hint only (the session cookie is httpOnly): pages ask the
 * server who is signed in only when it says so, instead of provoking a 401 on every visit.
 */
export const signedInHint = {
  get: (): boolean => read(SIGNED_IN) === '1',
  set: (on: boolean): void => write(SIGNED_IN, on ? '1' : null),
};

const rollTokenKey = (electionId: string): string => `tb.rollToken.${electionId}`;

/**
 * The voter token a ballot code was exchanged for, per election: the code works once, so a reload
 * (or a tab closed before voting) must not lose what it bought.
 */
export const rollTokens = {
  get: (electionId: string): string | null => read(rollTokenKey(electionId)),
  set: (electionId: string, token: string | null): void => write(rollTokenKey(electionId), token),
};

export interface StoredReceipt {
  receipt: string;
  joinCode: string;
  castAt: string;
  /** The server answered with an earlier ballot's receipt: the first ballot stands. */
  firstStands?: boolean;
}

export const receipts = {
  get(electionId: string): StoredReceipt | null {
    const raw = read(receiptKey(electionId));
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredReceipt>;
      return typeof parsed.receipt === 'string'
        ? {
            receipt: parsed.receipt,
            joinCode: parsed.joinCode ?? '',
            castAt: parsed.castAt ?? '',
            ...(parsed.firstStands === true && { firstStands: true }),
          }
        : null;
    } catch {
      return null;
    }
  },
  set(electionId: string, value: StoredReceipt): void {
    write(receiptKey(electionId), JSON.stringify(value));
  },
};

/** One key per election and browser, reused on every retry so a lost response never double-votes. */
export function idempotencyKeyFor(electionId: string): string {
  const existing = read(idemKey(electionId));
  if (existing) return existing;
  const key = randomId();
  write(idemKey(electionId), key);
  return key;
}

export function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

const draftKey = (electionId: string): string => `tb.draft.${electionId}`;

export interface StoredDraft {
  /** Per position, the chosen candidate ids (see ballot.ts `Draft`); checked again on load. */
  selections: unknown;
  step: 'select' | 'review';
}

/**
 * The ballot in progress, per election, in this tab only (session storage: it ends with the tab
 * and is not left for the next person on a shared computer). Cleared once the ballot is cast.
 */
export const ballotDrafts = {
  get(electionId: string): StoredDraft | null {
    try {
      const raw = window.sessionStorage.getItem(draftKey(electionId));
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<StoredDraft>;
      return {
        selections: parsed.selections,
        step: parsed.step === 'review' ? 'review' : 'select',
      };
    } catch {
      return null;
    }
  },
  set(electionId: string, value: StoredDraft): void {
    try {
      window.sessionStorage.setItem(draftKey(electionId), JSON.stringify(value));
    } catch {
      /* storage disabled or full: the draft lives as long as the page */
    }
  },
  clear(electionId: string): void {
    try {
      window.sessionStorage.removeItem(draftKey(electionId));
    } catch {
      /* nothing stored */
    }
  },
};
