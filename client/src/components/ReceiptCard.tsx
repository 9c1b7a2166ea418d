// The receipt once a ballot is in: its code to copy and a link to check it later.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { t } from '../i18n';
import type { StoredReceipt } from '../storage';

export function ReceiptCard({
  receipt,
  focusOnShow,
}: {
  receipt: StoredReceipt;
  focusOnShow: boolean;
}) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The ballot the voter was on is gone: tell keyboard and screen reader users where they are.
  useEffect(() => {
    if (focusOnShow) headingRef.current?.focus();
  }, [focusOnShow]);
  async function copyCode() {
    try {
      await navigator.clipboard.writeText(receipt.receipt);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }
  const checkUrl = `/receipt?code=${encodeURIComponent(receipt.joinCode)}&receipt=${encodeURIComponent(receipt.receipt)}`;
  return (
    <section className="card receipt-card" aria-labelledby="receipt-heading" data-testid="receipt">
      <h2 id="receipt-heading" ref={headingRef} tabIndex={-1}>
        {receipt.firstStands ? t.vote.firstBallotStands : t.vote.receiptHeading}
      </h2>
      <p>{receipt.firstStands ? t.vote.firstBallotStandsLead : t.vote.receiptLead}</p>
      <p className="receipt-label" id="receipt-code-label">
        {t.vote.receiptLabel}
      </p>
      <div className="receipt-row">
        <output
          className="receipt-code"
          aria-labelledby="receipt-code-label"
          data-testid="receipt-code"
        >
          {receipt.receipt}
        </output>
        <button type="button" className="btn btn-secondary" onClick={() => void copyCode()}>
          {copy === 'copied' ? t.vote.copied : t.vote.copy}
        </button>
      </div>
      <p className="hint" role="status" aria-live="polite">
        {copy === 'failed' ? t.vote.copyFailed : ''}
      </p>
      <Link to={checkUrl}>{t.vote.checkReceipt}</Link>
    </section>
  );
}
