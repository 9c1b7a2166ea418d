// `/vote/:joinCode`: the ballot, or the receipt once voted (kept per election in localStorage so a
// reload shows it), with live results beside it when the election shows them. The doors come
// first: a lost session, the roll's code or sign-in, an `accounts` sign-in, an unknown code.
import { useCallback, useEffect } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, errorText } from '../api';
import { AuthForm } from '../components/AuthForm';
import { ErrorNotice, InfoNotice, Loading } from '../components/Notice';
import { ResultsPanel } from '../components/ResultsPanel';
import { t } from '../i18n';
import { currentSchedule } from '../live/election-state';
import { useElectionLive } from '../live/hooks';
import { SessionLost, useSessionWatch } from '../session-watch';
import { ElectionHead } from './vote/ElectionHead';
import { RollDoor } from './vote/RollDoor';
import { useVoterAccess } from './vote/useVoterAccess';
import { VotePanel } from './vote/VotePanel';

export function VotePage() {
  const { joinCode = '' } = useParams();
  const access = useVoterAccess(joinCode);
  const { election, lobby, loadError, user, load } = access;

  const live = useElectionLive(election?.id);
  const session = useSessionWatch(user ?? null);

  useEffect(() => {
    if (election) document.title = `${election.title} · ${t.appName}`;
  }, [election]);

  // When a countdown runs out, ask again in case the status event was missed.
  const refresh = useCallback(() => {
    window.setTimeout(() => void load(), 1500);
  }, [load]);

  // `accounts` elections are only shown to signed-in voters: the lobby says so up front; a 401
  // from the election itself means the session ended between the two requests.
  const mustSignIn = loadError
    ? loadError instanceof ApiError && loadError.code === 'unauthorized'
    : lobby !== null && lobby.access !== 'roll' && !lobby.canEnter;
  if (session.lost) {
    return (
      <div className="narrow">
        {lobby && <h1>{lobby.title}</h1>}
        <SessionLost reason={session.lost} />
        <Link to="/">{t.goHome}</Link>
      </div>
    );
  }
  if (lobby?.access === 'roll' && !loadError && !election && !access.rollToken && user === null) {
    return (
      <div className="narrow">
        <h1>{lobby.title}</h1>
        <RollDoor
          error={access.codeError}
          busy={access.exchanging}
          onCode={access.enterCode}
          onSignedIn={access.signedIn}
        />
      </div>
    );
  }
  if (mustSignIn) {
    return (
      <div className="narrow">
        {lobby && <h1>{lobby.title}</h1>}
        <InfoNotice>{t.vote.accountsRequired}</InfoNotice>
        <AuthForm title={t.auth.signIn} allowRegister onSignedIn={() => void load()} />
      </div>
    );
  }
  if (loadError) {
    const unknown = loadError instanceof ApiError && loadError.code === 'not_found';
    return (
      <div className="card narrow">
        <ErrorNotice onRetry={unknown ? undefined : () => void load()}>
          {unknown ? t.join.unknownCode : errorText(loadError, t.errors)}
        </ErrorNotice>
        <Link to="/">{t.goHome}</Link>
      </div>
    );
  }
  if (!election) return <Loading />;
  const schedule = currentSchedule(election, live);
  const { status } = schedule;

  return (
    <div className="vote-page">
      <ElectionHead election={election} schedule={schedule} onElapsed={refresh} />
      <div className="vote-layout">
        <div className="vote-main">
          <VotePanel
            election={election}
            status={status}
            receipt={access.receipt}
            justCast={access.justCast}
            alreadyVoted={access.alreadyVoted}
            standing={access.standing}
            user={user}
            onSignedIn={() => void load()}
            onSignOut={() => void access.signOut()}
            onSubmit={access.cast}
          />
        </div>
        <aside
          className="vote-aside"
          aria-label={status === 'closed' ? t.vote.finalResults : t.vote.liveResults}
        >
          <ResultsPanel
            election={election}
            results={live.results}
            hidden={live.hidden}
            joined={live.joined}
            headingLevel={2}
            heading={
              live.results?.final || status === 'closed' ? t.vote.finalResults : t.vote.liveResults
            }
          />
        </aside>
      </div>
    </div>
  );
}
