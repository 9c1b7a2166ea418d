// Sign in, or register a voter account; used by the admin console and `accounts` elections.
import { useState, type FormEvent } from 'react';
import type { User } from '@tallyboard/shared';
import { api, ApiError, errorText } from '../api';
import { t } from '../i18n';
import { setSessionToken } from '../live/browser';

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

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'register') await api.register(email, password, name);
      const res = await api.login(email, password);
      setSessionToken(res.token);
      onSignedIn(res.user);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? t.auth.wrongCredentials
          : errorText(err, t.errors),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card auth-form" onSubmit={submit} aria-labelledby="auth-title">
      <h2 id="auth-title">{mode === 'signin' ? title : t.auth.register}</h2>
      {mode === 'register' && (
        <div className="field">
          <label htmlFor="auth-name">{t.auth.name}</label>
          <input
            id="auth-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="name"
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="auth-email">{t.auth.email}</label>
        <input
          id="auth-email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          autoComplete="email"
        />
      </div>
      <div className="field">
        <label htmlFor="auth-password">{t.auth.password}</label>
        <input
          id="auth-password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={mode === 'register' ? 8 : 1}
          autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
          aria-describedby={mode === 'register' ? 'auth-password-hint' : undefined}
        />
        {mode === 'register' && (
          <p id="auth-password-hint" className="hint">
            {t.auth.passwordHint}
          </p>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t.auth.working : mode === 'signin' ? t.auth.signIn : t.auth.register}
      </button>
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
