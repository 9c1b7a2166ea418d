// Per-position abstain and the blank counts beside the candidates. A position may offer an
// explicit "Abstain"; the counters say per position how many ballots abstained and how many
// marked at least one candidate (blank is the rest), and per election how many ballots were
// blank everywhere. They live beside the other counters and move in the same transaction.
// Abstentions are stored per ballot too (no cast time, random ballot id), so a recount can see
// them. Existing ballots are counted in, so the numbers hold for elections already run.
import type { Migration } from '../migrate';

export const migration: Migration = {
  id: '003_abstain',
  up: [
    `ALTER TABLE positions
       ADD COLUMN allow_abstain TINYINT(1) NOT NULL DEFAULT 0,
       ADD COLUMN marked BIGINT UNSIGNED NOT NULL DEFAULT 0,
       ADD COLUMN abstained BIGINT UNSIGNED NOT NULL DEFAULT 0`,
    `ALTER TABLE election_tallies ADD COLUMN blank BIGINT UNSIGNED NOT NULL DEFAULT 0`,
    `CREATE TABLE IF NOT EXISTS ballot_abstentions (
      ballot_id VARCHAR(32) NOT NULL,
      position_id VARCHAR(32) NOT NULL,
      election_id VARCHAR(32) NOT NULL,
      PRIMARY KEY (ballot_id, position_id),
      KEY ballot_abstentions_election (election_id, position_id)
    ) ENGINE=InnoDB`,
    `UPDATE positions p SET marked =
       (SELECT COUNT(DISTINCT s.ballot_id) FROM ballot_selections s WHERE s.position_id = p.id)`,
    `UPDATE election_tallies t SET blank = t.ballots -
       (SELECT COUNT(DISTINCT s.ballot_id) FROM ballot_selections s WHERE s.election_id = t.election_id)`,
  ],
};
