// How "has this voter voted" is read: from a replica that reached the voter's own last ballot,
// from any replica without one, from the master when Redis does not answer.
import type { Redis } from 'ioredis';
import type { Pool } from 'mysql2/promise';
import { createParticipation, participationDefaults } from '../../src/ballots/participation';
import type { ReadOptions } from '../../src/db/replicas';

function setup(redis: Partial<Record<'get' | 'set', (...a: unknown[]) => Promise<unknown>>>) {
  const reads: Array<{ where: string; opts?: ReadOptions }> = [];
  const rowsOn = (where: string, opts?: ReadOptions) => ({
    query: async () => {
      reads.push({ where, opts });
      return [[{ 1: 1 }], []];
    },
  });
  const participation = createParticipation({
    redis: redis as unknown as Redis,
    master: rowsOn('master') as unknown as Pool,
    replicas: {
      read: (fn, opts) => fn(rowsOn('replica', opts) as never),
    },
    secret: 'test-secret',
  });
  return { participation, reads };
}

describe('participation reads', () => {
  it('notes a ballot under a keyed hash, never the voter key, for a limited time', async () => {
    const sets: unknown[][] = [];
    const { participation } = setup({ set: async (...a) => sets.push(a) });
    await participation.noteBallot('u:abc', 'e1', '0-1-42');
    expect(sets).toHaveLength(1);
    const [key, gtid, ex, ttl] = sets[0] as [string, string, string, number];
    expect(key).toMatch(/^tb:own-ballot:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('abc');
    expect([gtid, ex, ttl]).toEqual(['0-1-42', 'EX', participationDefaults.noteTtlSeconds]);
  });

  it('waits for the noted GTID on a replica', async () => {
    const { participation, reads } = setup({ get: async () => '0-1-42' });
    expect(await participation.hasVoted('u:abc', 'e1')).toBe(true);
    expect(reads).toEqual([{ where: 'replica', opts: { gtid: '0-1-42' } }]);
  });

  it('reads any replica without a note', async () => {
    const { participation, reads } = setup({ get: async () => null });
    await participation.hasVoted('u:abc', 'e1');
    expect(reads).toEqual([{ where: 'replica', opts: {} }]);
  });

  it('reads the master when Redis fails or does not answer in time', async () => {
    const failing = setup({ get: () => Promise.reject(new Error('Connection is closed.')) });
    await failing.participation.hasVoted('u:abc', 'e1');
    expect(failing.reads).toEqual([{ where: 'master', opts: undefined }]);
    const silent = setup({ get: () => new Promise(() => undefined) });
    await silent.participation.hasVoted('u:abc', 'e1');
    expect(silent.reads).toEqual([{ where: 'master', opts: undefined }]);
  });

  it('never fails a ballot over a note Redis could not take', async () => {
    const { participation } = setup({ set: () => Promise.reject(new Error('down')) });
    await expect(participation.noteBallot('u:abc', 'e1', '0-1-42')).resolves.toBeUndefined();
  });
});
