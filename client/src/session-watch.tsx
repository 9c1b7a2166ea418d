// A signed-in page notices when its account loses access while it is open (blocked by an admin,
// deleted, or signed out elsewhere): it asks who is signed in every few seconds and when the tab
// comes back to the front, and says why it stopped instead of failing on the next click.
import { useCallback, useEffect, useState } from 'react';
import type { User } from '@tallyboard/shared';
import { api, ApiError } from './api';
import { ErrorNotice } from './components/Notice';
import { t } from './i18n';
import { setSessionToken } from './live/browser';
import { signedInHint } from './storage';

export type LostReason = 'blocked' | 'signedOut';

/** How often an open page checks its session; cheap (one indexed read), and quick enough. */
export const SESSION_CHECK_MS = 4000;

/** Whether an error says the account itself is refused, rather than the session being gone. */
export function isBlockedError(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'account_blocked';
}

export function useSessionWatch(user: User | null) {
  const [lost, setLost] = useState<LostReason | null>(null);

  useEffect(() => {
    if (!user) return;
    let stopped = false;
    const check = async () => {
      try {
        await api.me();
      } catch (err) {
        if (stopped || !(err instanceof ApiError) || err.code === 'network') return;
        if (err.status !== 401 && err.status !== 403) return;
        setSessionToken(null);
        signedInHint.set(false);
        setLost(isBlockedError(err) ? 'blocked' : 'signedOut');
      }
    };
    const timer = window.setInterval(() => void check(), SESSION_CHECK_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void check();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [user]);

  const reset = useCallback(() => setLost(null), []);
  return { lost, reset };
}

export function SessionLost({ reason }: { reason: LostReason }) {
  return (
    <div data-testid="session-lost">
      <ErrorNotice>{reason === 'blocked' ? t.auth.blockedNow : t.auth.signedOutNow}</ErrorNotice>
    </div>
  );
}
