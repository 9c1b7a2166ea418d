// The voting core's tables. Secret ballot by construction: `participation` (who voted) and
// `ballots` (what was chosen) share no id, no timestamp and no insertion order (ballot ids are
// random), so nothing stored links a voter to their choices.
// Every statement runs unchanged on MariaDB 10.11 and MySQL 8.4.
import type { Migration } from '../migrate';

export const migration: Migration = {
  id: '001_core',
  up: [
    `CREATE TABLE users (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      email VARCHAR(254) NOT NULL,
      name VARCHAR(120) NOT NULL,
      role ENUM('admin','voter') NOT NULL,
      password_hash VARCHAR(255) NOT NULL,
      blocked TINYINT(1) NOT NULL DEFAULT 0,
      token_gen INT UNSIGNED NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY users_email (email)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    `CREATE TABLE elections (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      join_code VARCHAR(12) NOT NULL,
      title VARCHAR(200) NOT NULL,
      description TEXT NULL,
      access ENUM('open','accounts') NOT NULL,
      results_visibility ENUM('live','after_close','admin_only') NOT NULL,
      status ENUM('draft','scheduled','open','closed') NOT NULL DEFAULT 'draft',
      opens_at DATETIME(3) NULL,
      closes_at DATETIME(3) NULL,
      created_by VARCHAR(32) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY elections_join_code (join_code)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    `CREATE TABLE positions (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      election_id VARCHAR(32) NOT NULL,
      ord SMALLINT UNSIGNED NOT NULL,
      title VARCHAR(200) NOT NULL,
      description TEXT NULL,
      max_selections SMALLINT UNSIGNED NOT NULL,
      winners SMALLINT UNSIGNED NOT NULL,
      KEY positions_election (election_id, ord),
      CONSTRAINT positions_election_fk FOREIGN KEY (election_id) REFERENCES elections (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    `CREATE TABLE candidates (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      position_id VARCHAR(32) NOT NULL,
      election_id VARCHAR(32) NOT NULL,
      ord SMALLINT UNSIGNED NOT NULL,
      name VARCHAR(120) NOT NULL,
      description TEXT NULL,
      photo_url VARCHAR(500) NULL,
      KEY candidates_position (position_id, ord),
      KEY candidates_election (election_id),
      CONSTRAINT candidates_position_fk FOREIGN KEY (position_id) REFERENCES positions (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    // One row per election: the version (one step per committed batch) and the ballot count.
    // Its row lock also orders concurrent batches of one election.
    `CREATE TABLE election_tallies (
      election_id VARCHAR(32) NOT NULL PRIMARY KEY,
      version BIGINT UNSIGNED NOT NULL DEFAULT 0,
      ballots BIGINT UNSIGNED NOT NULL DEFAULT 0
    ) ENGINE=InnoDB`,
    // Counters are created with the candidates, so a batch only ever UPDATEs them.
    `CREATE TABLE tally_counters (
      election_id VARCHAR(32) NOT NULL,
      candidate_id VARCHAR(32) NOT NULL,
      position_id VARCHAR(32) NOT NULL,
      votes BIGINT UNSIGNED NOT NULL DEFAULT 0,
      PRIMARY KEY (election_id, candidate_id)
    ) ENGINE=InnoDB`,
    // Who voted. The primary key is the one-ballot-per-voter rule. batch_nonce only tells a
    // batch which of its rows it inserted itself; ballots carry no batch information.
    `CREATE TABLE participation (
      election_id VARCHAR(32) NOT NULL,
      voter_key VARCHAR(64) NOT NULL,
      batch_nonce BINARY(12) NOT NULL,
      PRIMARY KEY (election_id, voter_key)
    ) ENGINE=InnoDB`,
    // What was chosen. Random id, no cast time.
    `CREATE TABLE ballots (
      id VARCHAR(32) NOT NULL PRIMARY KEY,
      election_id VARCHAR(32) NOT NULL,
      receipt VARCHAR(32) NOT NULL,
      UNIQUE KEY ballots_receipt (election_id, receipt)
    ) ENGINE=InnoDB`,
    `CREATE TABLE ballot_selections (
      ballot_id VARCHAR(32) NOT NULL,
      candidate_id VARCHAR(32) NOT NULL,
      election_id VARCHAR(32) NOT NULL,
      position_id VARCHAR(32) NOT NULL,
      PRIMARY KEY (ballot_id, candidate_id),
      KEY ballot_selections_election (election_id, candidate_id)
    ) ENGINE=InnoDB`,
    // Idempotency-Key memory: keyed by sha256(voterKey, electionId, key); the receipt is stored
    // AES-GCM-encrypted under a key only the voter's retry can re-derive.
    `CREATE TABLE idempotency (
      key_hash BINARY(32) NOT NULL PRIMARY KEY,
      receipt_enc VARBINARY(128) NOT NULL,
      expires_at DATETIME NOT NULL,
      KEY idempotency_expiry (expires_at)
    ) ENGINE=InnoDB`,
  ],
};
