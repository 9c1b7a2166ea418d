// The final ranking of each position once the election is closed, winners and ties marked.
import type { Election, Results } from '@tallyboard/shared';
import { PositionCounts } from '../../../components/PositionCounts';
import { t } from '../../../i18n';
import { formatPercent, percentOf } from '../../../tally';

const td = t.admin.detail;

export function FinalResults({ election, results }: { election: Election; results: Results }) {
  return (
    <section aria-labelledby="final-title" className="final" data-testid="final-results">
      <h3 id="final-title">{td.finalResults}</h3>
      {election.positions.map((p) => {
        const r = results.positions.find((x) => x.id === p.id);
        const names = new Map(p.candidates.map((c) => [c.id, c.name]));
        const ranked = [...(r?.candidates ?? [])].sort(
          (a, b) => a.rank - b.rank || b.votes - a.votes,
        );
        return (
          <div key={p.id} className="card">
            <div className="table-wrap">
              <table className="table">
                <caption>
                  {p.title} · {td.ranking} · {t.tally.winnersCount(p.winners)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" className="numeric">
                      {t.tally.rank}
                    </th>
                    <th scope="col">{t.tally.candidateHeader}</th>
                    <th scope="col" className="numeric">
                      {t.tally.votesHeader}
                    </th>
                    <th scope="col" className="numeric">
                      %
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{t.tally.winner}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ranked.map((c) => (
                    <tr key={c.id} className={c.winner ? 'is-winner' : undefined}>
                      <td className="numeric num">{c.rank}</td>
                      <th scope="row">{names.get(c.id) ?? c.id}</th>
                      <td className="numeric num">{c.votes}</td>
                      <td className="numeric num">
                        {formatPercent(percentOf(c.votes, results.ballots))}
                      </td>
                      <td>
                        {c.winner && <span className="badge badge-winner">{t.tally.winner}</span>}{' '}
                        {c.tied && <span className="badge badge-tie">{t.tally.tie}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {ranked.some((c) => c.tied) && <p className="tie-note">{t.tally.tieNote}</p>}
            <PositionCounts position={p} result={r} />
          </div>
        );
      })}
    </section>
  );
}
