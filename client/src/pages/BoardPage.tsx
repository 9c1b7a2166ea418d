// `/board/:id`: the presenter board. One position at a time in big bars fitted to the screen,
// the join QR code and short code, turnout, viewers and the countdown. The presenter drives it
// from the keyboard or from controls that show only while the pointer moves: F full screen,
// ←/→ position, H hide or reveal results (a curtain), W winners slide, Q join code, T theme.
// Results show only when they are public, even in an admin's browser, unless revealed.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { QRCodeSVG } from 'qrcode.react';
import { errorText } from '../api';
import { AnimatedNumber } from '../components/AnimatedNumber';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { Countdown } from '../components/Countdown';
import { ErrorNotice, Loading } from '../components/Notice';
import { t } from '../i18n';
import { eligibleOf } from '../tally';
import { useElection } from '../useElection';
import { currentSchedule } from '../live/election-state';
import { useElectionLive } from '../live/hooks';
import { BoardTally } from './board/BoardTally';
import { usePointerActive } from './board/usePointerActive';
import { WinnersSlide } from './board/WinnersSlide';

type Theme = 'dark' | 'light';
const THEME_KEY = 'tb.boardTheme';

function storedTheme(): Theme {
  try {
    return window.localStorage.getItem(THEME_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export function BoardPage() {
  const { id = '' } = useParams();
  const { election, error, load } = useElection(id);
  const [index, setIndex] = useState(0);
  const [theme, setTheme] = useState<Theme>(storedTheme);
  // The presenter's explicit choices; null follows the election (visibility, status).
  const [reveal, setReveal] = useState<boolean | null>(null);
  const [joinShown, setJoinShown] = useState<boolean | null>(null);
  const [winnersSlide, setWinnersSlide] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const controlsVisible = usePointerActive();

  const live = useElectionLive(election?.id);
  const count = election?.positions.length ?? 0;
  const status = election ? currentSchedule(election, live).status : 'draft';
  const results = live.results;
  const final = !!results?.final || (status === 'closed' && !!results);
  const isPublic =
    election?.resultsVisibility === 'live' ||
    (election?.resultsVisibility === 'after_close' && status === 'closed');
  const showResults = reveal ?? isPublic;
  const showJoin = joinShown ?? status !== 'closed';

  const go = useCallback(
    (delta: number) => setIndex((i) => (count === 0 ? 0 : (i + delta + count) % count)),
    [count],
  );
  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void rootRef.current?.requestFullscreen?.().catch(() => undefined);
  }, []);
  const toggleTheme = useCallback(() => {
    setTheme((th) => {
      const next = th === 'dark' ? 'light' : 'dark';
      try {
        window.localStorage.setItem(THEME_KEY, next);
      } catch {
        /* not persisted */
      }
      return next;
    });
  }, []);
  const toggleCurtain = useCallback(() => setReveal(!showResults), [showResults]);
  const toggleJoin = useCallback(() => setJoinShown(!showJoin), [showJoin]);
  const toggleWinners = useCallback(() => setWinnersSlide((w) => final && !w), [final]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const key = e.key.toLowerCase();
      if (key === 'f') toggleFullscreen();
      else if (key === 't') toggleTheme();
      else if (key === 'h') toggleCurtain();
      else if (key === 'q') toggleJoin();
      else if (key === 'w') toggleWinners();
      else if (key === 'escape' && winnersSlide) setWinnersSlide(false);
      else if (e.key === 'ArrowRight') go(1);
      else if (e.key === 'ArrowLeft') go(-1);
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, toggleFullscreen, toggleTheme, toggleCurtain, toggleJoin, toggleWinners, winnersSlide]);

  // Keep the current position's tab in view when ←/→ walk past the visible ones.
  useEffect(() => {
    rootRef.current
      ?.querySelector('.tab.is-current')
      ?.scrollIntoView?.({ block: 'nearest', inline: 'center', behavior: 'smooth' });
  }, [index]);

  useEffect(() => {
    if (election) document.title = `${election.title} · ${t.appName}`;
  }, [election]);

  if (error) {
    return (
      <div className="board" data-theme={theme}>
        <ErrorNotice onRetry={() => void load()}>{errorText(error, t.errors)}</ErrorNotice>
      </div>
    );
  }
  if (!election) {
    return (
      <div className="board" data-theme={theme}>
        <Loading />
      </div>
    );
  }

  const { opensAt, closesAt } = currentSchedule(election, live);
  const current = Math.min(index, count - 1);
  const position = election.positions[current];
  const joinUrl = `${window.location.origin}/vote/${election.joinCode}`;
  const eligible = eligibleOf(results, election);
  const slide = winnersSlide && final && showResults && results;

  let body;
  if (slide) {
    body = <WinnersSlide election={election} results={results} />;
  } else if (!showResults || (!results && live.hidden)) {
    body = (
      <div className="board-curtain" data-testid="board-curtain">
        <p>
          {reveal === false
            ? t.board.curtain
            : election.resultsVisibility === 'admin_only'
              ? t.board.adminOnly
              : t.board.hidden}
        </p>
      </div>
    );
  } else if (position && results) {
    body = (
      <>
        {final && results.ballots === 0 && (
          <p className="board-no-ballots" data-testid="no-ballots">
            {t.tally.noBallots}
          </p>
        )}
        <BoardTally
          key={position.id}
          position={position}
          result={results.positions.find((p) => p.id === position.id)}
          ballots={results.ballots}
          final={final}
        />
      </>
    );
  } else {
    body = <Loading />;
  }

  return (
    <div
      className={`board${controlsVisible ? ' is-pointer-active' : ''}`}
      data-theme={theme}
      ref={rootRef}
      data-testid="board"
    >
      <header className="board-head">
        <div className="board-title">
          <h1 title={election.title}>{election.title}</h1>
          <p className="board-sub">
            <span className={`status status-${status}`}>{t.status[status]}</span>
            {count > 1 && !slide && (
              <span className="num">{t.board.position(current + 1, count)}</span>
            )}
            <ConnectionBadge />
          </p>
        </div>
        <dl className="board-stats">
          <div>
            <dt>{t.tally.ballots}</dt>
            <dd data-testid="board-ballots">
              {results ? (
                <AnimatedNumber value={results.ballots} />
              ) : (
                <span className="num">–</span>
              )}
            </dd>
            {eligible !== null && (
              <dd className="board-eligible" data-testid="board-eligible">
                {t.board.ofEligible(eligible)}
              </dd>
            )}
          </div>
          <div>
            <dt>{t.tally.viewers}</dt>
            <dd data-testid="board-viewers">
              <AnimatedNumber value={live.viewers ?? 0} />
            </dd>
          </div>
          <div className="board-clock">
            {status === 'open' && closesAt && <Countdown target={closesAt} kind="closes" />}
            {status === 'scheduled' && opensAt && <Countdown target={opensAt} kind="opens" />}
            {status === 'closed' && <p className="final-banner">{t.board.finalBanner}</p>}
          </div>
        </dl>
      </header>

      <div className={`board-body${showJoin ? '' : ' no-join'}`}>
        <main className="board-main">
          {count > 1 && !slide && (
            <nav className="board-tabs" aria-label={t.board.positionsNav}>
              <ol>
                {election.positions.map((p, i) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className={`tab${i === current ? ' is-current' : ''}`}
                      aria-current={i === current ? 'true' : undefined}
                      onClick={() => setIndex(i)}
                    >
                      {p.title}
                    </button>
                  </li>
                ))}
              </ol>
            </nav>
          )}
          {body}
        </main>

        {showJoin && (
          <aside className="board-join" aria-label={t.board.scanToVote} data-testid="board-join">
            <p className="board-join-title">{t.board.scanToVote}</p>
            <div className="qr">
              <QRCodeSVG value={joinUrl} size={220} marginSize={2} title={joinUrl} />
            </div>
            <p className="board-join-url">
              {t.board.orGoTo} <strong>{window.location.host}</strong>
            </p>
            <p className="board-code-label">{t.board.code}</p>
            <p className="board-code" data-testid="board-code">
              {election.joinCode}
            </p>
          </aside>
        )}
      </div>

      <nav className="board-controls" aria-label={t.board.controls} data-testid="board-controls">
        {count > 1 && (
          <>
            <button type="button" className="btn btn-secondary" onClick={() => go(-1)}>
              ← <span className="visually-hidden">{t.board.prev}</span>
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => go(1)}>
              → <span className="visually-hidden">{t.board.next}</span>
            </button>
          </>
        )}
        <button
          type="button"
          className="btn btn-secondary"
          aria-pressed={!showResults}
          onClick={toggleCurtain}
        >
          {showResults ? t.board.hideResults : t.board.revealResults}
        </button>
        {final && (
          <button
            type="button"
            className="btn btn-secondary"
            aria-pressed={winnersSlide}
            onClick={toggleWinners}
          >
            {winnersSlide ? t.board.backToBars : t.board.winnersSlide}
          </button>
        )}
        <button
          type="button"
          className="btn btn-secondary"
          aria-pressed={showJoin}
          onClick={toggleJoin}
        >
          {showJoin ? t.board.hideJoin : t.board.showJoin}
        </button>
        <button type="button" className="btn btn-secondary" onClick={toggleFullscreen}>
          {t.board.fullscreen}
        </button>
        <button type="button" className="btn btn-secondary" onClick={toggleTheme}>
          {t.board.theme}
        </button>
        <span className="board-keys">{t.board.keysHelp}</span>
      </nav>
    </div>
  );
}
