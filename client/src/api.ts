// Typed calls to the REST API. Every failure becomes an `ApiError` carrying the server's error
// code, so pages act on `err.code` instead of parsing bodies or statuses.
import type {
  ApiErrorBody,
  AuditReport,
  BallotReceipt,
  Election,
  ElectionInput,
  ElectionLobby,
  ElectionPatch,
  ElectionSummary,
  ErrorCode,
  LoginResponse,
  ReceiptCheck,
  Results,
  Selections,
  User,
  VoterTokenResponse,
} from '@tallyboard/shared';
import { signedInHint, voterToken } from './storage';

export type ClientErrorCode = ErrorCode | 'network';

/** One zod issue as the server sends it in a 422's details. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field issues of a validation error, whatever wrapper the server put around them. */
  get issues(): FieldIssue[] {
    return fieldIssues(this.details);
  }
}

export function fieldIssues(details: unknown): FieldIssue[] {
  const list = Array.isArray(details)
    ? details
    : details && typeof details === 'object' && 'issues' in details
      ? (details as { issues: unknown }).issues
      : [];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (!item || typeof item !== 'object') return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    // The server's zod errors send the path joined ("positions.0.title"): split it back.
    const parts: unknown[] | null =
      typeof path === 'string' ? path.split('.') : Array.isArray(path) ? path : null;
    if (!parts) return [];
    const clean = parts.flatMap((p) =>
      typeof p === 'number'
        ? [p]
        : typeof p === 'string' && p !== ''
          ? [/^\d+$/.test(p) ? Number(p) : p]
          : [],
    );
    return [{ path: clean, message }];
  });
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return (
    !!body &&
    typeof body === 'object' &&
    'error' in body &&
    !!(body as ApiErrorBody).error &&
    typeof (body as ApiErrorBody).error.code === 'string'
  );
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send this browser's anonymous voter token as the bearer (open elections). */
  asVoter?: boolean;
  /** Send this token as the bearer: a roll voter's token, scoped to one election. */
  bearer?: string;
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.asVoter) headers.Authorization = `Bearer ${await ensureVoterToken()}`;
  else if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
}

export async function request<T>(
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<T> {
  let res = await send(method, path, opts);
  if (res.status === 401 && opts.asVoter) {
    // The stored token was issued under another secret or expired: get a fresh one, once.
    voterToken.set(null);
    res = await send(method, path, opts);
  }
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!res.ok) {
    const retry = Number(res.headers.get('Retry-After'));
    if (isErrorBody(body)) {
      const { code, message, details } = body.error;
      throw new ApiError(res.status, code, message, details, retry || undefined);
    }
    throw new ApiError(res.status, statusCode(res.status), res.statusText || 'error');
  }
  return body as T;
}

function statusCode(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 422) return 'invalid';
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 502 || status === 504) return 'unavailable';
  return status >= 500 ? 'internal' : 'bad_request';
}

let pendingToken: Promise<string> | null = null;

/** This browser's anonymous voter token, asked for once and kept in localStorage. */
export function ensureVoterToken(): Promise<string> {
  const stored = voterToken.get();
  if (stored) return Promise.resolve(stored);
  pendingToken ??= request<VoterTokenResponse>('POST', '/api/voters')
    .then((r) => {
      voterToken.set(r.voterToken);
      return r.voterToken;
    })
    .finally(() => {
      pendingToken = null;
    });
  return pendingToken;
}

const enc = encodeURIComponent;

export const api = {
  login: async (email: string, password: string) => {
    const res = await request<LoginResponse>('POST', '/api/auth/login', {
      body: { email, password },
    });
    signedInHint.set(true);
    return res;
  },
  register: (email: string, password: string, name: string) =>
    request<LoginResponse | { user: User }>('POST', '/api/auth/register', {
      body: { email, password, name },
    }),
  logout: () => {
    signedInHint.set(false);
    return request<unknown>('POST', '/api/auth/logout');
  },
  /** The signed-in account; an anonymous voter token is not an account. */
  me: async (): Promise<User> => {
    if (!signedInHint.get()) throw new ApiError(401, 'unauthorized', 'not signed in');
    const body = await request<{ user: User | null }>('GET', '/api/auth/me');
    if (!body.user) throw new ApiError(401, 'unauthorized', 'not signed in');
    return body.user;
  },
  /** Like `me`, but forgets the sign-in hint when the session is gone. */
  currentUser: async (): Promise<User | null> => {
    try {
      return await api.me();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        signedInHint.set(false);
        return null;
      }
      throw err;
    }
  },

  /** The server answers list endpoints with a bare JSON array. */
  listElections: () => request<ElectionSummary[]>('GET', '/api/elections'),
  getElection: (id: string) => request<Election>('GET', `/api/elections/${enc(id)}`),
  getElectionLobby: (code: string) =>
    request<ElectionLobby>('GET', `/api/elections/by-code/${enc(code)}/lobby`),
  /** `bearer`: a roll voter's token, where a ballot code let this browser in. */
  getElectionByCode: (code: string, bearer?: string) =>
    request<Election>('GET', `/api/elections/by-code/${enc(code)}`, bearer ? { bearer } : {}),
  createElection: (input: ElectionInput) =>
    request<Election>('POST', '/api/elections', { body: input }),
  updateElection: (id: string, patch: ElectionPatch) =>
    request<Election>('PATCH', `/api/elections/${enc(id)}`, { body: patch }),
  openElection: (id: string) => request<Election>('POST', `/api/elections/${enc(id)}/open`),
  scheduleElection: (id: string) => request<Election>('POST', `/api/elections/${enc(id)}/schedule`),
  closeElection: (id: string) => request<Election>('POST', `/api/elections/${enc(id)}/close`),
  deleteElection: (id: string) => request<unknown>('DELETE', `/api/elections/${enc(id)}`),

  /** `voter`: this browser's anonymous token (open), a roll token, or none (the session). */
  castBallot: (
    electionId: string,
    selections: Selections,
    idempotencyKey: string,
    voter: 'anonymous' | { token: string } | null,
  ) =>
    request<BallotReceipt>('POST', `/api/elections/${enc(electionId)}/ballots`, {
      body: { selections },
      headers: { 'Idempotency-Key': idempotencyKey },
      asVoter: voter === 'anonymous',
      ...(voter && voter !== 'anonymous' && { bearer: voter.token }),
    }),
  results: (electionId: string) =>
    request<Results>('GET', `/api/elections/${enc(electionId)}/results`),
  checkReceipt: (electionId: string, receipt: string) =>
    request<ReceiptCheck>('GET', `/api/elections/${enc(electionId)}/receipts/${enc(receipt)}`),
  audit: (electionId: string) =>
    request<AuditReport>('GET', `/api/elections/${enc(electionId)}/audit`),
  exportCsvUrl: (electionId: string) => `/api/elections/${enc(electionId)}/export.csv`,
  exportJsonUrl: (electionId: string) => `/api/elections/${enc(electionId)}/export.json`,
};

/** Text to show for an error from the API or the socket. */
export function errorText(
  err: unknown,
  messages: { network: string; generic: string; byCode: Record<ErrorCode, string> },
): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return messages.network;
    return messages.byCode[err.code] ?? messages.generic;
  }
  return messages.generic;
}
