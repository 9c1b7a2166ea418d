// Seed data that makes a fresh stack usable at once: the admin from the configuration and one demo
// election. Idempotent: each step checks what exists, so running it again changes nothing.
import type { Pool } from 'mysql2/promise';
import type { Config } from '../config';
import { seedAdmin } from '../accounts/users';
import { seedDemoElection } from '../elections/demo';

export async function seed(pool: Pool, config: Config): Promise<void> {
  await seedAdmin(pool, config);
  await seedDemoElection(pool);
}
