// The one mapping from a validation issue to what the builder says: the local schema check's zod
// issues (code, minimum, maximum, origin) and the server's 422 issues (path and message, the
// same schema's wording) alike become a sentence in the product's words, naming the field as the
// form labels it. Raw wording and internal names never reach the page; an issue not recognised
// falls back to "Check “<field>”." (or a whole-form note when its field is unknown).
import { LIMITS } from '@tallyboard/shared';
import type { FieldIssue } from '../../../api';
import { t } from '../../../i18n';

/** A server issue, or a local zod issue with its parameters. */
export interface BuilderIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  format?: unknown;
  expected?: unknown;
}

type Path = (string | number)[];

/** `["positions.0.title"]` or `"positions.0.title"` (as the server may send) → `["positions", 0, "title"]`. */
export function normalisePath(path: readonly PropertyKey[]): Path {
  return path.flatMap((p) =>
    typeof p === 'number'
      ? [p]
      : typeof p === 'string'
        ? p
            .split('.')
            .filter((s) => s !== '')
            .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
        : [],
  );
}

/** The issue as the builder keeps it: a clean path, and its message in the product's words. */
export function toFieldIssue(issue: BuilderIssue): FieldIssue {
  return { path: normalisePath(issue.path), message: issueMessage(issue) };
}

type Field =
  | 'title'
  | 'description'
  | 'access'
  | 'resultsVisibility'
  | 'anonymitySet'
  | 'opensAt'
  | 'closesAt'
  | 'positions'
  | 'positionTitle'
  | 'positionDescription'
  | 'maxSelections'
  | 'winners'
  | 'candidates'
  | 'candidateName'
  | 'candidateDescription'
  | 'photoUrl';

/** Which field of the form a path is about, or null when it is none of them. */
function fieldOf(path: Path): Field | null {
  const [a, pi, b, ci, c] = path;
  if (path.length === 1) {
    switch (a) {
      case 'title':
      case 'description':
      case 'access':
      case 'resultsVisibility':
      case 'anonymitySet':
      case 'opensAt':
      case 'closesAt':
      case 'positions':
        return a;
      default:
        return null;
    }
  }
  if (a !== 'positions' || typeof pi !== 'number') return null;
  if (path.length === 3) {
    switch (b) {
      case 'title':
        return 'positionTitle';
      case 'description':
        return 'positionDescription';
      case 'maxSelections':
      case 'winners':
      case 'candidates':
        return b;
      default:
        return null;
    }
  }
  if (path.length === 5 && b === 'candidates' && typeof ci === 'number') {
    if (c === 'name') return 'candidateName';
    if (c === 'description') return 'candidateDescription';
    if (c === 'photoUrl') return 'photoUrl';
  }
  return null;
}

function labelOf(field: Field): string {
  const tb = t.admin.builder;
  switch (field) {
    case 'title':
      return tb.electionTitle;
    case 'description':
    case 'positionDescription':
      return tb.description;
    case 'access':
      return tb.access;
    case 'resultsVisibility':
      return tb.visibility;
    case 'anonymitySet':
      return tb.anonymitySet;
    case 'opensAt':
      return tb.opensAt;
    case 'closesAt':
      return tb.closesAt;
    case 'positions':
      return tb.positions;
    case 'positionTitle':
      return tb.positionTitle;
    case 'maxSelections':
      return tb.maxSelections;
    case 'winners':
      return tb.winners;
    case 'candidates':
      return tb.candidates;
    case 'candidateName':
      return tb.candidateName;
    case 'candidateDescription':
      return tb.candidateDescription;
    case 'photoUrl':
      return tb.photoUrl;
  }
}

const numberOf = (v: unknown): number | null =>
  typeof v === 'number' || typeof v === 'bigint' ? Number(v) : null;

/** A bound from the parameters of a local issue, or read from zod's wording in a server one. */
function bound(issue: BuilderIssue, which: 'minimum' | 'maximum'): number | null {
  const given = numberOf(issue[which]);
  if (given !== null) return given;
  const m = (which === 'minimum' ? /Too small:.*>=?\s*(\d+)/ : /Too big:.*<=?\s*(\d+)/).exec(
    issue.message,
  );
  return m ? Number(m[1]) : null;
}

/** The kind of value an issue is about: number, string (text) or array (a list). */
function originOf(issue: BuilderIssue): string | null {
  if (typeof issue.origin === 'string') return issue.origin;
  const m = /^Too (?:small|big): expected (\w+)/.exec(issue.message);
  return m ? (m[1] ?? null) : null;
}

function kindOf(issue: BuilderIssue): 'small' | 'big' | null {
  if (issue.code === 'too_small' || /^Too small/.test(issue.message)) return 'small';
  if (issue.code === 'too_big' || /^Too big/.test(issue.message)) return 'big';
  return null;
}

export function issueMessage(issue: BuilderIssue): string {
  const ti = t.admin.builder.issues;
  const path = normalisePath(issue.path);
  const field = fieldOf(path);
  if (field === null) return ti.checkForm;
  const label = labelOf(field);
  const message = issue.message;
  const kind = kindOf(issue);
  const origin = originOf(issue);

  // Whole lists: no positions, a position without candidates, too many of either.
  if (field === 'positions' || field === 'candidates') {
    const few = field === 'positions' ? ti.noPositions : ti.noCandidates;
    if (kind === 'small') return few;
    if (kind === 'big') {
      const max =
        bound(issue, 'maximum') ??
        (field === 'positions' ? LIMITS.positions : LIMITS.candidatesPerPosition);
      return field === 'positions' ? ti.tooManyPositions(max) : ti.tooManyCandidates(max);
    }
    return ti.check(label);
  }

  // Text.
  if (message === 'must not be empty' || (kind === 'small' && origin === 'string')) {
    if (field === 'title') return ti.electionTitleRequired;
    if (field === 'positionTitle') return ti.positionTitleRequired;
    if (field === 'candidateName') return ti.candidateNameRequired;
    return ti.required(label);
  }
  if (/visible characters/.test(message)) return ti.visible(label);
  if (/control characters|valid Unicode/.test(message)) return ti.characters(label);
  if (kind === 'big' && origin === 'string') {
    const max = bound(issue, 'maximum');
    return max === null ? ti.check(label) : ti.tooLong(label, max);
  }
  const duplicate = /same name as candidate (\d+)/.exec(message);
  if (duplicate) return ti.duplicateName(Number(duplicate[1]));
  if (/http\(s\) URL/.test(message) || (field === 'photoUrl' && issue.format === 'regex')) {
    return ti.url(label);
  }

  // Schedule.
  if (message === 'must be after opensAt') {
    return ti.closesAfterOpens(labelOf('closesAt'), labelOf('opensAt'));
  }
  if (message === 'must be in the future') return ti.inFuture(label);
  if (/^must be a date between/.test(message)) return ti.dateRange(label);
  if (issue.format === 'datetime' || /datetime/i.test(message)) return ti.date(label);

  // Numbers.
  const candidates = /number of candidates \((\d+)\)/.exec(message);
  if (candidates) return ti.atMostCandidates(label, Number(candidates[1]));
  if (kind === 'small') {
    const min = bound(issue, 'minimum');
    return min === null ? ti.check(label) : ti.atLeast(label, min);
  }
  if (kind === 'big') {
    const max = bound(issue, 'maximum');
    return max === null ? ti.check(label) : ti.atMost(label, max);
  }
  if (
    (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int')) ||
    /expected (number|int)/.test(message)
  ) {
    return ti.wholeNumber(label);
  }
  if (issue.code === 'invalid_value' || /expected one of/.test(message)) return ti.choose(label);
  return ti.check(label);
}
