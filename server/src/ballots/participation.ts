// Whether a voter's ballot is in, read from a replica but never older than the voter's own last
// ballot: after each committed ballot the writer notes the commit's GTID in Redis under a keyed
// hash of (voter, election), and a read waits for a replica to reach it (ReplicaRouter falls back
// to the other replica, then the master). Without a note (no recent ballot) any serving replica
// will do; when Redis does not answer, the master is read. The note names a batch, which the
// binlog already pairs with the voter: it adds nothing to what the database holds, and expires.
// The writer notes ballots of `accounts` and `roll` elections only (where the web client asks),
// after the commit and without holding the ack: in an `open` election a read right after the
// ballot may come from a replica that has not applied it yet.
import { createHmac } from 'node:crypto';
import type { RedisClient } from '../redis';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { ReplicaRouter } from '../db/replicas';

export const participationDefaults = {
  /** How long a ballot's GTID is remembered; replicas lagging longer do not serve reads. @default 3600 */
  noteTtlSeconds: 3600,
  /** Longest wait for Redis before reading the master instead. @default 250 */
  redisTimeoutMs: 250,
};

export interface Participation {
  /** Remembers that `voterKey` has a ballot in `electionId`, committed at `gtid`. Never throws. */
  noteBallot(voterKey: string, electionId: string, gtid: string): Promise<void>;
  /** Whether `voterKey` has a ballot in `electionId`, as of at least its own last ballot. */
  hasVoted(voterKey: string, electionId: string): Promise<boolean>;
}

const timeout = (ms: number): Promise<never> =>
  new Promise((_, reject) => setTimeout(() => reject(new Error('redis timeout')), ms).unref());

async function votedOn(
  conn: PoolConnection | Pool,
  voterKey: string,
  electionId: string,
): Promise<boolean> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT 1 FROM participation WHERE election_id = ? AND voter_key = ?',
    [electionId, voterKey],
  );
  return rows.length > 0;
}

export function createParticipation(deps: {
  redis: RedisClient;
  master: Pool;
  replicas: Pick<ReplicaRouter, 'read'>;
  secret: string;
}): Participation {
  // Keyed, so Redis holds no voter key in the clear.
  const noteKey = (voterKey: string, electionId: string): string =>
    `tb:own-ballot:${createHmac('sha256', deps.secret)
      .update(`${voterKey}\u0000${electionId}`)
      .digest('base64url')}`;
  const { noteTtlSeconds, redisTimeoutMs } = participationDefaults;
  return {
    async noteBallot(voterKey, electionId, gtid) {
      if (!gtid) return;
      await Promise.race([
        deps.redis.set(noteKey(voterKey, electionId), gtid, 'EX', noteTtlSeconds),
        timeout(redisTimeoutMs),
      ]).catch(() => undefined);
    },
    async hasVoted(voterKey, electionId) {
      let gtid: string | null;
      try {
        gtid = await Promise.race([
          deps.redis.get(noteKey(voterKey, electionId)),
          timeout(redisTimeoutMs),
        ]);
      } catch {
        return votedOn(deps.master, voterKey, electionId);
      }
      return deps.replicas.read(
        (conn) => votedOn(conn, voterKey, electionId),
        gtid ? { gtid } : {},
      );
    },
  };
}
