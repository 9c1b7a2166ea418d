// What a viewer knows of one election from the live connection, and how each event changes it:
// tallies and snapshots only ever move results forward (the newest-version rule in ../tally).
// Free of React, so the hooks and the tests' viewers fold events with the same rules.
import type {
  Election,
  ElectionStatus,
  ElectionStatusEvent,
  ErrorCode,
  Results,
} from '@tallyboard/shared';
import { newerResults, type LiveResults } from '../tally';
import type { ElectionHandlers } from './client';

export interface ElectionLiveState {
  /** Latest results seen, or null while none are visible to this viewer. */
  results: LiveResults | null;
  /** Whether the join snapshot said results are hidden from this viewer. */
  hidden: boolean;
  viewers: number | null;
  status: ElectionStatus | null;
  statusEvent: ElectionStatusEvent | null;
  joined: boolean;
  error: { code: ErrorCode; message: string } | null;
}

export const initialElectionLive: ElectionLiveState = {
  results: null,
  hidden: false,
  viewers: null,
  status: null,
  statusEvent: null,
  joined: false,
  error: null,
};

type Update = (state: ElectionLiveState) => ElectionLiveState;

/** Results that reached the viewer some other way (a REST fetch), under the same rule. */
export const withResults =
  (results: Results): Update =>
  (s) => ({ ...s, hidden: false, results: newerResults(s.results, results) });

/** Handlers for `LiveClient.watch` that turn each event into an update of the election's state. */
export function electionStateHandlers(apply: (update: Update) => void): Required<ElectionHandlers> {
  return {
    snapshot: (ack) =>
      apply((s) => ({
        ...s,
        joined: true,
        error: null,
        status: ack.status,
        statusEvent: ack.election ?? s.statusEvent,
        viewers: ack.presence,
        hidden: ack.results === null,
        results: ack.results ? newerResults(s.results, ack.results) : s.results,
      })),
    tally: (tally) => apply(withResults(tally)),
    presence: (viewers) => apply((s) => ({ ...s, viewers })),
    status: (event) => apply((s) => ({ ...s, status: event.status, statusEvent: event })),
    error: (error) => apply((s) => ({ ...s, error })),
  };
}

export interface ElectionSchedule {
  status: ElectionStatus;
  opensAt: string | null;
  closesAt: string | null;
}

/**
 * The status and times a page shows: what the live connection last said, else what was loaded
 * (a status event is newer than the page's load, and the load may predate an open or a close).
 */
export function currentSchedule(stored: Election, live: ElectionLiveState): ElectionSchedule {
  return {
    status: live.status ?? stored.status,
    opensAt: live.statusEvent?.opensAt ?? stored.opensAt,
    closesAt: live.statusEvent?.closesAt ?? stored.closesAt,
  };
}
