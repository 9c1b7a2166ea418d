// Fixtures for the unit tests of tallies, rooms and the realtime handlers: an open election as the
// live layer holds it (`over` changes what a test is about) and a tally at a version.
import type { Results } from '@tallyboard/shared';
import type { ElectionMeta } from '../../../src/elections/rules';

export const electionMeta = (over: Partial<ElectionMeta> = {}): ElectionMeta => ({
  id: 'e1',
  joinCode: 'ABC234',
  title: 'Test',
  status: 'open',
  access: 'open',
  resultsVisibility: 'live',
  opensAt: null,
  closesAt: null,
  ...over,
});

/** A tally of `version` ballots (one per batch), no positions. */
export const tallyResults = (version: number): Results => ({
  version,
  ballots: version,
  blank: 0,
  eligible: null,
  final: false,
  positions: [],
});
