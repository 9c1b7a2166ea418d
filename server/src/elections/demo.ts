// A demo election so a fresh stack has something to vote in: open, live results, join code DEMO42.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { DomainEvents } from '../domain-events';
import { createElection, openElection } from './lifecycle';

export const DEMO_JOIN_CODE = 'DEMO42';

/** Creates and opens the demo election unless it exists. Idempotent. */
export async function seedDemoElection(pool: Pool): Promise<void> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM elections WHERE join_code = ?', [
    DEMO_JOIN_CODE,
  ]);
  if (rows.length) return;
  const election = await createElection(
    pool,
    {
      title: 'Tallyboard demo: team lunch',
      description: 'Try the ballot, the live board and the receipt check.',
      access: 'open',
      resultsVisibility: 'live',
      positions: [
        {
          title: 'Where do we eat on Friday?',
          maxSelections: 1,
          winners: 1,
          candidates: [
            { name: 'Noodle bar', description: 'Hand-pulled, quick' },
            { name: 'Taqueria', description: 'Outdoor seating' },
            { name: 'Falafel place', description: 'Vegan-friendly' },
          ],
        },
        {
          title: 'Desserts (up to two)',
          maxSelections: 2,
          winners: 2,
          candidates: [
            { name: 'Gelato' },
            { name: 'Baklava' },
            { name: 'Fruit' },
            { name: 'Cheesecake' },
          ],
        },
      ],
    },
    null,
  );
  await pool.query('UPDATE elections SET join_code = ? WHERE id = ?', [
    DEMO_JOIN_CODE,
    election.id,
  ]);
  // Seeding runs before any node: nobody listens for the announcement.
  await openElection({ master: pool, events: new DomainEvents() }, election.id);
}
