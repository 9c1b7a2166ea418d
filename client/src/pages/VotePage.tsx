// `/vote/:joinCode`: the ballot, or the receipt once voted (kept per election in localStorage so a
// reload shows it), with live results beside it when the election shows them.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Election, ElectionLobby, Selections, User } from '@tallyboard/shared';
import { api, ApiError, errorText } from '../api';
import { AuthForm } from '../components/AuthForm';
import { Ballot } from '../components/Ballot';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { Countdown } from '../components/Countdown';
import { ScheduleTimes } from '../components/ScheduleTimes';
import { ErrorNotice, InfoNotice, Loading } from '../components/Notice';
import { ResultsPanel } from '../components/ResultsPanel';
import { t } from '../i18n';
import { setSessionToken } from '../live/browser';
import { currentSchedule } from '../live/election-state';
import { useElectionLive } from '../live/hooks';
import { ballotDrafts, idempotencyKeyFor, receipts, type StoredReceipt } from '../storage';

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

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      // The lobby first: it says whether this visitor may enter, so an `accounts` election asks
      // for a sign-in without a refused request.
      const door = await api.getElectionLobby(joinCode);
      setLobby(door);
      if (!door.canEnter) return;
      const e = await api.getElectionByCode(joinCode);
      setElection(e);
      setReceipt(receipts.get(e.id));
      if (e.access === 'accounts') {
        setUser(await api.currentUser().catch(() => null));
      }
    } catch (err) {
      setLoadError(err);
    }
  }, [joinCode]);

  useEffect(() => {
    void load();
  }, [load]);

  const live = useElectionLive(election?.id);

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
    : lobby !== null && !lobby.canEnter;
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
      const res = await api.castBallot(election.id, selections, key, election.access === 'open');
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
      throw err;
    }
  }

  async function signOut() {
    await api.logout().catch(() => undefined);
    setSessionToken(null);
    setUser(null);
  }

  let main: ReactNode;
  if (receipt) {
    main = <ReceiptCard receipt={receipt} focusOnShow={justCast} />;
  } else if (alreadyVoted) {
    main = <InfoNotice>{t.vote.alreadyVoted}</InfoNotice>;
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
        <AuthForm title={t.auth.signIn} allowRegister onSignedIn={setUser} />
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

function ReceiptCard({ receipt, focusOnShow }: { receipt: StoredReceipt; focusOnShow: boolean }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The ballot the voter was on is gone: tell keyboard and screen reader users where they are.
  useEffect(() => {
    if (focusOnShow) headingRef.current?.focus();
  }, [focusOnShow]);
  async function copyCode() {
    try {
      await navigator.clipboard.writeText(receipt.receipt);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }
  const checkUrl = `/receipt?code=${encodeURIComponent(receipt.joinCode)}&receipt=${encodeURIComponent(receipt.receipt)}`;
  return (
    <section className="card receipt-card" aria-labelledby="receipt-heading" data-testid="receipt">
      <h2 id="receipt-heading" ref={headingRef} tabIndex={-1}>
        {receipt.firstStands ? t.vote.firstBallotStands : t.vote.receiptHeading}
      </h2>
      <p>{receipt.firstStands ? t.vote.firstBallotStandsLead : t.vote.receiptLead}</p>
      <p className="receipt-label" id="receipt-code-label">
        {t.vote.receiptLabel}
      </p>
      <div className="receipt-row">
        <output
          className="receipt-code"
          aria-labelledby="receipt-code-label"
          data-testid="receipt-code"
        >
          {receipt.receipt}
        </output>
        <button type="button" className="btn btn-secondary" onClick={() => void copyCode()}>
          {copy === 'copied' ? t.vote.copied : t.vote.copy}
        </button>
      </div>
      <p className="hint" role="status" aria-live="polite">
        {copy === 'failed' ? t.vote.copyFailed : ''}
      </p>
      <Link to={checkUrl}>{t.vote.checkReceipt}</Link>
    </section>
  );
}
