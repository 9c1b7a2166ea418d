// The live monitor: the board's data for the admin, plus viewers, participation per position and
// ballots in the last minute.
import type { Election, Results } from '@tallyboard/shared';
import { AnimatedNumber } from '../../../components/AnimatedNumber';
import { Loading } from '../../../components/Notice';
import { TallyBars } from '../../../components/TallyBars';
import { t } from '../../../i18n';
import { eligibleOf } from '../../../tally';
import { useBallotsInLastMinute } from './ballot-rate';

const td = t.admin.detail;

export function Monitor({
  election,
  results,
  viewers,
  final,
}: {
  election: Election;
  results: Results | null;
  viewers: number | null;
  final: boolean;
}) {
  const perMinute = useBallotsInLastMinute(results?.ballots ?? null);
  const eligible = eligibleOf(results, election);
  const byId = new Map((results?.positions ?? []).map((p) => [p.id, p]));
  return (
    <section className="monitor" aria-labelledby="monitor-title" data-testid="monitor">
      <h3 id="monitor-title">{td.monitor}</h3>
      <dl className="stats stats-big">
        <div>
          <dt>{t.tally.ballots}</dt>
          <dd data-testid="monitor-ballots">
            <AnimatedNumber value={results?.ballots ?? 0} />
          </dd>
        </div>
        {eligible !== null && (
          <div>
            <dt>{td.turnout}</dt>
            <dd data-testid="monitor-turnout">
              <span className="num">{td.turnoutValue(results?.ballots ?? 0, eligible)}</span>
            </dd>
          </div>
        )}
        <div>
          <dt>{t.tally.viewers}</dt>
          <dd>
            <AnimatedNumber value={viewers ?? 0} />
          </dd>
        </div>
        <div>
          <dt>{td.ballotsPerMinute}</dt>
          <dd data-testid="monitor-per-minute">
            <AnimatedNumber value={perMinute} />
          </dd>
        </div>
      </dl>
      <h4>{td.participation}</h4>
      <ul className="participation">
        {election.positions.map((p) => {
          // Voters, not votes: a ballot choosing two council members is one participant.
          const r = byId.get(p.id);
          const ballots = results?.ballots ?? 0;
          const voters = r ? Math.max(0, ballots - r.blank - r.abstained) : 0;
          return (
            <li key={p.id} data-testid="participation-row">
              <span>{p.title}</span>
              <span className="num">{td.votersInPosition(voters, ballots)}</span>
            </li>
          );
        })}
      </ul>
      {!results ? (
        <Loading />
      ) : (
        <div className="monitor-grid">
          {election.positions.map((p) => (
            <div className="card" key={p.id}>
              <TallyBars
                position={p}
                result={byId.get(p.id)}
                ballots={results.ballots}
                final={final || results.final}
                headingLevel={3}
              />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
