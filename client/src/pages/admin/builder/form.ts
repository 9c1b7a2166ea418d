// The builder's form model: strings as typed, stable keys for React lists, and the mapping to and
// from the API's election input.
import {
  parseAllowlistEntry,
  type AccessMode,
  type Election,
  type ElectionInput,
  type ResultsVisibility,
} from '@tallyboard/shared';
import { randomId } from '../../../storage';

export interface CandidateForm {
  key: string;
  name: string;
  description: string;
  photoUrl: string;
}

export interface PositionForm {
  key: string;
  title: string;
  maxSelections: string;
  winners: string;
  allowAbstain: boolean;
  candidates: CandidateForm[];
}

export interface ElectionForm {
  title: string;
  description: string;
  access: AccessMode;
  resultsVisibility: ResultsVisibility;
  /** As typed; empty means the server's default for the access mode. */
  anonymitySet: string;
  /** `datetime-local` values, in the admin's time zone. */
  opensAt: string;
  closesAt: string;
  /** `accounts` only: emails and `@domains`, one per line, as typed. */
  allowlist: string;
  positions: PositionForm[];
}

export const blankCandidate = (): CandidateForm => ({
  key: randomId(),
  name: '',
  description: '',
  photoUrl: '',
});

export const blankPosition = (): PositionForm => ({
  key: randomId(),
  title: '',
  maxSelections: '1',
  winners: '1',
  allowAbstain: false,
  candidates: [blankCandidate(), blankCandidate()],
});

export function move<T>(list: T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/** ISO instant → `YYYY-MM-DDTHH:mm` in local time, for a datetime-local input. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

const optional = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

function toInt(s: string): number {
  const n = Number(s);
  return s.trim() === '' ? Number.NaN : n;
}

/** The allowlist's entries: one per line (commas and semicolons also separate), blanks dropped. */
export function allowlistLines(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Entries that are neither an email address nor `@domain`, as the server would refuse them. */
export function badAllowlistEntries(text: string): string[] {
  return allowlistLines(text).filter((s) => parseAllowlistEntry(s) === null);
}

export function inputFromForm(form: ElectionForm): ElectionInput {
  return {
    title: form.title,
    description: optional(form.description),
    access: form.access,
    resultsVisibility: form.resultsVisibility,
    ...(form.anonymitySet.trim() === '' ? {} : { anonymitySet: toInt(form.anonymitySet) }),
    opensAt: fromLocalInput(form.opensAt),
    closesAt: fromLocalInput(form.closesAt),
    // Leaving `accounts` clears the list: the server refuses an allowlist on other modes.
    allowlist: form.access === 'accounts' ? allowlistLines(form.allowlist) : [],
    positions: form.positions.map((p) => ({
      title: p.title,
      maxSelections: toInt(p.maxSelections),
      winners: toInt(p.winners),
      allowAbstain: p.allowAbstain,
      candidates: p.candidates.map((c) => ({
        name: c.name,
        description: optional(c.description),
        photoUrl: optional(c.photoUrl),
      })),
    })),
  };
}

export function formFromElection(e: Election): ElectionForm {
  return {
    title: e.title,
    description: e.description ?? '',
    access: e.access,
    resultsVisibility: e.resultsVisibility,
    anonymitySet: String(e.anonymitySet),
    opensAt: toLocalInput(e.opensAt),
    closesAt: toLocalInput(e.closesAt),
    allowlist: (e.allowlist ?? []).join('\n'),
    positions: e.positions.map((p) => ({
      key: p.id,
      title: p.title,
      maxSelections: String(p.maxSelections),
      winners: String(p.winners),
      allowAbstain: p.allowAbstain ?? false,
      candidates: p.candidates.map((c) => ({
        key: c.id,
        name: c.name,
        description: c.description ?? '',
        photoUrl: c.photoUrl ?? '',
      })),
    })),
  };
}
