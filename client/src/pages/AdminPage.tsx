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

export function AdminPage() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [params, setParams] = useSearchParams();
  const electionId = params.get('election');
  const mode = params.get('mode');

  useEffect(() => {
    document.title = `${t.admin.title} · ${t.appName}`;
    api
      .currentUser()
      .then(setUser)
      .catch(() => setUser(null));
  }, []);

  async function signOut() {
    await api.logout().catch(() => undefined);
    setSessionToken(null);
    setUser(null);
  }

  if (user === undefined) return <Loading />;
  if (user === null) {
    return (
      <div className="narrow">
        <h1 className="visually-hidden">{t.admin.title}</h1>
        <AuthForm title={t.admin.signInTitle} allowRegister={false} onSignedIn={setUser} />
      </div>
    );
  }

  const show = (next: Record<string, string>) => setParams(next);
  let content;
  if (user.role !== 'admin') {
    content = <InfoNotice>{t.admin.notAdmin}</InfoNotice>;
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
      {content}
    </div>
  );
}
