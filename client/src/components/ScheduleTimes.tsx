// When a scheduled election opens and closes, in the viewer's time zone and language, with the
// zone named, so "Closes in 2:00:00" is never the only clue to a time.
import { formatDateTime, t } from '../i18n';

export function ScheduleTimes({
  opensAt,
  closesAt,
}: {
  opensAt: string | null;
  closesAt: string | null;
}) {
  if (!opensAt && !closesAt) return null;
  return (
    <p className="schedule-times" data-testid="schedule-times">
      {opensAt && (
        <time dateTime={opensAt} data-testid="opens-at">
          {t.countdown.opensAt(formatDateTime(opensAt))}
        </time>
      )}
      {closesAt && (
        <time dateTime={closesAt} data-testid="closes-at">
          {t.countdown.closesAt(formatDateTime(closesAt))}
        </time>
      )}
    </p>
  );
}
