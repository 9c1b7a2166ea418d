// `/vote/:joinCode`: the ballot, or the receipt once voted (kept per election in localStorage so a
// reload shows it), with live results beside it when the election shows them.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import type { Election, ElectionLobby, Selections, User, VoterStanding } from '@tallyboard/shared';
import { electionAdminApi, rollApi } from '../admin-api';
import { api, ApiError, errorText } from '../api';
import { AuthForm } from '../components/AuthForm';
import { Ballot } from '../components/Ballot';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { Countdown } from '../components/Countdown';
import { ScheduleTimes } from '../components/ScheduleTimes';
import { ErrorNotice, InfoNotice, Loading } from '../components/Notice';
import { ReceiptCard } from '../components/ReceiptCard';
import { ResultsPanel } from '../components/ResultsPanel';
import { t } from '../i18n';
import { setSessionToken } from '../live/browser';
import { currentSchedule } from '../live/election-state';
import { useElectionLive } from '../live/hooks';
import { SessionLost, useSessionWatch } from '../session-watch';
import {
  ballotDrafts,
  idempotencyKeyFor,
  receipts,
  rollTokens,
  type StoredReceipt,
} from '../storage';
import { RollDoor } from './vote/RollDoor';

export function VotePage() {
  const { joinCode = '' } = useParams();
  const [election, setElection] = useState<Election | null>(null);
  const [lobby, setLobby] = useState<ElectionLobby | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [receipt, setReceipt] = useState<StoredReceipt | null>(null);
  /** The receipt was just given (not restored by a reload): move focus to it. */
  const [justCast, setJustCast] = useState(false);
  const [alreadyVoted, setAlreadyVoted] = useState(false);
  const [user, setUser] = useState<User | null | undefined>(undefined);

  // A slip's link carries the ballot code: read once, exchanged at once, then gone from the URL so
  // it stays out of the history and of a shared screen.
  const { search } = useLocation();
  const linkCode = useRef(new URLSearchParams(search).get('code'));
  const [rollToken, setRollToken] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<unknown>(null);
  const [exchanging, setExchanging] = useState(false);
  const [standing, setStanding] = useState<VoterStanding | null>(null);

  const exchange = useCallback(async (electionId: string, code: string) => {
    setExchanging(true);
    setCodeError(null);
    try {
      const { voterToken } = await rollApi.exchangeCode(electionId, code);
      rollTokens.set(electionId, voterToken);
      return voterToken;
    } catch (err) {
      setCodeError(err);
      return null;
    } finally {
      setExchanging(false);
    }
  }, []);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      // The lobby first: it says whether this visitor may enter, so an `accounts` election asks
      // for a sign-in without a refused request.
      const door = await api.getElectionLobby(joinCode);
      setLobby(door);
      let token: string | null = null;
      let who: User | null | undefined = undefined;
      if (door.access === 'roll') {
        const code = linkCode.current;
        if (code) {
          linkCode.current = null;
          // Not through the router: the page must not reload for it, only the address change.
          const { pathname, hash } = window.location;
          window.history.replaceState(window.history.state, '', pathname + hash);
          token = await exchange(door.id, code);
        } else token = rollTokens.get(door.id);
        setRollToken(token);
        if (!token) {
          who = await api.currentUser().catch(() => null);
          setUser(who);
          if (!who) return; // the door: a code, or sign in
        }
      } else if (!door.canEnter) return;
      let e: Election;
      try {
        e = await api.getElectionByCode(joinCode, token ?? undefined);
      } catch (err) {
        // A kept code token no longer accepted (its code was reissued): back to the door.
        if (!token || !(err instanceof ApiError) || err.status !== 401) throw err;
        rollTokens.set(door.id, null);
        setRollToken(null);
        setUser(null);
        return;
      }
      setElection(e);
      setReceipt(receipts.get(e.id));
      if (e.access === 'accounts' || (e.access === 'roll' && !token)) {
        who ??= await api.currentUser().catch(() => null);
        setUser(who);
        // Whether this account may vote, and whether it did, before it fills in a ballot.
        setStanding(who ? await electionAdminApi.myStanding(e.id).catch(() => null) : null);
      }
    } catch (err) {
      setLoadError(err);
    }
  }, [joinCode, exchange]);

  useEffect(() => {
    void load();
  }, [load]);

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
  if (lobby?.access === 'roll' && !loadError && !election && !rollToken && user === null) {
    return (
      <div className="narrow">
        <h1>{lobby.title}</h1>
        <RollDoor
          error={codeError}
          busy={exchanging}
          onCode={(code) => {
            linkCode.current = code;
            void load();
          }}
          onSignedIn={(u) => {
            setUser(u);
            void load();
          }}
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
  const { status, opensAt, closesAt } = currentSchedule(election, live);

  async function submit(selections: Selections) {
    if (!election) return;
    const key = idempotencyKeyFor(election.id);
    try {
      const voter =
        election.access === 'open' ? 'anonymous' : rollToken ? { token: rollToken } : null;
      const res = await api.castBallot(election.id, selections, key, voter);
      // A replay means this voter's first ballot was already in: say so, never "counted" for
      // selections that were not recorded (a browser that kept its key but lost its receipt).
      const stored: StoredReceipt = {
        receipt: res.receipt,
        joinCode: election.joinCode,
        castAt: new Date().toISOString(),
        ...(res.replayed === true && { firstStands: true }),
      };
      receipts.set(election.id, stored);
      ballotDrafts.clear(election.id);
      setJustCast(true);
      setReceipt(stored);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'already_voted') setAlreadyVoted(true);
      if (err instanceof ApiError && err.status === 401 && rollToken) {
        // The code's token is no longer accepted (its code was reissued): back to the door.
        rollTokens.set(election.id, null);
        setRollToken(null);
        setElection(null);
        setUser(null);
      }
      throw err;
    }
  }

  async function signOut() {
    await api.logout().catch(() => undefined);
    setSessionToken(null);
    setUser(null);
    setStanding(null);
    if (election?.access === 'roll' && !rollToken) setElection(null);
  }

  let main: ReactNode;
  if (receipt) {
    main = <ReceiptCard receipt={receipt} focusOnShow={justCast} />;
  } else if (alreadyVoted || standing?.voted) {
    main = (
      <div data-testid="you-have-voted">
        <InfoNotice>{standing?.voted ? t.vote.youHaveVoted : t.vote.alreadyVoted}</InfoNotice>
      </div>
    );
  } else if (standing?.reason === 'not_on_allowlist' || standing?.reason === 'not_on_roll') {
    main = (
      <div data-testid="not-eligible">
        <InfoNotice>
          {election.access === 'roll' ? t.vote.notOnRoll : t.vote.notOnAllowlist}
        </InfoNotice>
      </div>
    );
  } else if (status === 'draft') {
    main = <InfoNotice>{t.vote.draft}</InfoNotice>;
  } else if (status === 'scheduled') {
    main = <InfoNotice>{t.vote.notOpenYet}</InfoNotice>;
  } else if (status === 'closed') {
    main = <InfoNotice>{t.vote.closed}</InfoNotice>;
  } else if (election.access === 'accounts' && user === undefined) {
    main = <Loading />;
  } else if (election.access === 'accounts' && !user) {
    main = (
      <>
        <InfoNotice>{t.vote.accountsRequired}</InfoNotice>
        <AuthForm title={t.auth.signIn} allowRegister onSignedIn={() => void load()} />
      </>
    );
  } else {
    main = (
      <>
        {user && (
          <p className="signed-in">
            {t.vote.signedInAs(user.name)}{' '}
            <button type="button" className="btn btn-link" onClick={() => void signOut()}>
              {t.vote.signOut}
            </button>
          </p>
        )}
        <Ballot election={election} onSubmit={submit} />
      </>
    );
  }

  return (
    <div className="vote-page">
      <header className="election-head">
        <div>
          <h1>{election.title}</h1>
          {election.description && <p className="lead">{election.description}</p>}
        </div>
        <div className="election-meta">
          <span className={`status status-${status}`}>{t.status[status]}</span>
          <ConnectionBadge />
          {status === 'scheduled' && opensAt && (
            <Countdown target={opensAt} kind="opens" onElapsed={refresh} />
          )}
          {status === 'open' && closesAt && (
            <Countdown target={closesAt} kind="closes" onElapsed={refresh} />
          )}
          {(status === 'scheduled' || status === 'open') && (
            <ScheduleTimes opensAt={status === 'scheduled' ? opensAt : null} closesAt={closesAt} />
          )}
        </div>
      </header>
      <div className="vote-layout">
        <div className="vote-main">{main}</div>
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
