// The ballot: "select up to N" with a live counter, radio behaviour for N = 1, an explicit
// "Abstain" where the position offers it, a review step, and a confirmation before a blank or
// partial ballot goes out. Choices and step survive a reload (session storage, per election).
// Submitting is the caller's job.
import { useEffect, useId, useRef, useState } from 'react';
import { ABSTAIN, type Election, type Position, type Selections } from '@tallyboard/shared';
import { ApiError, errorText } from '../api';
import {
  chosenCount,
  clearPosition,
  emptyPositions,
  isAbstaining,
  isAtLimit,
  isBlank,
  sanitizeDraft,
  toSelections,
  toggleAbstain,
  toggleCandidate,
  type Draft,
} from '../ballot';
import { t } from '../i18n';
import { ballotDrafts } from '../storage';
import { CandidatePhoto } from './CandidatePhoto';
import { FormError } from './FormField';

interface Props {
  election: Election;
  /** Sends the ballot; resolves once it is acknowledged. */
  onSubmit: (selections: Selections) => Promise<void>;
}

export function Ballot({ election, onSubmit }: Props) {
  const [saved] = useState(() => ballotDrafts.get(election.id));
  const [draft, setDraft] = useState<Draft>(() =>
    sanitizeDraft(saved?.selections, election.positions),
  );
  const [step, setStep] = useState<'select' | 'review'>(saved?.step ?? 'select');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reviewRef = useRef<HTMLHeadingElement>(null);
  const selectRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    ballotDrafts.set(election.id, { selections: draft, step });
  }, [election.id, draft, step]);

  const empty = emptyPositions(draft, election.positions);
  const blank = isBlank(draft, election.positions);
  const needsConfirm = empty.length > 0;

  function goReview() {
    setConfirmed(false);
    setError(null);
    setStep('review');
    requestAnimationFrame(() => reviewRef.current?.focus());
  }

  function goBack() {
    setStep('select');
    requestAnimationFrame(() => selectRef.current?.focus());
  }

  async function submit() {
    if (busy || (needsConfirm && !confirmed)) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(toSelections(draft, election.positions));
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'network'
          ? t.vote.networkRetry
          : errorText(err, t.errors),
      );
      setBusy(false);
    }
  }

  if (step === 'review') {
    return (
      <section className="ballot review" aria-labelledby="review-heading">
        <h2 id="review-heading" ref={reviewRef} tabIndex={-1}>
          {t.vote.reviewHeading}
        </h2>
        <p className="lead">{t.vote.reviewLead}</p>
        <dl className="review-list">
          {election.positions.map((p) => {
            const chosen = p.candidates.filter((c) => (draft[p.id] ?? []).includes(c.id));
            return (
              <div key={p.id} className="review-item">
                <dt>{p.title}</dt>
                <dd>
                  {isAbstaining(draft, p.id) ? (
                    <span className="abstained">{t.vote.abstained}</span>
                  ) : chosen.length === 0 ? (
                    <span className="muted">{t.vote.noSelection}</span>
                  ) : (
                    <ul>
                      {chosen.map((c) => (
                        <li key={c.id}>{c.name}</li>
                      ))}
                    </ul>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
        {needsConfirm && (
          <div className="notice notice-warn" role="alert">
            <p>{blank ? t.vote.blankWarning : t.vote.partialWarning(empty.map((p) => p.title))}</p>
            <label className="check">
              <input
                type="checkbox"
                checked={confirmed}
                onChange={(e) => setConfirmed(e.target.checked)}
              />
              {t.vote.confirmEmpty}
            </label>
          </div>
        )}
        <FormError message={error} />
        <div className="actions">
          <button type="button" className="btn btn-secondary" onClick={goBack} disabled={busy}>
            {t.vote.edit}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            onClick={submit}
            disabled={busy || (needsConfirm && !confirmed)}
            aria-busy={busy}
          >
            {busy
              ? election.anonymitySet > 1
                ? t.vote.sealing
                : t.vote.submitting
              : t.vote.submit}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="ballot" aria-labelledby="ballot-heading">
      <h2 id="ballot-heading" ref={selectRef} tabIndex={-1}>
        {t.vote.ballotHeading}
      </h2>
      {election.positions.map((p) => (
        <PositionChoice
          key={p.id}
          position={p}
          selected={draft[p.id] ?? []}
          abstaining={isAbstaining(draft, p.id)}
          onAbstain={() => setDraft((d) => toggleAbstain(d, p))}
          onToggle={(id) => setDraft((d) => toggleCandidate(d, p, id))}
          onClear={() => setDraft((d) => clearPosition(d, p.id))}
          atLimit={isAtLimit(draft, p)}
        />
      ))}
      <div className="actions sticky-actions">
        <button type="button" className="btn btn-primary btn-block" onClick={goReview}>
          {t.vote.review}
        </button>
      </div>
    </section>
  );
}

interface ChoiceProps {
  position: Position;
  selected: string[];
  abstaining: boolean;
  atLimit: boolean;
  onAbstain: () => void;
  onToggle: (candidateId: string) => void;
  onClear: () => void;
}

function PositionChoice({
  position,
  selected,
  abstaining,
  atLimit,
  onAbstain,
  onToggle,
  onClear,
}: ChoiceProps) {
  const id = useId();
  const single = position.maxSelections === 1;
  return (
    <fieldset className="position" aria-describedby={`${id}-counter`}>
      <legend>
        <span className="position-title">{position.title}</span>
        <span className="position-rule">{t.vote.selectUpTo(position.maxSelections)}</span>
      </legend>
      {position.description && <p className="position-desc">{position.description}</p>}
      <div className="position-status">
        <span
          id={`${id}-counter`}
          className={`counter num${atLimit ? ' at-limit' : ''}`}
          aria-live="polite"
        >
          {abstaining
            ? t.vote.abstained
            : t.vote.counter(
                chosenCount({ [position.id]: selected }, position.id),
                position.maxSelections,
              )}
        </span>
        {single && selected.length > 0 && (
          <button type="button" className="btn btn-link" onClick={onClear}>
            {t.vote.clear}
          </button>
        )}
      </div>
      {!single && atLimit && (
        <p className="hint limit-hint" role="status">
          {t.vote.limitReached(position.maxSelections)}
        </p>
      )}
      <div className="candidates">
        {position.candidates.map((c) => {
          const checked = selected.includes(c.id);
          const disabled = !single && atLimit && !checked;
          const inputId = `${id}-${c.id}`;
          return (
            <label
              key={c.id}
              htmlFor={inputId}
              className={`candidate${checked ? ' is-selected' : ''}${disabled ? ' is-disabled' : ''}`}
            >
              <input
                id={inputId}
                type={single ? 'radio' : 'checkbox'}
                name={single ? `pos-${position.id}` : undefined}
                value={c.id}
                checked={checked}
                disabled={disabled}
                onChange={() => onToggle(c.id)}
                aria-describedby={c.description ? `${inputId}-desc` : undefined}
              />
              <CandidatePhoto name={c.name} url={c.photoUrl} />
              <span className="candidate-text">
                <span className="candidate-name">{c.name}</span>
                {c.description && (
                  <span id={`${inputId}-desc`} className="candidate-desc">
                    {c.description}
                  </span>
                )}
              </span>
              <span className="candidate-check" aria-hidden="true" />
            </label>
          );
        })}
        {position.allowAbstain && (
          <label
            htmlFor={`${id}-abstain`}
            className={`candidate candidate-abstain${abstaining ? ' is-selected' : ''}`}
            data-testid="abstain"
          >
            <input
              id={`${id}-abstain`}
              type={single ? 'radio' : 'checkbox'}
              name={single ? `pos-${position.id}` : undefined}
              value={ABSTAIN}
              checked={abstaining}
              onChange={onAbstain}
              aria-describedby={`${id}-abstain-desc`}
            />
            <span className="candidate-text">
              <span className="candidate-name">{t.vote.abstain}</span>
              <span id={`${id}-abstain-desc`} className="candidate-desc">
                {t.vote.abstainHint}
              </span>
            </span>
            <span className="candidate-check" aria-hidden="true" />
          </label>
        )}
      </div>
    </fieldset>
  );
}
