// The election builder: general settings, schedule, positions and candidates (add, remove,
// reorder). The shared zod schema checks the form before sending; the server's 422 issues land
// next to the same fields, since both speak zod paths, and both are said in the product's words
// by `issueMessage` (messages.ts).
import { useRef, useState, type FormEvent } from 'react';
import {
  accessModes,
  electionInputSchema,
  resultsVisibilities,
  type Election,
  type ElectionInput,
} from '@tallyboard/shared';
import { api, ApiError, errorText } from '../../../api';
import { t } from '../../../i18n';
import {
  fieldId,
  issuesToErrors,
  ListError,
  SelectField,
  TextField,
  type Errors,
} from './BuilderFields';
import {
  badAllowlistEntries,
  blankPosition,
  formFromElection,
  inputFromForm,
  type ElectionForm,
} from './form';
import { ListEditor } from './ListEditor';
import { toFieldIssue, type BuilderIssue } from './messages';
import { PositionFields } from './PositionFields';

const tb = t.admin.builder;

interface Props {
  election?: Election;
  onSaved: (election: Election) => void;
  onCancel: () => void;
}

export function ElectionBuilder({ election, onSaved, onCancel }: Props) {
  const [form, setForm] = useState<ElectionForm>(() =>
    election ? formFromElection(election) : { ...emptyForm(), positions: [blankPosition()] },
  );
  // The issues as found, said anew at each render so that they follow a change of language.
  const [issues, setIssues] = useState<BuilderIssue[]>([]);
  const errors: Errors = issuesToErrors(issues.map(toFieldIssue));
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const update = (fn: (f: ElectionForm) => ElectionForm, structural = false) => {
    setForm(fn);
    if (structural) setIssues([]);
  };

  function showErrors(found: BuilderIssue[]) {
    setIssues(found);
    const next = issuesToErrors(found.map(toFieldIssue));
    requestAnimationFrame(() => {
      const first = Object.keys(next).find((k) => k !== '_form');
      const el = first ? document.getElementById(fieldId(first)) : null;
      if (el) el.focus();
      else summaryRef.current?.focus();
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const input = inputFromForm(form);
    const local = electionInputSchema.safeParse(input);
    if (!local.success) {
      showErrors(local.error.issues);
      return;
    }
    setBusy(true);
    try {
      const saved = election
        ? await api.updateElection(election.id, input as ElectionInput)
        : await api.createElection(input as ElectionInput);
      setIssues([]);
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length > 0) showErrors(err.issues);
      else if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.message) {
        setFormError(err.message);
      } else setFormError(errorText(err, t.errors));
    } finally {
      setBusy(false);
    }
  }

  const errorCount = Object.keys(errors).length;

  return (
    <form className="builder" onSubmit={submit} noValidate aria-labelledby="builder-title">
      <h2 id="builder-title">{election ? tb.editTitle : tb.createTitle}</h2>
      <div ref={summaryRef} tabIndex={-1} aria-live="assertive">
        {(errorCount > 0 || formError) && (
          <div className="notice notice-error" role="alert">
            {errorCount > 0 && <p>{tb.fixErrors(errorCount)}</p>}
            {errors._form && <p>{errors._form}</p>}
            {formError && <p>{formError}</p>}
          </div>
        )}
      </div>

      <fieldset className="card">
        <legend>{tb.general}</legend>
        <TextField
          label={tb.electionTitle}
          path="title"
          value={form.title}
          errors={errors}
          required
          onChange={(v) => update((f) => ({ ...f, title: v }))}
        />
        <TextField
          label={tb.description}
          path="description"
          value={form.description}
          errors={errors}
          multiline
          onChange={(v) => update((f) => ({ ...f, description: v }))}
        />
        <div className="grid-2">
          <SelectField
            label={tb.access}
            path="access"
            value={form.access}
            options={accessModes}
            optionLabel={(m) => t.access[m]}
            errors={errors}
            onChange={(v) => update((f) => ({ ...f, access: v }))}
          />
          <SelectField
            label={tb.visibility}
            path="resultsVisibility"
            value={form.resultsVisibility}
            options={resultsVisibilities}
            optionLabel={(v) => t.visibility[v]}
            errors={errors}
            onChange={(v) => update((f) => ({ ...f, resultsVisibility: v }))}
          />
        </div>
        {form.access === 'accounts' && (
          <TextField
            label={tb.allowlist}
            path="allowlist"
            value={form.allowlist}
            multiline
            hint={
              badAllowlistEntries(form.allowlist).length > 0
                ? `${tb.allowlistHint} ${tb.allowlistBad(badAllowlistEntries(form.allowlist))}`
                : tb.allowlistHint
            }
            errors={errors}
            onChange={(v) => update((f) => ({ ...f, allowlist: v }))}
          />
        )}
        {form.access === 'roll' && <p className="hint">{tb.rollHint}</p>}
        <TextField
          label={tb.anonymitySet}
          path="anonymitySet"
          type="number"
          value={form.anonymitySet}
          hint={tb.anonymitySetHint}
          errors={errors}
          onChange={(v) => update((f) => ({ ...f, anonymitySet: v }))}
        />
      </fieldset>

      <fieldset className="card">
        <legend>{tb.schedule}</legend>
        <p className="hint">{tb.scheduleHint}</p>
        <div className="grid-2">
          <TextField
            label={tb.opensAt}
            path="opensAt"
            type="datetime-local"
            value={form.opensAt}
            errors={errors}
            onChange={(v) => update((f) => ({ ...f, opensAt: v }))}
          />
          <TextField
            label={tb.closesAt}
            path="closesAt"
            type="datetime-local"
            value={form.closesAt}
            errors={errors}
            onChange={(v) => update((f) => ({ ...f, closesAt: v }))}
          />
        </div>
      </fieldset>

      <h3>{tb.positions}</h3>
      <ListError path="positions" errors={errors} />
      <ListEditor
        items={form.positions}
        onReshape={(reshape) => update((f) => ({ ...f, positions: reshape(f.positions) }), true)}
        blank={blankPosition}
        addLabel={tb.addPosition}
        heading={(pi) => <h4>{tb.position(pi + 1)}</h4>}
        nameOf={(p, pi) => p.title.trim() || tb.position(pi + 1)}
        listClassName="builder-positions"
        itemClassName="card builder-position"
        itemTestId="builder-position"
      >
        {(p, pi) => (
          <PositionFields
            position={p}
            path={`positions.${pi}`}
            errors={errors}
            onChange={(change, reshaped) =>
              update(
                (f) => ({
                  ...f,
                  positions: f.positions.map((x, i) => (i === pi ? change(x) : x)),
                }),
                reshaped,
              )
            }
          />
        )}
      </ListEditor>

      <div className="actions sticky-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel} disabled={busy}>
          {tb.cancel}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? tb.saving : tb.save}
        </button>
      </div>
    </form>
  );
}

function emptyForm(): ElectionForm {
  return {
    title: '',
    description: '',
    access: 'open',
    resultsVisibility: 'live',
    anonymitySet: '',
    opensAt: '',
    closesAt: '',
    allowlist: '',
    positions: [],
  };
}
