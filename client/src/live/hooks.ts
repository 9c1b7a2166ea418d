// React's view of the tab's live connection: its state for the badge, and one election's live
// state for a component, subscribed while it is mounted.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { api } from '../api';
import { getLive } from './browser';
import type { ConnectionState } from './client';
import {
  electionStateHandlers,
  initialElectionLive,
  withResults,
  type ElectionLiveState,
} from './election-state';

export function useConnectionState(): ConnectionState {
  const live = getLive();
  return useSyncExternalStore(live.subscribe, live.getState, live.getState);
}

/** Live state of one election for a component; stays subscribed while mounted. */
export function useElectionLive(electionId: string | undefined): ElectionLiveState {
  const [state, setState] = useState<ElectionLiveState>(initialElectionLive);

  useEffect(() => {
    if (!electionId) return;
    setState(initialElectionLive);
    return getLive().watch(electionId, electionStateHandlers(setState));
  }, [electionId]);

  // Results hidden until close (`after_close`): fetch them once the election closes, in case the
  // final tally broadcast went out before this viewer could see it.
  const closedAndHidden = state.status === 'closed' && !state.results;
  useEffect(() => {
    if (!electionId || !closedAndHidden) return;
    let cancelled = false;
    api
      .results(electionId)
      .then((r) => {
        if (!cancelled) setState(withResults(r));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [electionId, closedAndHidden]);

  return state;
}
