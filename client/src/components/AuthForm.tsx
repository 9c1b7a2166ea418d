// Sign in, or register a voter account; used by the admin console and `accounts` elections.
import { useState, type FormEvent } from 'react';
import { LIMITS, type User } from '@tallyboard/shared';
import { api, ApiError, errorText } from '../api';
import { t } from '../i18n';
import { setSessionToken } from '../live/browser';
import { isBlockedError } from '../session-watch';
import { AuthSubmit, PasswordField } from './AuthFields';
import { FormError, FormField } from './FormField';
import { PasswordChange } from './PasswordChange';

interface Props {
  title: string;
  allowRegister: boolean;
  onSignedIn: (user: User) => void;
}

export function AuthForm({ title, allowRegister, onSignedIn }: Props) {
  const [mode, setMode] = useState<'signin' | 'register'>('signin');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [changing, setChanging] = useState<{ current: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'register') await api.register(email, password, name);
      const res = await api.login(email, password);
      // Every later request relies on the cookie: when the browser dropped it (cookies blocked,
      // or a Secure cookie over plain HTTP), say so instead of failing silently everywhere.
      if (!(await api.currentUser())) {
        setError(t.auth.sessionNotKept);
        return;
      }
      setSessionToken(res.token);
      // A temporary password set by an admin must be replaced before anything else.
      if (res.user.mustChangePassword) setChanging({ current: password });
      else onSignedIn(res.user);
    } catch (err) {
      setError(
        isBlockedError(err)
          ? t.auth.blocked
          : err instanceof ApiError && err.status === 401
            ? t.auth.wrongCredentials
            : errorText(err, t.errors),
      );
    } finally {
      setBusy(false);
    }
  }

  if (changing) {
    return <PasswordChange current={changing.current} onChanged={onSignedIn} />;
  }

  return (
    <form className="card auth-form" onSubmit={submit} aria-labelledby="auth-title">
      <h2 id="auth-title">{mode === 'signin' ? title : t.auth.register}</h2>
      {mode === 'register' && (
        <FormField id="auth-name" label={t.auth.name}>
          {(control) => (
            <input
              {...control}
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              autoComplete="name"
            />
          )}
        </FormField>
      )}
      <FormField id="auth-email" label={t.auth.email}>
        {(control) => (
          <input
            {...control}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="email"
          />
        )}
      </FormField>
      <PasswordField
        id="auth-password"
        label={t.auth.password}
        hint={mode === 'register' ? t.auth.passwordHint : undefined}
        value={password}
        onChange={setPassword}
        minLength={mode === 'register' ? LIMITS.password.min : 1}
        autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
      />
      <FormError message={error} />
      <AuthSubmit busy={busy} label={mode === 'signin' ? t.auth.signIn : t.auth.register} />
      {allowRegister && (
        <button
          type="button"
          className="btn btn-link"
          onClick={() => setMode(mode === 'signin' ? 'register' : 'signin')}
        >
          {mode === 'signin' ? t.auth.switchToRegister : t.auth.switchToSignIn}
        </button>
      )}
    </form>
  );
}
