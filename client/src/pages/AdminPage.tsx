// `/admin`: sign in, then the elections list, the builder or one election's console. Which one is
// in the query string (`?election=…&mode=edit`, `?mode=new`), so reloads and links keep the place.
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { User } from '@tallyboard/shared';
import { api } from '../api';
import { AuthForm } from '../components/AuthForm';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { InfoNotice, Loading } from '../components/Notice';
import { t } from '../i18n';
import { setSessionToken } from '../live/browser';
import { ElectionBuilder } from './admin/builder/ElectionBuilder';
import { ElectionDetail } from './admin/detail/ElectionDetail';
import { ElectionList } from './admin/ElectionList';
import { UsersScreen } from './admin/users/UsersScreen';
import { SessionLost, useSessionWatch } from '../session-watch';

export function AdminPage() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [params, setParams] = useSearchParams();
  const electionId = params.get('election');
  const mode = params.get('mode');
  const view = params.get('view');
  const session = useSessionWatch(user ?? null);

  useEffect(() => {
    document.title = `${t.admin.title} · ${t.appName}`;
    api
      .currentUser()
      .then(setUser)
      .catch(() => setUser(null));
  }, []);

  function signedIn(next: User) {
    session.reset();
    setUser(next);
  }

  async function signOut() {
    await api.logout().catch(() => undefined);
    setSessionToken(null);
    setUser(null);
  }

  if (user === undefined) return <Loading />;
  if (session.lost) {
    return (
      <div className="narrow">
        <h1 className="visually-hidden">{t.admin.title}</h1>
        <SessionLost reason={session.lost} />
        <AuthForm title={t.admin.signInTitle} allowRegister={false} onSignedIn={signedIn} />
      </div>
    );
  }
  if (user === null) {
    return (
      <div className="narrow">
        <h1 className="visually-hidden">{t.admin.title}</h1>
        <AuthForm title={t.admin.signInTitle} allowRegister={false} onSignedIn={signedIn} />
      </div>
    );
  }

  const show = (next: Record<string, string>) => setParams(next);
  let content;
  if (user.role !== 'admin') {
    content = <InfoNotice>{t.admin.notAdmin}</InfoNotice>;
  } else if (view === 'users') {
    content = <UsersScreen me={user} />;
  } else if (mode === 'new') {
    content = (
      <ElectionBuilder onSaved={(e) => show({ election: e.id })} onCancel={() => show({})} />
    );
  } else if (electionId) {
    content = (
      <ElectionDetail
        id={electionId}
        editing={mode === 'edit'}
        onEdit={() => show({ election: electionId, mode: 'edit' })}
        onDone={() => show({ election: electionId })}
        onBack={() => show({})}
        onOpenOther={(id) => show({ election: id })}
      />
    );
  } else {
    content = (
      <ElectionList onOpen={(id) => show({ election: id })} onNew={() => show({ mode: 'new' })} />
    );
  }

  return (
    <div className="admin">
      <div className="admin-bar">
        <h1>{t.admin.title}</h1>
        <div className="admin-user">
          <ConnectionBadge />
          <span className="muted">{user.email}</span>
          <button type="button" className="btn btn-link" onClick={() => void signOut()}>
            {t.admin.signOut}
          </button>
        </div>
      </div>
      {user.role === 'admin' && (
        <nav className="admin-tabs" aria-label={t.admin.sections}>
          <button
            type="button"
            className={`btn btn-link${view !== 'users' ? ' active' : ''}`}
            aria-current={view !== 'users' ? 'page' : undefined}
            onClick={() => show({})}
          >
            {t.admin.elections}
          </button>
          <button
            type="button"
            className={`btn btn-link${view === 'users' ? ' active' : ''}`}
            aria-current={view === 'users' ? 'page' : undefined}
            onClick={() => show({ view: 'users' })}
          >
            {t.admin.users.title}
          </button>
        </nav>
      )}
      {content}
    </div>
  );
}
