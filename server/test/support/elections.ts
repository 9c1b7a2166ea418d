// Elections for integration tests, browser tests and benchmarks, made through the API as an
// admin would: sign in, create one from a compact spec, then open, schedule or close it.
import { randomUUID } from 'node:crypto';
import type {
  AccessMode,
  Election,
  ElectionInput,
  PositionInput,
  ResultsVisibility,
} from '@tallyboard/shared';
import { requestJson } from './http';

export interface AdminSession {
  baseUrl: string;
  token: string;
}

/** Signs in with the stack's admin login (a `TestStack`, or a benchmark's target). */
export async function signInAdmin({
  baseUrl,
  admin,
}: {
  baseUrl: string;
  admin: { email: string; password: string };
}): Promise<AdminSession> {
  const { token } = await requestJson<{ token: string }>(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify(admin),
  });
  return { baseUrl, token };
}

export interface ElectionSpec {
  /** @default `test <8 random hex digits>` */
  title?: string;
  /** @default 'open' */
  access?: AccessMode;
  /** @default 'live' */
  resultsVisibility?: ResultsVisibility;
  /**
   * The candidates of the one seat, 'Chair': their names, or how many to call A, B, C…
   * @default ['Ada', 'Grace', 'Edsger']
   */
  candidates?: string[] | number;
  /** Positions of its own instead of the one chair (`candidates` is then not used). */
  positions?: PositionInput[];
  opensAt?: string | null;
  closesAt?: string | null;
}

/** The API's election input for a spec. */
export function electionInput(spec: ElectionSpec = {}): ElectionInput {
  const { title, access, resultsVisibility, candidates, positions, ...schedule } = spec;
  const names =
    typeof candidates === 'number'
      ? Array.from({ length: candidates }, (_, i) => String.fromCharCode(65 + i))
      : (candidates ?? ['Ada', 'Grace', 'Edsger']);
  return {
    title: title ?? `test ${randomUUID().slice(0, 8)}`,
    access: access ?? 'open',
    resultsVisibility: resultsVisibility ?? 'live',
    positions: positions ?? [
      { title: 'Chair', maxSelections: 1, winners: 1, candidates: names.map((name) => ({ name })) },
    ],
    ...schedule,
  };
}

/** A draft election made from `spec`. */
export function createElection(admin: AdminSession, spec: ElectionSpec = {}): Promise<Election> {
  return requestJson<Election>(`${admin.baseUrl}/api/elections`, {
    method: 'POST',
    token: admin.token,
    body: JSON.stringify(electionInput(spec)),
  });
}

function lifecycle(step: 'open' | 'schedule' | 'close') {
  return (admin: AdminSession, electionId: string): Promise<Election> =>
    requestJson<Election>(`${admin.baseUrl}/api/elections/${electionId}/${step}`, {
      method: 'POST',
      token: admin.token,
    });
}

export const openElection = lifecycle('open');
export const scheduleElection = lifecycle('schedule');
export const closeElection = lifecycle('close');

/** An election made from `spec` and opened at once: the common start of a voting test. */
export async function openNewElection(
  admin: AdminSession,
  spec: ElectionSpec = {},
): Promise<Election> {
  const created = await createElection(admin, spec);
  return openElection(admin, created.id);
}
