// The visible live / reconnecting / offline indicator.
import { t } from '../i18n';
import { useConnectionState } from '../live/hooks';

export function ConnectionBadge() {
  const state = useConnectionState();
  return (
    <span
      className={`conn conn-${state}`}
      role="status"
      aria-live="polite"
      data-testid="connection"
    >
      <span className="conn-dot" aria-hidden="true" />
      <span className="visually-hidden">{t.connection.label}: </span>
      {t.connection[state]}
    </span>
  );
}
