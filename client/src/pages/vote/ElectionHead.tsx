// The ballot page's heading: the election, its live status, the connection and the time left.
import type { Election } from '@tallyboard/shared';
import { ConnectionBadge } from '../../components/ConnectionBadge';
import { Countdown } from '../../components/Countdown';
import { ScheduleTimes } from '../../components/ScheduleTimes';
import { t } from '../../i18n';
import type { ElectionSchedule } from '../../live/election-state';

interface Props {
  election: Election;
  /** The live schedule, which may have moved on since the election was fetched. */
  schedule: ElectionSchedule;
  /** A countdown ran out. */
  onElapsed: () => void;
}

export function ElectionHead({ election, schedule, onElapsed }: Props) {
  const { status, opensAt, closesAt } = schedule;
  return (
    <header className="election-head">
      <div>
        <h1>{election.title}</h1>
        {election.description && <p className="lead">{election.description}</p>}
      </div>
      <div className="election-meta">
        <span className={`status status-${status}`}>{t.status[status]}</span>
        <ConnectionBadge />
        {status === 'scheduled' && opensAt && (
          <Countdown target={opensAt} kind="opens" onElapsed={onElapsed} />
        )}
        {status === 'open' && closesAt && (
          <Countdown target={closesAt} kind="closes" onElapsed={onElapsed} />
        )}
        {(status === 'scheduled' || status === 'open') && (
          <ScheduleTimes opensAt={status === 'scheduled' ? opensAt : null} closesAt={closesAt} />
        )}
      </div>
    </header>
  );
}
