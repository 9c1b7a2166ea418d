// One election's console: open or close now, edit while draft, the live monitor (the board's data
// plus participation), final ranking, CSV and JSON export, and the audit recount verdict.
import { useEffect, useRef, useState } from 'react';
import type { AuditReport, Election, Results } from '@tallyboard/shared';
import { api, errorText } from '../../api';
import { AnimatedNumber } from '../../components/AnimatedNumber';
import { Countdown } from '../../components/Countdown';
import { ErrorNotice, Loading } from '../../components/Notice';
import { TallyBars } from '../../components/TallyBars';
import { t } from '../../i18n';
import { useElection } from '../../useElection';
import { useElectionLive } from '../../live/hooks';
import { formatPercent, newerResults, percentOf } from '../../tally';
import { ElectionBuilder } from './ElectionBuilder';

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

  const status = live.status ?? election.status;
  const closesAt = live.statusEvent?.closesAt ?? election.closesAt;
  const opensAt = live.statusEvent?.opensAt ?? election.opensAt;
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
            <span className="muted">{t.access[election.access]}</span>
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

/** Live results, or polled over REST when the socket joined without the admin's credentials. */
function useAdminResults(id: string, liveResults: Results | null, poll: boolean): Results | null {
  const [polled, setPolled] = useState<Results | null>(null);
  useEffect(() => {
    if (!poll) return;
    let stop = false;
    const tick = () =>
      api
        .results(id)
        .then((r) => !stop && setPolled((p) => newerResults(p, r)))
        .catch(() => undefined);
    void tick();
    const timer = window.setInterval(tick, 2000);
    return () => {
      stop = true;
      window.clearInterval(timer);
    };
  }, [id, poll]);
  if (liveResults && polled) return liveResults.version >= polled.version ? liveResults : polled;
  return liveResults ?? polled;
}

function Monitor({
  election,
  results,
  viewers,
  final,
}: {
  election: Election;
  results: Results | null;
  viewers: number | null;
  final: boolean;
}) {
  const perMinute = useBallotsPerMinute(results?.ballots ?? null);
  const byId = new Map((results?.positions ?? []).map((p) => [p.id, p]));
  return (
    <section className="monitor" aria-labelledby="monitor-title" data-testid="monitor">
      <h3 id="monitor-title">{td.monitor}</h3>
      <dl className="stats stats-big">
        <div>
          <dt>{t.tally.ballots}</dt>
          <dd data-testid="monitor-ballots">
            <AnimatedNumber value={results?.ballots ?? 0} />
          </dd>
        </div>
        <div>
          <dt>{t.tally.viewers}</dt>
          <dd>
            <AnimatedNumber value={viewers ?? 0} />
          </dd>
        </div>
        <div>
          <dt>{td.ballotsPerMinute}</dt>
          <dd>
            <AnimatedNumber value={perMinute} />
          </dd>
        </div>
      </dl>
      <h4>{td.participation}</h4>
      <ul className="participation">
        {election.positions.map((p) => {
          const votes = (byId.get(p.id)?.candidates ?? []).reduce((n, c) => n + c.votes, 0);
          return (
            <li key={p.id}>
              <span>{p.title}</span>
              <span className="num">
                {td.votesInPosition}: {votes}
              </span>
            </li>
          );
        })}
      </ul>
      {!results ? (
        <Loading />
      ) : (
        <div className="monitor-grid">
          {election.positions.map((p) => (
            <div className="card" key={p.id}>
              <TallyBars
                position={p}
                result={byId.get(p.id)}
                ballots={results.ballots}
                final={final || results.final}
                headingLevel={3}
              />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

function useBallotsPerMinute(ballots: number | null): number {
  const samples = useRef<{ at: number; ballots: number }[]>([]);
  const [rate, setRate] = useState(0);
  useEffect(() => {
    if (ballots === null) return;
    const now = Date.now();
    samples.current = [
      ...samples.current.filter((s) => now - s.at <= 60_000),
      { at: now, ballots },
    ];
    const oldest = samples.current[0];
    setRate(oldest ? ballots - oldest.ballots : 0);
  }, [ballots]);
  return rate;
}

function FinalResults({ election, results }: { election: Election; results: Results }) {
  return (
    <section aria-labelledby="final-title" className="final" data-testid="final-results">
      <h3 id="final-title">{td.finalResults}</h3>
      {election.positions.map((p) => {
        const r = results.positions.find((x) => x.id === p.id);
        const names = new Map(p.candidates.map((c) => [c.id, c.name]));
        const ranked = [...(r?.candidates ?? [])].sort(
          (a, b) => a.rank - b.rank || b.votes - a.votes,
        );
        return (
          <div key={p.id} className="card">
            <div className="table-wrap">
              <table className="table">
                <caption>
                  {p.title} · {td.ranking} · {t.tally.winnersCount(p.winners)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" className="numeric">
                      {t.tally.rank}
                    </th>
                    <th scope="col">{t.tally.candidateHeader}</th>
                    <th scope="col" className="numeric">
                      {t.tally.votesHeader}
                    </th>
                    <th scope="col" className="numeric">
                      %
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{t.tally.winner}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ranked.map((c) => (
                    <tr key={c.id} className={c.winner ? 'is-winner' : undefined}>
                      <td className="numeric num">{c.rank}</td>
                      <th scope="row">{names.get(c.id) ?? c.id}</th>
                      <td className="numeric num">{c.votes}</td>
                      <td className="numeric num">
                        {formatPercent(percentOf(c.votes, results.ballots))}
                      </td>
                      <td>
                        {c.winner && <span className="badge badge-winner">{t.tally.winner}</span>}{' '}
                        {c.tied && <span className="badge badge-tie">{t.tally.tie}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {ranked.some((c) => c.tied) && <p className="tie-note">{t.tally.tieNote}</p>}
          </div>
        );
      })}
    </section>
  );
}

function Exports({ election }: { election: Election }) {
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
