// Fewer rows per ballot: a ballot used to write a participation row, a ballot row, one
// `ballot_selections` row per candidate chosen (and one `ballot_abstentions` row per abstention)
// and an `idempotency` row, each with its own index entries. Now:
//  - `ballots.choices` holds what was chosen, as text (ballots/choices.ts: the candidate ids, and
//    `-<position id>` per abstention, space-separated). Existing selections and abstentions are
//    copied in, then their tables dropped. With them goes the last use of a ballot's random id:
//    the primary key becomes (election_id, receipt), one index instead of two.
//  - `participation.receipt_enc` holds the Idempotency-Key memory beside the voter's row, sealed
//    as before (AES-GCM under a key derived from the server secret, the voter, the election and
//    the Idempotency-Key, which is never stored): without the client's key the row opens to
//    nothing, so it links the voter to no ballot. `receipt_expires_at` is when it is forgotten.
//    The old `idempotency` table stays until its last rows expire (a retry still finds them);
//    it is no longer written.
import type { Migration } from '../migrate';

export const migration: Migration = {
  id: '006_lean_ballot_rows',
  up: [
    `ALTER TABLE ballots
       ADD COLUMN choices MEDIUMTEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL`,
    // MySQL's default is 1,024 bytes; a ballot may name up to 5,000 candidates.
    `SET SESSION group_concat_max_len = 16777216`,
    `UPDATE ballots b SET choices = CONCAT_WS(' ',
       (SELECT GROUP_CONCAT(s.candidate_id ORDER BY s.position_id, s.candidate_id SEPARATOR ' ')
          FROM ballot_selections s WHERE s.ballot_id = b.id),
       (SELECT GROUP_CONCAT(CONCAT('-', a.position_id) ORDER BY a.position_id SEPARATOR ' ')
          FROM ballot_abstentions a WHERE a.ballot_id = b.id))`,
    `DROP TABLE ballot_selections`,
    `DROP TABLE ballot_abstentions`,
    // Nothing refers to a ballot's id any more: (election, receipt), unique already, is the key.
    `ALTER TABLE ballots
       DROP PRIMARY KEY,
       DROP INDEX ballots_receipt,
       DROP COLUMN id,
       ADD PRIMARY KEY (election_id, receipt)`,
    `ALTER TABLE participation
       ADD COLUMN receipt_enc VARBINARY(128) NULL,
       ADD COLUMN receipt_expires_at DATETIME NULL,
       ADD KEY participation_receipt_expiry (receipt_expires_at)`,
  ],
};
