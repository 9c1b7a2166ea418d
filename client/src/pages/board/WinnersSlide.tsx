// The winners slide shown at close: every position's winners in large type, and the candidates
// tied for the last seat, by the same rule as the badges.
import type { Election, Results } from '@tallyboard/shared';
import { CandidatePhoto } from '../../components/CandidatePhoto';
import { rankPosition } from '../../components/TallyBars';
import { t } from '../../i18n';

export function WinnersSlide({ election, results }: { election: Election; results: Results }) {
  const byId = new Map(results.positions.map((p) => [p.id, p]));
  const many = election.positions.length > 4;
  return (
    <section
      className={`winners-slide${many ? ' is-many' : ''}`}
      data-testid="winners-slide"
      aria-labelledby="winners-title"
    >
      <h2 id="winners-title">{t.board.winnersTitle}</h2>
      {results.ballots === 0 ? (
        <p className="winners-none" data-testid="no-ballots">
          {t.tally.noBallots}
        </p>
      ) : (
        <div className="winners-grid">
          {election.positions.map((p) => {
            const ranked = new Map(rankPosition(p, byId.get(p.id)).map((c) => [c.id, c]));
            const winners = p.candidates.filter((c) => ranked.get(c.id)?.winner);
            const tied = p.candidates.filter((c) => ranked.get(c.id)?.tied);
            return (
              <article key={p.id} className="winners-position" data-testid="winners-position">
                <h3 title={p.title}>{p.title}</h3>
                <ul>
                  {winners.map((c) => (
                    <li key={c.id} className="winner-name" data-testid="winners-winner">
                      {!many && <CandidatePhoto name={c.name} url={c.photoUrl} size="sm" />}
                      <span title={c.name}>{c.name}</span>
                      <span className="num">{t.tally.votes(ranked.get(c.id)?.votes ?? 0)}</span>
                    </li>
                  ))}
                </ul>
                {tied.length > 0 && (
                  <p className="tie-note" data-testid="winners-tie">
                    {t.board.tiedForSeat(tied.map((c) => c.name))}
                  </p>
                )}
                {winners.length === 0 && tied.length === 0 && (
                  <p className="muted">{t.tally.noVotesInPosition}</p>
                )}
              </article>
            );
          })}
        </div>
      )}
    </section>
  );
}
