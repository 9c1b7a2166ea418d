// One election's console: open or close now, edit while draft, the live monitor (the board's data
// plus participation), final ranking, CSV and JSON export, and the audit recount verdict.
import { useState } from 'react';
import { api, errorText } from '../../../api';
import { Countdown } from '../../../components/Countdown';
import { ScheduleTimes } from '../../../components/ScheduleTimes';
import { ErrorNotice, Loading } from '../../../components/Notice';
import { t } from '../../../i18n';
import { currentSchedule } from '../../../live/election-state';
import { useElectionLive } from '../../../live/hooks';
import { useElection } from '../../../useElection';
import { ElectionBuilder } from '../builder/ElectionBuilder';
import { Exports } from './Exports';
import { FinalResults } from './FinalResults';
import { Monitor } from './Monitor';
import { useAdminResults } from './useAdminResults';

const td = t.admin.detail;

interface Props {
  id: string;
  editing: boolean;
  onEdit: () => void;
  onDone: () => void;
  onBack: () => void;
}

export function ElectionDetail({ id, editing, onEdit, onDone, onBack }: Props) {
  const { election, setElection, error, load } = useElection(id);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const live = useElectionLive(id);
  const results = useAdminResults(id, live.results, live.joined && live.hidden);

  if (error) {
    return (
      <>
        <BackButton onBack={onBack} />
        <ErrorNotice onRetry={() => void load()}>{errorText(error, t.errors)}</ErrorNotice>
      </>
    );
  }
  if (!election) return <Loading />;

  if (editing && election.status !== 'draft') {
    // Only a draft can change: show what it holds, read-only, and say why instead of failing on Save.
    return (
      <div className="detail" data-testid="readonly-election">
        <BackButton onBack={onBack} />
        <div className="notice notice-info" role="status" data-testid="readonly-reason">
          <p>
            <strong>{td.readOnly(t.status[election.status])}</strong>
          </p>
          <p>{td.readOnlyWhy}</p>
          <button type="button" className="btn btn-secondary" onClick={onDone}>
            {td.backToConsole}
          </button>
        </div>
        <fieldset disabled className="readonly-builder" aria-label={td.readOnlyLabel}>
          <ElectionBuilder election={election} onSaved={onDone} onCancel={onDone} />
        </fieldset>
      </div>
    );
  }

  if (editing) {
    return (
      <ElectionBuilder
        election={election}
        onSaved={(e) => {
          setElection(e);
          onDone();
        }}
        onCancel={onDone}
      />
    );
  }

  const { status, opensAt, closesAt } = currentSchedule(election, live);
  const joinUrl = `${window.location.origin}/vote/${election.joinCode}`;

  async function act(fn: () => Promise<unknown>, after?: () => void) {
    setBusy(true);
    setActionError(null);
    try {
      await fn();
      await load();
      after?.();
    } catch (err) {
      setActionError(errorText(err, t.errors));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="detail">
      <BackButton onBack={onBack} />
      <header className="detail-head">
        <div>
          <h2>{election.title}</h2>
          <p>
            <span className={`status status-${status}`} data-testid="admin-status">
              {t.status[status]}
            </span>{' '}
            <span className="muted" data-testid="admin-access">
              {status === 'closed' ? t.accessClosed[election.access] : t.access[election.access]}
            </span>
          </p>
          <p className="muted">{t.visibility[election.resultsVisibility]}</p>
        </div>
        <dl className="join-info">
          <div>
            <dt>{td.joinCode}</dt>
            <dd className="mono big" data-testid="admin-join-code">
              {election.joinCode}
            </dd>
          </div>
          <div>
            <dt>{td.joinLink}</dt>
            <dd>
              <a href={joinUrl}>{joinUrl}</a>
            </dd>
          </div>
        </dl>
      </header>

      <div className="actions" role="group" aria-label={t.admin.columns.actions}>
        {(status === 'draft' || status === 'scheduled') && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => void act(() => api.openElection(id))}
          >
            {td.openNow}
          </button>
        )}
        {status === 'draft' && opensAt && Date.parse(opensAt) > Date.now() && (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => void act(() => api.scheduleElection(id))}
          >
            {td.schedule}
          </button>
        )}
        {(status === 'open' || status === 'scheduled') && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={() => {
              if (window.confirm(td.confirmClose)) void act(() => api.closeElection(id));
            }}
          >
            {td.closeNow}
          </button>
        )}
        {status === 'draft' && (
          <button type="button" className="btn btn-secondary" disabled={busy} onClick={onEdit}>
            {td.edit}
          </button>
        )}
        <a className="btn btn-secondary" href={`/board/${id}`} target="_blank" rel="noreferrer">
          {td.openBoard}
        </a>
        {status === 'draft' && (
          <button
            type="button"
            className="btn btn-link danger"
            disabled={busy}
            onClick={() => {
              if (window.confirm(td.confirmDelete)) void act(() => api.deleteElection(id), onBack);
            }}
          >
            {td.delete}
          </button>
        )}
      </div>
      {actionError && <ErrorNotice>{actionError}</ErrorNotice>}
      {status === 'scheduled' && opensAt && (
        <Countdown target={opensAt} kind="opens" onElapsed={() => void load()} />
      )}
      {status === 'open' && closesAt && (
        <Countdown target={closesAt} kind="closes" onElapsed={() => void load()} />
      )}
      {status !== 'closed' && (
        <ScheduleTimes opensAt={status === 'open' ? null : opensAt} closesAt={closesAt} />
      )}

      {status !== 'draft' && (
        <Monitor
          election={election}
          results={results}
          viewers={live.viewers}
          final={status === 'closed'}
        />
      )}
      {status === 'closed' && results && <FinalResults election={election} results={results} />}
      {status !== 'draft' && <Exports election={election} />}
    </div>
  );
}

function BackButton({ onBack }: { onBack: () => void }) {
  return (
    <button type="button" className="btn btn-link" onClick={onBack}>
      ← {t.admin.allElections}
    </button>
  );
}
