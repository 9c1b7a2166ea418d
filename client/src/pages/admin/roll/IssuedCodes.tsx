// Codes just issued, held in this component's state only: the server keeps hashes, so this is the
// one moment to download them or print the slips. Hiding them asks first.
import { lazy, useMemo, useState } from 'react';
import type { Election } from '@tallyboard/shared';
import type { IssuedCode, RollEntry } from '../../../admin-api';
import { OnDemand } from '../../../components/OnDemand';
import { t } from '../../../i18n';
import { slipsCsv, slipsFor } from './slips';

// The printable sheet and its QR codes are fetched only when someone prints.
const SlipSheet = lazy(() => import('./SlipSheet').then((m) => ({ default: m.SlipSheet })));

const tc = t.admin.codes;

interface Props {
  election: Election;
  codes: IssuedCode[];
  roll: RollEntry[];
  onHide: () => void;
}

export function IssuedCodes({ election, codes, roll, onHide }: Props) {
  const [printing, setPrinting] = useState(false);
  const slips = useMemo(() => slipsFor(codes, roll, window.location.origin), [codes, roll]);

  // A file made in the browser (10,000 codes are about 1 MB): nothing is asked of the server again.
  function download() {
    const url = URL.createObjectURL(
      new Blob([slipsCsv(slips)], { type: 'text/csv;charset=utf-8' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = `codes-${election.joinCode}.csv`;
    a.click();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  if (codes.length === 0) {
    return (
      <div className="notice notice-info" role="status" data-testid="issued-codes">
        <p>{tc.noneToIssue}</p>
        <button type="button" className="btn btn-link" onClick={onHide}>
          {t.close}
        </button>
      </div>
    );
  }

  return (
    <div className="notice notice-warn issued-codes" role="status" data-testid="issued-codes">
      <p>
        <strong>{tc.title(codes.length)}</strong>
      </p>
      <p>{tc.once}</p>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={download}>
          {tc.download}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => setPrinting(true)}>
          {tc.print}
        </button>
        <button
          type="button"
          className="btn btn-link"
          onClick={() => {
            if (window.confirm(tc.confirmHide)) onHide();
          }}
        >
          {tc.hide}
        </button>
      </div>
      {printing && (
        <OnDemand>
          <SlipSheet election={election} slips={slips} onClose={() => setPrinting(false)} />
        </OnDemand>
      )}
    </div>
  );
}
