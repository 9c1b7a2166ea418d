// One position on the board, fitted to the space it is given: rows grow to fill the height with
// few candidates, columns come in before anything gets small, and past that the candidates page
// through on their own ("1-20 of 40"). Names that do not fit are shortened so none read alike,
// and the Winner/Tie badge is its own element beside the name, never cut with it.
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type RefObject,
} from 'react';
import type { Position, PositionResult } from '@tallyboard/shared';
import { CandidatePhoto } from '../../components/CandidatePhoto';
import { BarFigures, NO_BAR, positionBars, ResultBadge } from '../../components/TallyBars';
import { t } from '../../i18n';
import { boardLayout, fitNames } from './fit';

/** How long a page of candidates stays before the next one, when they need pages. */
export const PAGE_MS = 8000;

interface Props {
  position: Position;
  result: PositionResult | undefined;
  ballots: number;
  final: boolean;
}

export function BoardTally({ position, result, ballots, final }: Props) {
  const areaRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const space = useSize(areaRef);
  const n = position.candidates.length;
  const layout = boardLayout(n, space, window.innerHeight);
  const [page, setPage] = useState(0);
  const pages = layout.pages;

  useEffect(() => {
    if (pages <= 1) return;
    const timer = setInterval(() => setPage((p) => (p + 1) % pages), PAGE_MS);
    return () => clearInterval(timer);
  }, [pages]);
  const current = Math.min(page, pages - 1);
  const from = current * layout.perPage;
  const shownCandidates = position.candidates.slice(from, from + layout.perPage);

  const bars = positionBars(position, result, ballots, final);
  const anyTie = [...bars.values()].some((b) => b.tied);
  const noVotes = final && ballots > 0 && [...bars.values()].every((b) => b.votes === 0);
  const names = useFittedNames(listRef, shownCandidates, [layout, space.width, final, current]);
  const headingId = `board-tally-${position.id}`;

  return (
    <section className="tally tally-board" aria-labelledby={headingId} data-testid="tally">
      <header className="tally-head">
        <h2 id={headingId} className="tally-title" title={position.title}>
          {position.title}
        </h2>
        <span className="tally-sub">
          {t.tally.winnersCount(position.winners)}
          {pages > 1 && (
            <span className="board-page num" data-testid="board-page">
              {t.board.pageOf(from + 1, from + shownCandidates.length, n)}
            </span>
          )}
        </span>
      </header>
      <div className="board-bars" ref={areaRef}>
        <ol
          ref={listRef}
          className="bars"
          data-columns={layout.columns}
          style={
            {
              '--row': `${layout.rowHeight}px`,
              gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`,
              gridTemplateRows: `repeat(${layout.rows}, var(--row))`,
            } as CSSProperties
          }
        >
          {shownCandidates.map((c, i) => {
            const { votes, pct, winner, tied } = bars.get(c.id) ?? NO_BAR;
            return (
              <li
                key={c.id}
                className={`bar-row${winner ? ' is-winner' : ''}${tied ? ' is-tied' : ''}`}
                data-testid="bar-row"
                data-candidate={c.name}
                data-votes={votes}
              >
                <CandidatePhoto name={c.name} url={c.photoUrl} size="sm" />
                <span className="bar-name">
                  <span className="bar-name-text" title={c.name} aria-label={c.name}>
                    {names[i] ?? c.name}
                  </span>
                  <ResultBadge winner={winner} tied={tied} />
                </span>
                <BarFigures votes={votes} pct={pct} />
              </li>
            );
          })}
        </ol>
      </div>
      {(anyTie || noVotes) && (
        <p className={anyTie ? 'tie-note' : 'no-votes'}>
          {anyTie ? t.tally.tieNote : t.tally.noVotesInPosition}
        </p>
      )}
    </section>
  );
}

/** The element's content size, kept up to date. */
function useSize(ref: RefObject<HTMLElement | null>) {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => {
      const next = { width: el.clientWidth, height: el.clientHeight };
      setSize((s) => (s.width === next.width && s.height === next.height ? s : next));
    };
    read();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

let canvas: HTMLCanvasElement | null = null;

/**
 * The names as the rows can show them: measured in the font they are drawn in, against the room
 * each row leaves beside its badge.
 */
function useFittedNames(
  listRef: RefObject<HTMLOListElement | null>,
  candidates: Position['candidates'],
  deps: unknown[],
): string[] {
  const [fitted, setFitted] = useState<string[]>([]);
  const names = candidates.map((c) => c.name);
  useLayoutEffect(() => {
    const rows = [...(listRef.current?.querySelectorAll<HTMLElement>('.bar-name') ?? [])];
    const text = rows[0]?.querySelector<HTMLElement>('.bar-name-text');
    canvas ??= document.createElement('canvas');
    const ctx = canvas.getContext?.('2d');
    if (!text || !ctx) return;
    ctx.font = getComputedStyle(text).font;
    const widths = rows.map((row) => {
      const badge = row.querySelector<HTMLElement>('.badge');
      const gap = parseFloat(getComputedStyle(row).columnGap) || 0;
      // A pixel of slack: the canvas and the layout round differently.
      return row.clientWidth - (badge ? badge.offsetWidth + gap : 0) - 2;
    });
    const next = fitNames(names, widths, (s) => ctx.measureText(s).width);
    setFitted((prev) => (prev.join('\n') === next.join('\n') ? prev : next));
  }, [names.join('\n'), ...deps]);
  return fitted.length === names.length ? fitted : names;
}
