// Bars for one position: votes and share of ballots per candidate, in ballot order so rows never
// jump; winners and ties are marked once results are final, by the shared rule (`rankPosition`).
// Bars scale inside fixed tracks, so an update never shifts the layout; a badge sits beside the
// name, never inside its truncated text.
import { rankCandidates, type Position, type PositionResult } from '@tallyboard/shared';
import { t } from '../i18n';
import { formatPercent, percentOf } from '../tally';
import { AnimatedNumber } from './AnimatedNumber';

interface Props {
  position: Position;
  result: PositionResult | undefined;
  ballots: number;
  final: boolean;
  headingLevel?: 2 | 3;
}

export function TallyBars({ position, result, ballots, final, headingLevel = 3 }: Props) {
  const bars = positionBars(position, result, ballots, final);
  const anyTie = [...bars.values()].some((b) => b.tied);
  const noVotes = final && [...bars.values()].every((b) => b.votes === 0);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `tally-${position.id}`;
  return (
    <section className="tally tally-compact" aria-labelledby={headingId} data-testid="tally">
      <header className="tally-head">
        <Heading id={headingId} className="tally-title">
          {position.title}
        </Heading>
        <span className="tally-sub">{t.tally.winnersCount(position.winners)}</span>
      </header>
      <ol className="bars">
        {position.candidates.map((c) => {
          const { votes, pct, winner, tied } = bars.get(c.id) ?? NO_BAR;
          return (
            <li
              key={c.id}
              className={`bar-row${winner ? ' is-winner' : ''}${tied ? ' is-tied' : ''}`}
              data-testid="bar-row"
              data-candidate={c.name}
              data-votes={votes}
            >
              <span className="bar-name">
                <span className="bar-name-text" title={c.name}>
                  {c.name}
                </span>
                <ResultBadge winner={winner} tied={tied} />
              </span>
              <BarFigures votes={votes} pct={pct} />
            </li>
          );
        })}
      </ol>
      {anyTie && <p className="tie-note">{t.tally.tieNote}</p>}
      {noVotes && <p className="muted no-votes">{t.tally.noVotesInPosition}</p>}
    </section>
  );
}

/**
 * Rank, winner and tie of every candidate of the position from its votes, by the rule the server
 * uses too: the badges never depend on flags computed elsewhere.
 */
export function rankPosition(position: Position, result: PositionResult | undefined) {
  const votes = new Map((result?.candidates ?? []).map((c) => [c.id, c.votes]));
  return rankCandidates(
    position.candidates.map((c) => ({ id: c.id, votes: votes.get(c.id) ?? 0 })),
    position.winners,
  );
}

export interface BarStanding {
  votes: number;
  /** Percent of ballots cast. */
  pct: number;
  /** Only once results are final. */
  winner: boolean;
  tied: boolean;
}

export const NO_BAR: BarStanding = { votes: 0, pct: 0, winner: false, tied: false };

/** Each candidate's bar, by id: what the ballot page and the board both draw. */
export function positionBars(
  position: Position,
  result: PositionResult | undefined,
  ballots: number,
  final: boolean,
): Map<string, BarStanding> {
  return new Map(
    rankPosition(position, result).map((r) => [
      r.id,
      {
        votes: r.votes,
        pct: percentOf(r.votes, ballots),
        winner: final && r.winner,
        tied: final && r.tied,
      },
    ]),
  );
}

/** The Winner or Tie badge: its own element that never shrinks, beside a name that may. */
export function ResultBadge({ winner, tied }: { winner: boolean; tied: boolean }) {
  if (winner) return <span className="badge badge-winner">{t.tally.winner}</span>;
  if (tied) return <span className="badge badge-tie">{t.tally.tie}</span>;
  return null;
}

/** A bar's figures (votes, percent of ballots) and its track: the same on the ballot page and the board. */
export function BarFigures({ votes, pct }: { votes: number; pct: number }) {
  return (
    <>
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
    </>
  );
}
