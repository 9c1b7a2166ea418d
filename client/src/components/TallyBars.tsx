// Bars for one position: votes and share of ballots per candidate, in ballot order so rows never
// jump; winners and ties are marked once results are final. Bars scale inside fixed tracks, so an
// update never shifts the layout.
import type { CSSProperties } from 'react';
import type { Position, PositionResult } from '@tallyboard/shared';
import { t } from '../i18n';
import { formatPercent, percentOf } from '../tally';
import { AnimatedNumber } from './AnimatedNumber';
import { CandidatePhoto } from './CandidatePhoto';

interface Props {
  position: Position;
  result: PositionResult | undefined;
  ballots: number;
  final: boolean;
  variant?: 'compact' | 'board';
  headingLevel?: 2 | 3;
}

export function TallyBars({
  position,
  result,
  ballots,
  final,
  variant = 'compact',
  headingLevel = 3,
}: Props) {
  const byId = new Map((result?.candidates ?? []).map((c) => [c.id, c]));
  const anyTie = final && (result?.candidates ?? []).some((c) => c.tied);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const columns =
    variant === 'board' ? Math.min(3, Math.max(1, Math.ceil(position.candidates.length / 10))) : 1;
  const headingId = `tally-${position.id}`;
  return (
    <section className={`tally tally-${variant}`} aria-labelledby={headingId} data-testid="tally">
      <header className="tally-head">
        <Heading id={headingId} className="tally-title">
          {position.title}
        </Heading>
        <span className="tally-sub">{t.tally.winnersCount(position.winners)}</span>
      </header>
      <ol
        className={`bars bars-cols-${columns}`}
        style={{ '--rows': Math.ceil(position.candidates.length / columns) } as CSSProperties}
      >
        {position.candidates.map((c) => {
          const r = byId.get(c.id);
          const votes = r?.votes ?? 0;
          const pct = percentOf(votes, ballots);
          const winner = final && !!r?.winner;
          const tied = final && !!r?.tied;
          return (
            <li
              key={c.id}
              className={`bar-row${winner ? ' is-winner' : ''}${tied ? ' is-tied' : ''}`}
              data-testid="bar-row"
              data-candidate={c.name}
              data-votes={votes}
            >
              {variant === 'board' && <CandidatePhoto name={c.name} url={c.photoUrl} size="sm" />}
              <span className="bar-name">
                <span className="bar-name-text">{c.name}</span>
                {winner && <span className="badge badge-winner">{t.tally.winner}</span>}
                {tied && <span className="badge badge-tie">{t.tally.tie}</span>}
              </span>
              <span className="bar-figures">
                <AnimatedNumber value={votes} className="bar-votes" />
                <span
                  className="bar-pct num"
                  aria-label={`${formatPercent(pct)} ${t.tally.percentOfBallots}`}
                >
                  {formatPercent(pct)}
                </span>
              </span>
              <span className="bar-track" aria-hidden="true">
                <span className="bar-fill" style={{ transform: `scaleX(${pct / 100})` }} />
              </span>
            </li>
          );
        })}
      </ol>
      {anyTie && <p className="tie-note">{t.tally.tieNote}</p>}
    </section>
  );
}
