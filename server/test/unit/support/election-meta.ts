// An open election as the live layer holds it (status, visibility, schedule), for the unit tests
// of tallies, rooms and the realtime handlers; `over` changes what a test is about.
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
