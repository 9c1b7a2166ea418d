// `/board/:id`: the presenter board. One position at a time in big bars, with the join QR code and
// short code, total ballots, viewers and the countdown. Keys: F full screen, ←/→ position, T theme.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { QRCodeSVG } from 'qrcode.react';
import { errorText } from '../api';
import { AnimatedNumber } from '../components/AnimatedNumber';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { Countdown } from '../components/Countdown';
import { ErrorNotice, Loading } from '../components/Notice';
import { TallyBars } from '../components/TallyBars';
import { t } from '../i18n';
import { useElection } from '../useElection';
import { currentSchedule } from '../live/election-state';
import { useElectionLive } from '../live/hooks';

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
  const rootRef = useRef<HTMLDivElement>(null);

  const live = useElectionLive(election?.id);
  const count = election?.positions.length ?? 0;
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

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (e.key === 'f' || e.key === 'F') toggleFullscreen();
      else if (e.key === 't' || e.key === 'T') toggleTheme();
      else if (e.key === 'ArrowRight') go(1);
      else if (e.key === 'ArrowLeft') go(-1);
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, toggleFullscreen, toggleTheme]);

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

  const { status, opensAt, closesAt } = currentSchedule(election, live);
  const position = election.positions[Math.min(index, count - 1)];
  const results = live.results;
  const final = !!results?.final || (status === 'closed' && !!results);
  const joinUrl = `${window.location.origin}/vote/${election.joinCode}`;

  return (
    <div className="board" data-theme={theme} ref={rootRef} data-testid="board">
      <header className="board-head">
        <div className="board-title">
          <h1>{election.title}</h1>
          <p className="board-sub">
            <span className={`status status-${status}`}>{t.status[status]}</span>
            {count > 1 && (
              <span className="num">{t.board.position(Math.min(index, count - 1) + 1, count)}</span>
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

      <div className="board-body">
        <main className="board-main">
          {count > 1 && (
            <nav className="board-tabs" aria-label={t.board.positionsNav}>
              <button
                type="button"
                className="icon-btn"
                onClick={() => go(-1)}
                aria-label={t.board.prev}
              >
                ←
              </button>
              <ol>
                {election.positions.map((p, i) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className={`tab${i === index ? ' is-current' : ''}`}
                      aria-current={i === index ? 'true' : undefined}
                      onClick={() => setIndex(i)}
                    >
                      {p.title}
                    </button>
                  </li>
                ))}
              </ol>
              <button
                type="button"
                className="icon-btn"
                onClick={() => go(1)}
                aria-label={t.board.next}
              >
                →
              </button>
            </nav>
          )}
          {position && results ? (
            <TallyBars
              key={position.id}
              position={position}
              result={results.positions.find((p) => p.id === position.id)}
              ballots={results.ballots}
              final={final}
              variant="board"
              headingLevel={2}
            />
          ) : live.hidden ? (
            <p className="board-hidden">
              {election.resultsVisibility === 'admin_only' ? t.board.adminOnly : t.board.hidden}
            </p>
          ) : (
            <Loading />
          )}
        </main>

        <aside className="board-join" aria-label={t.board.scanToVote}>
          {status !== 'closed' && (
            <>
              <p className="board-join-title">{t.board.scanToVote}</p>
              <div className="qr">
                <QRCodeSVG value={joinUrl} size={220} marginSize={2} title={joinUrl} />
              </div>
              <p className="board-join-url">
                {t.board.orGoTo} <strong>{window.location.host}</strong>
              </p>
            </>
          )}
          <p className="board-code-label">{t.board.code}</p>
          <p className="board-code" data-testid="board-code">
            {election.joinCode}
          </p>
          <div className="board-tools">
            <button type="button" className="btn btn-secondary" onClick={toggleFullscreen}>
              {t.board.fullscreen}
            </button>
            <button type="button" className="btn btn-secondary" onClick={toggleTheme}>
              {t.board.theme}
            </button>
          </div>
          <p className="board-keys">{t.board.keysHelp}</p>
        </aside>
      </div>
    </div>
  );
}
