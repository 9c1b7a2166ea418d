// The admin console's results: live ones, or polled over REST when the socket joined without the
// admin's credentials (results hidden from it), whichever is newer.
import { useEffect, useState } from 'react';
import type { Results } from '@tallyboard/shared';
import { api } from '../../../api';
import { newerResults } from '../../../tally';

/** Live results, or polled over REST when the socket joined without the admin's credentials. */
export function useAdminResults(
  id: string,
  liveResults: Results | null,
  poll: boolean,
): Results | null {
  const [polled, setPolled] = useState<Results | null>(null);
  useEffect(() => {
    if (!poll) return;
    let stop = false;
    const tick = () =>
      api
        .results(id)
        .then((r) => !stop && setPolled((p) => newerResults(p, r)))
        .catch(() => undefined);
    void tick();
    const timer = window.setInterval(tick, 2000);
    return () => {
      stop = true;
      window.clearInterval(timer);
    };
  }, [id, poll]);
  if (liveResults && polled) return liveResults.version >= polled.version ? liveResults : polled;
  return liveResults ?? polled;
}
