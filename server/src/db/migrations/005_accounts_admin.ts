// Accounts the admins manage, and `accounts` elections restricted to an allowlist.
//  - users.must_change_password: set with an admin's temporary password; the session can only
//    change it until then.
//  - election_allowlist: who may vote in an `accounts` election (normalised emails and
//    `@domains`); no rows means every account may.
//  - account_tombstones: a deleted voter account leaves the sha256 of its email and its id, so
//    re-registering with that email gets the same id back, and with it the same participation
//    key: nobody votes twice by deleting and re-creating an account. Nothing here names a ballot.
import type { Migration } from '../migrate';

export const migration: Migration = {
  id: '005_accounts_admin',
  up: [
    `ALTER TABLE users
       ADD COLUMN must_change_password TINYINT(1) NOT NULL DEFAULT 0`,
    `CREATE TABLE IF NOT EXISTS election_allowlist (
      election_id VARCHAR(32) NOT NULL,
      entry VARCHAR(255) NOT NULL,
      PRIMARY KEY (election_id, entry)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    `CREATE TABLE IF NOT EXISTS account_tombstones (
      email_hash BINARY(32) NOT NULL PRIMARY KEY,
      user_id VARCHAR(32) NOT NULL,
      token_gen INT UNSIGNED NOT NULL,
      deleted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB`,
  ],
};
