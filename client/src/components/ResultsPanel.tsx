// Results of every position of an election, or why there are none to show.
import type { Election, Results } from '@tallyboard/shared';
import { Fragment } from 'react';
import { t } from '../i18n';
import { AnimatedNumber } from './AnimatedNumber';
import { Loading } from './Notice';
import { PositionCounts } from './PositionCounts';
import { TallyBars } from './TallyBars';

interface Props {
  election: Election;
  results: Results | null;
  hidden: boolean;
  joined: boolean;
  heading: string;
  headingLevel?: 2 | 3;
  viewers?: number | null;
}

export function ResultsPanel({
  election,
  results,
  hidden,
  joined,
  heading,
  headingLevel = 2,
  viewers,
}: Props) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  let body;
  if (results) {
    const byId = new Map(results.positions.map((p) => [p.id, p]));
    body = (
      <>
        <dl className="stats">
          <div>
            <dt>{t.tally.ballots}</dt>
            <dd>
              <AnimatedNumber value={results.ballots} />
            </dd>
          </div>
          {viewers !== undefined && viewers !== null && (
            <div>
              <dt>{t.tally.viewers}</dt>
              <dd>
                <AnimatedNumber value={viewers} />
              </dd>
            </div>
          )}
        </dl>
        {results.final && results.ballots === 0 && (
          <p className="notice notice-info" data-testid="no-ballots">
            {t.tally.noBallots}
          </p>
        )}
        {election.positions.map((p) => (
          <Fragment key={p.id}>
            <TallyBars
              position={p}
              result={byId.get(p.id)}
              ballots={results.ballots}
              final={results.final}
              headingLevel={headingLevel === 2 ? 3 : 2}
            />
            <PositionCounts position={p} result={byId.get(p.id)} />
          </Fragment>
        ))}
      </>
    );
  } else if (hidden) {
    body = (
      <p className="muted">
        {election.resultsVisibility === 'after_close'
          ? t.vote.resultsAfterClose
          : t.vote.resultsHidden}
      </p>
    );
  } else if (!joined) {
    body = <Loading />;
  } else {
    body = <p className="muted">{t.tally.noResults}</p>;
  }
  return (
    <section className="card results-panel" aria-live="off" data-testid="results">
      <Heading>{heading}</Heading>
      {body}
    </section>
  );
}
