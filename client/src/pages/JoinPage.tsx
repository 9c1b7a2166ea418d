// `/`: type a join code; a wrong code, a closed or a not-yet-open election each get a clear answer.
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { joinCodeSchema } from '@tallyboard/shared';
import { api, ApiError, errorText } from '../api';
import { t } from '../i18n';

export function JoinPage() {
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const clean = code.trim();
    if (!joinCodeSchema.safeParse(clean).success) {
      setError(t.join.invalidCode);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.getElectionByCode(clean);
      // The ballot page explains a closed or not-yet-open election, with its countdown.
      navigate(`/vote/${clean}`);
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'not_found'
          ? t.join.unknownCode
          : errorText(err, t.errors),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card narrow join">
      <h1>{t.join.title}</h1>
      <p className="lead">{t.join.lead}</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="join-code">{t.join.codeLabel}</label>
          <input
            id="join-code"
            className="code-input"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            inputMode="text"
            maxLength={12}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'join-hint join-error' : 'join-hint'}
          />
          <p id="join-hint" className="hint">
            {t.join.codeHint}
          </p>
          {error && (
            <p id="join-error" className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t.join.checking : t.join.submit}
        </button>
      </form>
    </div>
  );
}
