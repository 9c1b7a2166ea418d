// The election builder: general settings, schedule, positions and candidates (add, remove,
// reorder). The shared zod schema checks the form before sending; the server's 422 issues land
// next to the same fields, since both speak zod paths.
import { useRef, useState, type FormEvent } from 'react';
import {
  accessModes,
  electionInputSchema,
  LIMITS,
  resultsVisibilities,
  type AccessMode,
  type Election,
  type ElectionInput,
  type ResultsVisibility,
} from '@tallyboard/shared';
import { api, ApiError, errorText, type FieldIssue } from '../../api';
import { t } from '../../i18n';
import {
  blankCandidate,
  blankPosition,
  formFromElection,
  inputFromForm,
  move,
  type ElectionForm,
} from './form';

const tb = t.admin.builder;

interface Props {
  election?: Election;
  onSaved: (election: Election) => void;
  onCancel: () => void;
}

type Errors = Record<string, string>;

const fieldId = (path: string): string => `f-${path.replace(/\./g, '-')}`;

function issuesToErrors(issues: FieldIssue[]): Errors {
  const out: Errors = {};
  for (const issue of issues) {
    const key = issue.path.join('.') || '_form';
    out[key] ??= issue.message;
  }
  return out;
}

export function ElectionBuilder({ election, onSaved, onCancel }: Props) {
  const [form, setForm] = useState<ElectionForm>(() =>
    election ? formFromElection(election) : { ...emptyForm(), positions: [blankPosition()] },
  );
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  const update = (fn: (f: ElectionForm) => ElectionForm, structural = false) => {
    setForm(fn);
    if (structural) setErrors({});
  };

  function showErrors(next: Errors) {
    setErrors(next);
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
      showErrors(
        issuesToErrors(
          local.error.issues.map((i) => ({
            path: i.path as (string | number)[],
            message: i.message,
          })),
        ),
      );
      return;
    }
    setBusy(true);
    try {
      const saved = election
        ? await api.updateElection(election.id, input as ElectionInput)
        : await api.createElection(input as ElectionInput);
      setErrors({});
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length > 0) showErrors(issuesToErrors(err.issues));
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
          <div className="field">
            <label htmlFor={fieldId('access')}>{tb.access}</label>
            <select
              id={fieldId('access')}
              value={form.access}
              onChange={(e) => update((f) => ({ ...f, access: e.target.value as AccessMode }))}
            >
              {accessModes.map((m) => (
                <option key={m} value={m}>
                  {t.access[m]}
                </option>
              ))}
            </select>
            <FieldError path="access" errors={errors} />
          </div>
          <div className="field">
            <label htmlFor={fieldId('resultsVisibility')}>{tb.visibility}</label>
            <select
              id={fieldId('resultsVisibility')}
              value={form.resultsVisibility}
              onChange={(e) =>
                update((f) => ({ ...f, resultsVisibility: e.target.value as ResultsVisibility }))
              }
            >
              {resultsVisibilities.map((v) => (
                <option key={v} value={v}>
                  {t.visibility[v]}
                </option>
              ))}
            </select>
            <FieldError path="resultsVisibility" errors={errors} />
          </div>
          <div className="field">
            <label htmlFor={fieldId('anonymitySet')}>{tb.anonymitySet}</label>
            <input
              id={fieldId('anonymitySet')}
              type="number"
              min={1}
              max={LIMITS.anonymitySet}
              inputMode="numeric"
              value={form.anonymitySet}
              aria-describedby={fieldId('anonymitySet-hint')}
              onChange={(e) => update((f) => ({ ...f, anonymitySet: e.target.value }))}
            />
            <p className="hint" id={fieldId('anonymitySet-hint')}>
              {tb.anonymitySetHint}
            </p>
            <FieldError path="anonymitySet" errors={errors} />
          </div>
        </div>
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
      <FieldError path="positions" errors={errors} />
      <ol className="builder-positions">
        {form.positions.map((p, pi) => {
          const pPath = `positions.${pi}`;
          const pName = p.title.trim() || tb.position(pi + 1);
          const setPos = (fn: (pos: typeof p) => typeof p, structural = false) =>
            update(
              (f) => ({ ...f, positions: f.positions.map((x, i) => (i === pi ? fn(x) : x)) }),
              structural,
            );
          return (
            <li key={p.key} className="card builder-position" data-testid="builder-position">
              <div className="row-head">
                <h4>{tb.position(pi + 1)}</h4>
                <ReorderButtons
                  what={pName}
                  index={pi}
                  length={form.positions.length}
                  onMove={(d) =>
                    update((f) => ({ ...f, positions: move(f.positions, pi, d) }), true)
                  }
                  onRemove={() =>
                    update(
                      (f) => ({ ...f, positions: f.positions.filter((_, i) => i !== pi) }),
                      true,
                    )
                  }
                />
              </div>
              <TextField
                label={tb.positionTitle}
                path={`${pPath}.title`}
                value={p.title}
                errors={errors}
                required
                onChange={(v) => setPos((x) => ({ ...x, title: v }))}
              />
              <div className="grid-2">
                <TextField
                  label={tb.maxSelections}
                  path={`${pPath}.maxSelections`}
                  type="number"
                  value={p.maxSelections}
                  errors={errors}
                  onChange={(v) => setPos((x) => ({ ...x, maxSelections: v }))}
                />
                <TextField
                  label={tb.winners}
                  path={`${pPath}.winners`}
                  type="number"
                  value={p.winners}
                  errors={errors}
                  onChange={(v) => setPos((x) => ({ ...x, winners: v }))}
                />
              </div>
              <h5>{tb.candidates}</h5>
              <FieldError path={`${pPath}.candidates`} errors={errors} />
              <ol className="builder-candidates">
                {p.candidates.map((c, ci) => {
                  const cPath = `${pPath}.candidates.${ci}`;
                  const cName = c.name.trim() || tb.candidate(ci + 1);
                  const setCand = (fn: (cand: typeof c) => typeof c) =>
                    setPos((x) => ({
                      ...x,
                      candidates: x.candidates.map((y, j) => (j === ci ? fn(y) : y)),
                    }));
                  return (
                    <li key={c.key} className="builder-candidate" data-testid="builder-candidate">
                      <div className="row-head">
                        <span className="muted">{tb.candidate(ci + 1)}</span>
                        <ReorderButtons
                          what={cName}
                          index={ci}
                          length={p.candidates.length}
                          onMove={(d) =>
                            setPos((x) => ({ ...x, candidates: move(x.candidates, ci, d) }), true)
                          }
                          onRemove={() =>
                            setPos(
                              (x) => ({
                                ...x,
                                candidates: x.candidates.filter((_, j) => j !== ci),
                              }),
                              true,
                            )
                          }
                        />
                      </div>
                      <div className="grid-2">
                        <TextField
                          label={tb.candidateName}
                          path={`${cPath}.name`}
                          value={c.name}
                          errors={errors}
                          required
                          onChange={(v) => setCand((y) => ({ ...y, name: v }))}
                        />
                        <TextField
                          label={tb.photoUrl}
                          path={`${cPath}.photoUrl`}
                          type="url"
                          value={c.photoUrl}
                          errors={errors}
                          onChange={(v) => setCand((y) => ({ ...y, photoUrl: v }))}
                        />
                      </div>
                      <TextField
                        label={tb.candidateDescription}
                        path={`${cPath}.description`}
                        value={c.description}
                        errors={errors}
                        onChange={(v) => setCand((y) => ({ ...y, description: v }))}
                      />
                    </li>
                  );
                })}
              </ol>
              <button
                type="button"
                className="btn btn-secondary"
                onClick={() =>
                  setPos((x) => ({ ...x, candidates: [...x.candidates, blankCandidate()] }), true)
                }
              >
                + {tb.addCandidate}
              </button>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() =>
          update((f) => ({ ...f, positions: [...f.positions, blankPosition()] }), true)
        }
      >
        + {tb.addPosition}
      </button>

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
    positions: [],
  };
}

function FieldError({ path, errors }: { path: string; errors: Errors }) {
  const message = errors[path];
  if (!message) return null;
  return (
    <p id={`${fieldId(path)}-error`} className="field-error" data-testid="field-error">
      {message}
    </p>
  );
}

interface TextFieldProps {
  label: string;
  path: string;
  value: string;
  errors: Errors;
  onChange: (value: string) => void;
  type?: 'text' | 'number' | 'url' | 'datetime-local';
  multiline?: boolean;
  required?: boolean;
}

function TextField({
  label,
  path,
  value,
  errors,
  onChange,
  type = 'text',
  multiline,
  required,
}: TextFieldProps) {
  const id = fieldId(path);
  const invalid = !!errors[path];
  const common = {
    id,
    value,
    required,
    'aria-invalid': invalid || undefined,
    'aria-describedby': invalid ? `${id}-error` : undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={type}
          min={type === 'number' ? 1 : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      <FieldError path={path} errors={errors} />
    </div>
  );
}

function ReorderButtons({
  what,
  index,
  length,
  onMove,
  onRemove,
}: {
  what: string;
  index: number;
  length: number;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <div className="reorder">
      <button
        type="button"
        className="icon-btn"
        onClick={() => onMove(-1)}
        disabled={index === 0}
        aria-label={tb.moveUpWhat(what)}
        title={tb.moveUp}
      >
        ↑
      </button>
      <button
        type="button"
        className="icon-btn"
        onClick={() => onMove(1)}
        disabled={index === length - 1}
        aria-label={tb.moveDownWhat(what)}
        title={tb.moveDown}
      >
        ↓
      </button>
      <button
        type="button"
        className="icon-btn danger"
        onClick={onRemove}
        disabled={length === 1}
        aria-label={tb.removeWhat(what)}
        title={tb.remove}
      >
        ✕
      </button>
    </div>
  );
}
