// The admin's elections with their status and ballots; each opens, duplicates or shows its board.
import { useCallback, useEffect, useState } from 'react';
import type { ElectionSummary } from '@tallyboard/shared';
import { electionAdminApi } from '../../admin-api';
import { api, errorText } from '../../api';
import { ErrorNotice, Loading } from '../../components/Notice';
import { num, t } from '../../i18n';

interface Props {
  onOpen: (id: string) => void;
  onNew: () => void;
}

export function ElectionList({ onOpen, onNew }: Props) {
  const [list, setList] = useState<ElectionSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setList(await api.listElections());
    } catch (err) {
      setError(err);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  /** A copy (positions, candidates, settings; no ballots) opens as a draft in its console. */
  async function duplicate(id: string) {
    setBusy(true);
    try {
      onOpen((await electionAdminApi.duplicate(id)).id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="elections-title">
      <div className="section-head">
        <h2 id="elections-title">{t.admin.elections}</h2>
        <button type="button" className="btn btn-primary" onClick={onNew}>
          + {t.admin.newElection}
        </button>
      </div>
      {error ? (
        <ErrorNotice onRetry={() => void load()}>{errorText(error, t.errors)}</ErrorNotice>
      ) : !list ? (
        <Loading />
      ) : list.length === 0 ? (
        <p className="muted">{t.admin.noElections}</p>
      ) : (
        <div className="table-wrap">
          <table className="table election-table">
            <thead>
              <tr>
                <th scope="col">{t.admin.columns.title}</th>
                <th scope="col">{t.admin.columns.code}</th>
                <th scope="col">{t.admin.columns.status}</th>
                <th scope="col" className="numeric">
                  {t.admin.columns.ballots}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t.admin.columns.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{e.title}</th>
                  <td className="mono">{e.joinCode}</td>
                  <td>
                    <span className={`status status-${e.status}`}>{t.status[e.status]}</span>
                  </td>
                  <td className="numeric num">
                    <span className="visually-hidden">{t.admin.columns.ballots}: </span>
                    {num(e.ballots ?? 0)}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="btn btn-secondary btn-sm"
                      onClick={() => onOpen(e.id)}
                    >
                      {t.admin.manage}
                      <span className="visually-hidden"> {e.title}</span>
                    </button>
                    <button
                      type="button"
                      className="btn btn-link btn-sm"
                      disabled={busy}
                      onClick={() => void duplicate(e.id)}
                    >
                      {t.admin.detail.duplicate}
                      <span className="visually-hidden"> {e.title}</span>
                    </button>
                    <a
                      className="btn btn-link btn-sm"
                      href={`/board/${e.id}`}
                      target="_blank"
                      rel="noreferrer"
                    >
                      {t.admin.board}
                      <span className="visually-hidden"> {e.title}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
