// Seed data that makes a fresh stack usable at once: the admin from the configuration and, only
// when asked (`--demo` or SEED_DEMO=1, e.g. `./build.sh --demo`), one open demo election. A
// production stack never gets a demo election it did not ask for. Idempotent: each step checks
// what exists, so running it again changes nothing.
import type { Pool } from 'mysql2/promise';
import type { Config } from '../config';
import { seedAdmin } from '../accounts/users';
import { seedDemoElection } from '../elections/demo';

export async function seed(pool: Pool, config: Config, opts: { demo: boolean }): Promise<void> {
  await seedAdmin(pool, config);
  if (opts.demo) await seedDemoElection(pool);
}
