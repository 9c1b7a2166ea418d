// After a sign-in with a temporary password (set by an admin), the account must choose its own
// before it can do anything else.
import { useState, type FormEvent } from 'react';
import { LIMITS, type User } from '@tallyboard/shared';
import { usersApi } from '../admin-api';
import { errorText } from '../api';
import { t } from '../i18n';
import { setSessionToken } from '../live/browser';
import { AuthSubmit, PasswordField } from './AuthFields';
import { FormError } from './FormField';

interface Props {
  current: string;
  onChanged: (user: User) => void;
}

export function PasswordChange({ current, onChanged }: Props) {
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== again) {
      setError(t.auth.passwordsDiffer);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await usersApi.changePassword(current, next);
      setSessionToken(res.token);
      onChanged(res.user);
    } catch (err) {
      setError(errorText(err, t.errors));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card auth-form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="password-change-title"
      data-testid="password-change"
    >
      <h2 id="password-change-title">{t.auth.changePasswordTitle}</h2>
      <p>{t.auth.changePasswordLead}</p>
      <PasswordField
        id="new-password"
        label={t.auth.newPassword}
        hint={t.auth.passwordHint}
        value={next}
        onChange={setNext}
        minLength={LIMITS.password.min}
        autoComplete="new-password"
      />
      <PasswordField
        id="new-password-again"
        label={t.auth.repeatPassword}
        value={again}
        onChange={setAgain}
        autoComplete="new-password"
      />
      <FormError message={error} />
      <AuthSubmit busy={busy} label={t.auth.changePassword} />
    </form>
  );
}
