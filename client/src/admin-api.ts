// Typed calls for voter rolls, ballot codes, accounts and election housekeeping: the console's
// side of issue 10, and the voter's code exchange. Errors are `ApiError`s as in `api.ts`.
import type {
  Election,
  IssuedCode,
  RollCodesResponse,
  RollEntry,
  RollEntryInput,
  RollListResponse,
  UserAccount,
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

export interface UserPage {
  users: UserAccount[];
  total: number;
}

/** What the signed-in caller may do in an `accounts` (or roll) election, asked before the ballot. */
export interface MyStanding {
  eligible: boolean;
  voted: boolean;
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
  myStanding: (id: string) => request<MyStanding>('GET', `${election(id)}/me`),
};

const user = (id: string) => `/api/users/${enc(id)}`;

export const usersApi = {
  list: (query: string, offset: number, limit: number) =>
    request<UserPage>(
      'GET',
      `/api/users?${new URLSearchParams({ query, offset: String(offset), limit: String(limit) })}`,
    ),
  block: (id: string) => request<UserAccount>('POST', `${user(id)}/block`),
  unblock: (id: string) => request<UserAccount>('POST', `${user(id)}/unblock`),
  promote: (id: string) => request<UserAccount>('POST', `${user(id)}/promote`),
  demote: (id: string) => request<UserAccount>('POST', `${user(id)}/demote`),
  temporaryPassword: (id: string) =>
    request<{ temporaryPassword: string }>('POST', `${user(id)}/temporary-password`),
  remove: (id: string) => request<unknown>('DELETE', user(id)),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<unknown>('POST', '/api/auth/password', { body: { currentPassword, newPassword } }),
};
