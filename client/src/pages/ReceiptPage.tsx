// `/receipt`: confirm from a join code and a receipt code that a ballot is in the count.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ReceiptCheck } from '@tallyboard/shared';
import { api, ApiError, errorText } from '../api';
import { FormField } from '../components/FormField';
import { t } from '../i18n';

type Outcome =
  | { kind: 'checked'; check: ReceiptCheck; title: string }
  | { kind: 'unknownElection' }
  | { kind: 'error'; message: string };

export function ReceiptPage() {
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const [receipt, setReceipt] = useState(params.get('receipt') ?? '');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const autoChecked = useRef(false);

  async function check() {
    if (!code.trim() || !receipt.trim()) return;
    setBusy(true);
    setOutcome(null);
    try {
      const election = await api.getElectionByCode(code.trim());
      const res = await api.checkReceipt(election.id, receipt.trim());
      setOutcome({ kind: 'checked', check: res, title: election.title });
    } catch (err) {
      setOutcome(
        err instanceof ApiError && err.code === 'not_found'
          ? { kind: 'unknownElection' }
          : { kind: 'error', message: errorText(err, t.errors) },
      );
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    // Arriving from a receipt link: check straight away.
    if (!autoChecked.current && params.get('code') && params.get('receipt')) {
      autoChecked.current = true;
      void check();
    }
  }, []);

  function submit(e: FormEvent) {
    e.preventDefault();
    void check();
  }

  return (
    <div className="card narrow">
      <h1>{t.receipt.title}</h1>
      <p className="lead">{t.receipt.lead}</p>
      <form onSubmit={submit}>
        <FormField id="receipt-election" label={t.receipt.codeLabel}>
          {(control) => (
            <input
              {...control}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              required
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </FormField>
        <FormField id="receipt-code" label={t.receipt.receiptLabel}>
          {(control) => (
            <input
              {...control}
              className="mono"
              value={receipt}
              onChange={(e) => setReceipt(e.target.value)}
              required
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </FormField>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t.loading : t.receipt.submit}
        </button>
      </form>
      <div aria-live="polite" className="receipt-outcome" data-testid="receipt-outcome">
        {outcome?.kind === 'checked' && (
          <div
            className={`notice ${outcome.check.counted ? 'notice-success' : 'notice-error'}`}
            role={outcome.check.counted ? 'status' : 'alert'}
            data-outcome={outcome.check.counted ? 'counted' : 'no-such-receipt'}
          >
            <p>
              {/* A ballot is only ever stored committed, so a receipt is counted or no ballot has it. */}
              <strong>{outcome.check.counted ? t.receipt.counted : t.receipt.noSuchReceipt}</strong>
            </p>
            <p>{t.receipt.electionLine(outcome.title)}</p>
          </div>
        )}
        {outcome?.kind === 'unknownElection' && (
          <div className="notice notice-error" role="alert" data-outcome="unknown-election">
            {t.receipt.unknownElection}
          </div>
        )}
        {outcome?.kind === 'error' && (
          <div className="notice notice-error" role="alert">
            {outcome.message}
          </div>
        )}
      </div>
    </div>
  );
}
