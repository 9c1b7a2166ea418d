// One election's console: open or close now, edit while draft, the live monitor (the board's data
// plus participation), final ranking, CSV and JSON export, and the audit recount verdict.
import { useState } from 'react';
import { errorText } from '../../../api';
import { Countdown } from '../../../components/Countdown';
import { ScheduleTimes } from '../../../components/ScheduleTimes';
import { ErrorNotice, Loading } from '../../../components/Notice';
import { t } from '../../../i18n';
import { currentSchedule } from '../../../live/election-state';
import { useElectionLive } from '../../../live/hooks';
import { useElection } from '../../../useElection';
import { ElectionBuilder } from '../builder/ElectionBuilder';
import { RollPanel } from '../roll/RollPanel';
import { ElectionActions } from './ElectionActions';
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
  /** Another election's console (a duplicate just made). */
  onOpenOther: (id: string) => void;
}

export function ElectionDetail({ id, editing, onEdit, onDone, onBack, onOpenOther }: Props) {
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

  if (editing && election.status !== 'draft' && election.status !== 'scheduled') {
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

      <ElectionActions
        election={election}
        status={status}
        opensAt={opensAt}
        busy={busy}
        act={act}
        onEdit={onEdit}
        onBack={onBack}
        onOpenOther={onOpenOther}
      />
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
      {election.access === 'roll' && <RollPanel election={{ ...election, status }} />}
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
