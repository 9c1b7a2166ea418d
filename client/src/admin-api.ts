// Typed calls for voter rolls, ballot codes, accounts and election housekeeping: the console's
// side of issue 10, and the voter's code exchange. Errors are `ApiError`s as in `api.ts`.
import type {
  Election,
  IssuedCode,
  RollCodesResponse,
  RollEntry,
  RollEntryInput,
  RollListResponse,
  LoginResponse,
  TemporaryPasswordResponse,
  UserAccount,
  UserList,
  UserPatch,
  VoterStanding,
} from '@tallyboard/shared';
import { request } from './api';

const enc = encodeURIComponent;
const election = (id: string) => `/api/elections/${enc(id)}`;

export type RollVoter = RollEntryInput;
export type { IssuedCode, RollEntry };

export interface RollImport {
  added: number;
  /** Refs already on the roll (or twice in the request), not added again. */
  duplicates: string[];
}

/** A duplicate may come as a bare ref or as the refused entry: keep the ref. */
function refsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((d: unknown) =>
    typeof d === 'string'
      ? [d]
      : d && typeof d === 'object' && typeof (d as { ref?: unknown }).ref === 'string'
        ? [(d as { ref: string }).ref]
        : [],
  );
}

export const rollApi = {
  importVoters: async (id: string, voters: RollVoter[]): Promise<RollImport> => {
    const res = await request<{ added: number; duplicates: unknown }>(
      'POST',
      `${election(id)}/roll`,
      { body: { voters } },
    );
    return { added: res.added, duplicates: refsOf(res.duplicates) };
  },
  list: async (id: string): Promise<RollEntry[]> =>
    (await request<RollListResponse>('GET', `${election(id)}/roll`)).entries,
  remove: (id: string, ref: string) =>
    request<unknown>('DELETE', `${election(id)}/roll/${enc(ref)}`),
  /** Codes for every entry without a live one, or new codes for `refs` (the old ones revoked). */
  issueCodes: async (id: string, refs?: string[]): Promise<IssuedCode[]> =>
    (
      await request<RollCodesResponse>('POST', `${election(id)}/roll/codes`, {
        body: refs ? { refs } : {},
      })
    ).codes,
  registerCsvUrl: (id: string) => `${election(id)}/roll/register.csv`,
  /** A ballot code for a voter token scoped to this election and roll entry. */
  exchangeCode: (id: string, code: string) =>
    request<{ voterToken: string }>('POST', `${election(id)}/voters`, { body: { code } }),
};

export const electionAdminApi = {
  duplicate: (id: string) => request<Election>('POST', `${election(id)}/duplicate`),
  unschedule: (id: string) => request<Election>('POST', `${election(id)}/unschedule`),
  /** May the signed-in caller vote here, and if not, why (asked before showing the ballot). */
  myStanding: (id: string) => request<VoterStanding>('GET', `${election(id)}/me`),
};

const user = (id: string) => `/api/users/${enc(id)}`;

export const usersApi = {
  list: (query: string, offset: number, limit: number) =>
    request<UserList>(
      'GET',
      `/api/users?${new URLSearchParams({ query, offset: String(offset), limit: String(limit) })}`,
    ),
  update: (id: string, patch: UserPatch) =>
    request<UserAccount>('PATCH', user(id), { body: patch }),
  /** A generated temporary password, shown once; the account must change it at next sign-in. */
  temporaryPassword: (id: string) =>
    request<TemporaryPasswordResponse>('POST', `${user(id)}/temporary-password`, { body: {} }),
  remove: (id: string) => request<unknown>('DELETE', user(id)),
  /** The caller's own change; the answer carries the fresh session that replaces this one. */
  changePassword: (currentPassword: string, newPassword: string) =>
    request<LoginResponse>('POST', '/api/auth/password', {
      body: { currentPassword, newPassword },
    }),
};
