// CSV and JSON export links, and the audit recount with its verdict (and mismatches, if any).
import { useState } from 'react';
import type { AuditReport, Election } from '@tallyboard/shared';
import { api, errorText } from '../../../api';
import { ErrorNotice } from '../../../components/Notice';
import { t } from '../../../i18n';

const td = t.admin.detail;

export function Exports({ election }: { election: Election }) {
  const [audit, setAudit] = useState<AuditReport | null>(null);
  const [auditError, setAuditError] = useState<string | null>(null);
  const [auditing, setAuditing] = useState(false);

  async function runAudit() {
    setAuditing(true);
    setAuditError(null);
    try {
      setAudit(await api.audit(election.id));
    } catch (err) {
      setAuditError(errorText(err, t.errors));
    } finally {
      setAuditing(false);
    }
  }

  const names = new Map(
    election.positions.flatMap((p) => p.candidates.map((c) => [c.id, c.name] as const)),
  );
  const titles = new Map(election.positions.map((p) => [p.id, p.title] as const));

  return (
    <section className="exports" aria-label={`${td.exportCsv}, ${td.exportJson}, ${td.audit}`}>
      <div className="actions">
        <a className="btn btn-secondary" href={api.exportCsvUrl(election.id)} download>
          {td.exportCsv}
        </a>
        <a className="btn btn-secondary" href={api.exportJsonUrl(election.id)} download>
          {td.exportJson}
        </a>
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void runAudit()}
          disabled={auditing}
        >
          {auditing ? td.auditRunning : td.audit}
        </button>
      </div>
      <div aria-live="polite" data-testid="audit">
        {auditError && <ErrorNotice>{auditError}</ErrorNotice>}
        {audit && (
          <div className={`notice ${audit.match ? 'notice-success' : 'notice-error'}`}>
            <p>
              <strong>
                {audit.match
                  ? td.auditMatch(audit.ballots)
                  : td.auditMismatch(audit.mismatches.length)}
              </strong>
            </p>
            {!audit.match && (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t.admin.builder.positionTitle}</th>
                    <th scope="col">{t.admin.builder.candidateName}</th>
                    <th scope="col" className="numeric">
                      {td.auditCounter}
                    </th>
                    <th scope="col" className="numeric">
                      {td.auditRecount}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {audit.mismatches.map((m) => (
                    <tr key={`${m.positionId}-${m.candidateId}`}>
                      <td>{titles.get(m.positionId) ?? m.positionId}</td>
                      <td>{names.get(m.candidateId) ?? m.candidateId}</td>
                      <td className="numeric num">{m.counter}</td>
                      <td className="numeric num">{m.recount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
