// Ranking a position's counters: the shared rule (`@tallyboard/shared` ranking.ts), so the
// server's `rank, winner, tied` and the client's badges can never disagree.
export { rankCandidates } from '@tallyboard/shared';
