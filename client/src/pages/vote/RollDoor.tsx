// The way into a `roll` election: the ballot code from the voter's slip (typed here, or carried
// by the slip's link and exchanged at once), or signing in with the account whose email is on the
// roll. Says clearly when a code is wrong or already used, and when attempts are limited.
import { useState, type FormEvent } from 'react';
import type { User } from '@tallyboard/shared';
import { ApiError, errorText } from '../../api';
import { AuthForm } from '../../components/AuthForm';
import { FormField } from '../../components/FormField';
import { t } from '../../i18n';

/** The voter-facing text for a failed code exchange. */
export function codeErrorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (String(err.code) === 'invalid_code' || err.status === 401) return t.vote.codeInvalid;
    if (err.status === 429) return t.vote.codeLimited(err.retryAfterSeconds ?? 60);
  }
  return errorText(err, t.errors);
}

interface Props {
  /** A failed exchange of a code, from the link or the form. */
  error: unknown;
  busy: boolean;
  onCode: (code: string) => void;
  onSignedIn: (user: User) => void;
}

export function RollDoor({ error, busy, onCode, onSignedIn }: Props) {
  const [code, setCode] = useState('');
  const [signIn, setSignIn] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (code.trim()) onCode(code.trim());
  }

  if (signIn) {
    return (
      <>
        <p className="hint">{t.vote.rollSignInLead}</p>
        <AuthForm title={t.auth.signIn} allowRegister={false} onSignedIn={onSignedIn} />
        <button type="button" className="btn btn-link" onClick={() => setSignIn(false)}>
          {t.vote.useCodeInstead}
        </button>
      </>
    );
  }

  return (
    <>
      <form
        className="card code-form"
        onSubmit={submit}
        aria-labelledby="code-title"
        data-testid="code-form"
      >
        <h2 id="code-title">{t.vote.codeTitle}</h2>
        <p>{t.vote.codeLead}</p>
        <FormField
          id="ballot-code"
          label={t.vote.codeLabel}
          error={error ? codeErrorText(error) : null}
          alertOnError
        >
          {(control) => (
            <input
              {...control}
              className="mono code-input"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="one-time-code"
              autoCapitalize="characters"
              spellCheck={false}
              required
            />
          )}
        </FormField>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t.vote.checkingCode : t.vote.codeSubmit}
        </button>
      </form>
      <button type="button" className="btn btn-link" onClick={() => setSignIn(true)}>
        {t.vote.rollSignIn}
      </button>
    </>
  );
}
