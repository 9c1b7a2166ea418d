// The console's accounts: search and page through them, block and unblock, promote and demote,
// set a temporary password (shown once, changed at next sign-in) and delete a voter account.
import { useCallback, useEffect, useState } from 'react';
import type { User, UserAccount, UserList } from '@tallyboard/shared';
import { usersApi } from '../../../admin-api';
import { errorText } from '../../../api';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { Pager, SearchField } from '../../../components/ListControls';
import { ErrorNotice, Loading } from '../../../components/Notice';
import { t } from '../../../i18n';

const tu = t.admin.users;
export const USERS_PER_PAGE = 20;

export function UsersScreen({ me }: { me: User }) {
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<UserList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [temporary, setTemporary] = useState<{ email: string; password: string } | null>(null);
  const [deleting, setDeleting] = useState<UserAccount | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setPage(await usersApi.list(query.trim(), offset, USERS_PER_PAGE));
    } catch (err) {
      setError(err);
    }
  }, [query, offset]);

  // Typing searches after a short pause, not on every key.
  useEffect(() => {
    const timer = window.setTimeout(() => void load(), 250);
    return () => window.clearTimeout(timer);
  }, [load]);

  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    setActionError(null);
    try {
      await fn();
      await load();
    } catch (err) {
      setActionError(errorText(err, t.errors));
    } finally {
      setBusy(false);
    }
  }

  const confirmThen = (question: string, fn: () => Promise<unknown>) => {
    if (window.confirm(question)) void act(fn);
  };

  return (
    <section aria-labelledby="users-title" className="users">
      <div className="section-head">
        <h2 id="users-title">{tu.title}</h2>
      </div>
      <SearchField
        id="users-search"
        label={tu.search}
        value={query}
        onChange={(q) => {
          setQuery(q);
          setOffset(0);
        }}
      />
      {actionError && <ErrorNotice>{actionError}</ErrorNotice>}
      {temporary && (
        <div className="notice notice-warn" role="status" data-testid="temporary-password">
          <p>{tu.temporaryShown(temporary.email)}</p>
          <p className="receipt-code mono">{temporary.password}</p>
          <button type="button" className="btn btn-link" onClick={() => setTemporary(null)}>
            {tu.hideTemporary}
          </button>
        </div>
      )}
      {error ? (
        <ErrorNotice onRetry={() => void load()}>{errorText(error, t.errors)}</ErrorNotice>
      ) : !page ? (
        <Loading />
      ) : page.users.length === 0 ? (
        <p className="muted">{tu.empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="table users-table">
            <thead>
              <tr>
                <th scope="col">{tu.columns.name}</th>
                <th scope="col">{tu.columns.email}</th>
                <th scope="col">{tu.columns.role}</th>
                <th scope="col">{tu.columns.status}</th>
                <th scope="col">
                  <span className="visually-hidden">{t.admin.columns.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.users.map((u) => {
                const self = u.id === me.id;
                return (
                  <tr key={u.id} data-testid="user-row">
                    <th scope="row">
                      {u.name} {self && <span className="muted">{tu.you}</span>}
                    </th>
                    <td>{u.email}</td>
                    <td>{tu.role[u.role]}</td>
                    <td data-testid="user-status">
                      <span className={`status ${u.blocked ? 'status-closed' : 'status-open'}`}>
                        {u.blocked ? tu.blocked : tu.active}
                      </span>
                    </td>
                    <td className="row-actions">
                      {!self && (
                        <UserActions
                          user={u}
                          busy={busy}
                          confirmThen={confirmThen}
                          onTemporary={() =>
                            confirmThen(tu.confirmTemporary(u.email), async () => {
                              const res = await usersApi.temporaryPassword(u.id);
                              setTemporary({ email: u.email, password: res.temporaryPassword });
                            })
                          }
                          onDelete={() => setDeleting(u)}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        offset={offset}
        pageSize={USERS_PER_PAGE}
        total={page?.total ?? 0}
        texts={tu}
        onOffset={setOffset}
        testId="users-range"
      />
      {deleting && (
        <ConfirmDialog
          title={tu.deleteTitle(deleting.email)}
          confirmLabel={tu.deleteConfirm}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const id = deleting.id;
            setDeleting(null);
            void act(() => usersApi.remove(id));
          }}
        >
          <p>{tu.deleteLead}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function UserActions({
  user,
  busy,
  confirmThen,
  onTemporary,
  onDelete,
}: {
  user: UserAccount;
  busy: boolean;
  confirmThen: (question: string, fn: () => Promise<unknown>) => void;
  onTemporary: () => void;
  onDelete: () => void;
}) {
  const hidden = <span className="visually-hidden"> {user.email}</span>;
  return (
    <>
      {user.blocked ? (
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={busy}
          onClick={() =>
            confirmThen(tu.confirmUnblock(user.email), () =>
              usersApi.update(user.id, { blocked: false }),
            )
          }
        >
          {tu.unblock}
          {hidden}
        </button>
      ) : (
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={busy}
          onClick={() =>
            confirmThen(tu.confirmBlock(user.email), () =>
              usersApi.update(user.id, { blocked: true }),
            )
          }
        >
          {tu.block}
          {hidden}
        </button>
      )}
      {user.role === 'admin' ? (
        <button
          type="button"
          className="btn btn-link btn-sm"
          disabled={busy}
          onClick={() =>
            confirmThen(tu.confirmDemote(user.email), () =>
              usersApi.update(user.id, { role: 'voter' }),
            )
          }
        >
          {tu.demote}
          {hidden}
        </button>
      ) : (
        <button
          type="button"
          className="btn btn-link btn-sm"
          disabled={busy}
          onClick={() =>
            confirmThen(tu.confirmPromote(user.email), () =>
              usersApi.update(user.id, { role: 'admin' }),
            )
          }
        >
          {tu.promote}
          {hidden}
        </button>
      )}
      <button type="button" className="btn btn-link btn-sm" disabled={busy} onClick={onTemporary}>
        {tu.temporaryPassword}
        {hidden}
      </button>
      {user.role !== 'admin' && (
        <button
          type="button"
          className="btn btn-link danger btn-sm"
          disabled={busy}
          onClick={onDelete}
        >
          {tu.delete}
          {hidden}
        </button>
      )}
    </>
  );
}
