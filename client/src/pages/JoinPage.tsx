// `/`: type a join code; a wrong code, a closed or a not-yet-open election each get a clear answer.
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { JOIN_CODE } from '@tallyboard/shared';
import { api, ApiError, errorText } from '../api';
import { FormField } from '../components/FormField';
import { t } from '../i18n';

export function JoinPage() {
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const clean = code.trim();
    if (!JOIN_CODE.test(clean)) {
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
        <FormField
          id="join-code"
          label={t.join.codeLabel}
          hint={t.join.codeHint}
          error={error}
          alertOnError
        >
          {(control) => (
            <input
              {...control}
              className="code-input"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              inputMode="text"
              maxLength={12}
            />
          )}
        </FormField>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t.join.checking : t.join.submit}
        </button>
      </form>
    </div>
  );
}
