// Voter rolls (access `roll`): who may vote in an election, and their one-time ballot codes.
// Nothing here links to a ballot: whether an entry voted is read from `participation`
// (voter_key `r:<entry id>`), which shares nothing with `ballots`. Codes are stored only as a
// keyed hash (HMAC under ROLL_CODE_SECRET) and carry no timestamps, so neither table says when
// anyone voted. `elections.roll_size` is the turnout denominator, kept in the same transaction as
// the entries, so every election and results read gets it without counting. A ref is compared
// exactly (binary collation): "s-01" and "S-01" are two people.
import type { Migration } from '../migrate';

export const migration: Migration = {
  id: '004_roll',
  up: [
    `ALTER TABLE elections
       MODIFY COLUMN access ENUM('open','accounts','roll') NOT NULL,
       ADD COLUMN roll_size INT UNSIGNED NOT NULL DEFAULT 0`,
    `CREATE TABLE roll_entries (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      election_id VARCHAR(32) NOT NULL,
      ref VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      name VARCHAR(200) NOT NULL,
      email VARCHAR(254) NULL,
      UNIQUE KEY roll_entries_ref (election_id, ref),
      UNIQUE KEY roll_entries_email (election_id, email),
      CONSTRAINT roll_entries_election_fk FOREIGN KEY (election_id) REFERENCES elections (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    // state: 'live' (may be exchanged once), 'used' (exchanged), 'revoked' (reissued).
    `CREATE TABLE roll_codes (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      code_hash BINARY(32) NOT NULL,
      election_id VARCHAR(32) NOT NULL,
      entry_id VARCHAR(32) NOT NULL,
      state ENUM('live','used','revoked') NOT NULL DEFAULT 'live',
      UNIQUE KEY roll_codes_hash (code_hash),
      KEY roll_codes_entry (entry_id, state),
      CONSTRAINT roll_codes_entry_fk FOREIGN KEY (entry_id) REFERENCES roll_entries (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`,
  ],
};
