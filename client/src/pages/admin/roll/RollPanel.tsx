// The voter roll of a `roll` election in its console: who is on it, who voted (never how), adding
// and removing voters while the election is a draft or scheduled, issuing ballot codes (shown once)
// and the marked register export.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Election } from '@tallyboard/shared';
import { rollApi, type IssuedCode, type RollEntry } from '../../../admin-api';
import { errorText } from '../../../api';
import { Pager, SearchField } from '../../../components/ListControls';
import { ErrorNotice, Loading } from '../../../components/Notice';
import { t } from '../../../i18n';
import { IssuedCodes } from './IssuedCodes';
import { RollImport } from './RollImport';

const tr = t.admin.roll;

/** Rows rendered at once: a roll of 10,000 is searched or paged, not scrolled. */
export const ROLL_PER_PAGE = 100;

export function RollPanel({ election }: { election: Election }) {
  const [roll, setRoll] = useState<RollEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [codes, setCodes] = useState<IssuedCode[] | null>(null);
  const [busy, setBusy] = useState(false);
  const editable = election.status === 'draft' || election.status === 'scheduled';

  const load = useCallback(async () => {
    setError(null);
    try {
      setRoll(await rollApi.list(election.id));
    } catch (err) {
      setError(err);
    }
  }, [election.id]);

  useEffect(() => {
    void load();
  }, [load]);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!roll) return [];
    if (!q) return roll;
    return roll.filter((e) =>
      [e.ref, e.name, e.email ?? ''].some((s) => s.toLowerCase().includes(q)),
    );
  }, [roll, query]);

  async function act(fn: () => Promise<void>) {
    setBusy(true);
    setActionError(null);
    try {
      await fn();
    } catch (err) {
      setActionError(errorText(err, t.errors));
    } finally {
      setBusy(false);
    }
  }

  const issue = (refs?: string[]) =>
    act(async () => {
      const issued = await rollApi.issueCodes(election.id, refs);
      setCodes(issued.length ? issued : []);
      setSelected(new Set());
      await load();
    });

  const remove = (entry: RollEntry) => {
    if (!window.confirm(tr.confirmRemove(entry.name))) return;
    void act(async () => {
      await rollApi.remove(election.id, entry.ref);
      await load();
    });
  };

  const toggle = (ref: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(ref)) next.delete(ref);
      else next.add(ref);
      return next;
    });

  const search = (q: string) => {
    setQuery(q);
    setOffset(0);
  };
  // A removal can shorten the list under the page shown: step back to its last page.
  const first =
    matches.length === 0
      ? 0
      : Math.min(offset, ROLL_PER_PAGE * Math.floor((matches.length - 1) / ROLL_PER_PAGE));

  const voted = roll?.filter((e) => e.voted).length ?? 0;

  return (
    <section className="roll-panel" aria-labelledby="roll-title" data-testid="roll-panel">
      <div className="section-head">
        <h3 id="roll-title">{tr.title}</h3>
        {roll && (
          <p className="muted" data-testid="roll-count">
            {tr.votedCount(voted, roll.length)}
          </p>
        )}
      </div>
      <p className="hint">{tr.lead}</p>
      {editable ? (
        <RollImport electionId={election.id} onChanged={() => void load()} />
      ) : (
        <p className="hint">{tr.locked}</p>
      )}

      {codes && (
        <IssuedCodes
          election={election}
          codes={codes}
          roll={roll ?? []}
          onHide={() => setCodes(null)}
        />
      )}

      <div className="actions">
        {election.status !== 'closed' && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || !roll?.length}
            onClick={() => void issue()}
          >
            {busy ? tr.issuing : tr.issueNew}
          </button>
        )}
        {election.status !== 'closed' && selected.size > 0 && (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => {
              if (window.confirm(tr.confirmReissue(selected.size))) void issue([...selected]);
            }}
          >
            {tr.reissue(selected.size)}
          </button>
        )}
        {election.status !== 'draft' && (
          <a className="btn btn-secondary" href={rollApi.registerCsvUrl(election.id)} download>
            {tr.exportRegister}
          </a>
        )}
      </div>
      {actionError && <ErrorNotice>{actionError}</ErrorNotice>}

      {error ? (
        <ErrorNotice onRetry={() => void load()}>{errorText(error, t.errors)}</ErrorNotice>
      ) : !roll ? (
        <Loading />
      ) : roll.length === 0 ? (
        <p className="muted">{tr.empty}</p>
      ) : (
        <>
          <SearchField id="roll-search" label={tr.search} value={query} onChange={search} />
          <div className="table-wrap">
            <table className="table roll-table">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{tr.columns.select}</span>
                  </th>
                  <th scope="col">{tr.columns.ref}</th>
                  <th scope="col">{tr.columns.name}</th>
                  <th scope="col">{tr.columns.email}</th>
                  <th scope="col">{tr.columns.voted}</th>
                  <th scope="col">{tr.columns.code}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t.admin.columns.actions}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {matches.slice(first, first + ROLL_PER_PAGE).map((e) => (
                  <tr key={e.ref} data-testid="roll-row">
                    <td>
                      <input
                        type="checkbox"
                        aria-label={tr.selectEntry(e.name)}
                        checked={selected.has(e.ref)}
                        disabled={e.voted}
                        onChange={() => toggle(e.ref)}
                      />
                    </td>
                    <td className="mono">{e.ref}</td>
                    <th scope="row">{e.name}</th>
                    <td>{e.email ?? ''}</td>
                    <td data-testid="roll-voted">
                      {e.voted ? (
                        <span className="status status-closed">{tr.voted}</span>
                      ) : (
                        <span className="muted">{tr.notVoted}</span>
                      )}
                    </td>
                    <td className="muted">{tr.codeState[e.code]}</td>
                    <td className="row-actions">
                      {editable && !e.voted && (
                        <button
                          type="button"
                          className="btn btn-link danger btn-sm"
                          disabled={busy}
                          onClick={() => remove(e)}
                        >
                          {tr.remove}
                          <span className="visually-hidden"> {e.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            offset={first}
            pageSize={ROLL_PER_PAGE}
            total={matches.length}
            texts={tr}
            onOffset={setOffset}
            testId="roll-range"
          />
          <p className="hint">{tr.count(roll.length)}</p>
        </>
      )}
    </section>
  );
}
