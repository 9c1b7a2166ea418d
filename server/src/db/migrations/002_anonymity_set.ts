// An election's anonymity set (docs/security.md): its ballots commit in transactions of at least
// this many (or after ANONYMITY_MAX_WAIT_MS). Existing elections get the default of their access
// mode: 1 for `open` polls, 5 for everything else.
import type { Migration } from '../migrate';

export const migration: Migration = {
  id: '002_anonymity_set',
  up: [
    `ALTER TABLE elections ADD COLUMN anonymity_set SMALLINT UNSIGNED NOT NULL DEFAULT 1`,
    `UPDATE elections SET anonymity_set = 5 WHERE access <> 'open'`,
  ],
};
