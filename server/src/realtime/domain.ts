// Wires the real domain (accounts, elections, ballots, tallies) into the LiveDomain port.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { authenticateToken } from '../accounts/users';
import type { BallotWriter } from '../ballots/writer';
import type { Deps } from '../deps';
import { withTransaction } from '../db/master';
import { DomainError } from '../errors';
import { assertCanView, canSeeResults, isAdmin } from '../elections/rules';
import { getElectionMeta } from '../elections/store';
import { readResults } from '../tallies/results';
import type { LiveDomain, LiveElection } from './ports';

/** The browser session cookie (set by POST /api/auth/login). */
export const SESSION_COOKIE = 'tb_session';

export function createLiveDomain(
  deps: Deps & { ballots: Pick<BallotWriter, 'cast' | 'on' | 'off'> },
): LiveDomain {
  const { master, replicas, config, ballots } = deps;
  return {
    async authenticate(token) {
      const principal = await authenticateToken(master, config, token);
      if (!principal) throw new DomainError('unauthorized', 'invalid or expired token');
      return { principal, isAdmin: isAdmin(principal) };
    },
    assertCanView: (e, viewer) => assertCanView(e, viewer.principal),
    canSeeResults: (e, viewer) => canSeeResults(e, viewer.principal),
    // Status decides who sees what and is what viewers are told: read it on the master (one
    // primary-key read) so a status change is never answered from a lagging replica.
    getElection: (id) => getElectionMeta(master, id).then(toLive),
    readResults: (id, gtid) => readResults(replicas, id, gtid ? { gtid } : {}),
    castBallot({ principal, ...rest }) {
      if (!principal) {
        return Promise.reject(
          new DomainError('unauthorized', 'a voter token or a session is needed to vote'),
        );
      }
      return ballots.cast({ principal, ...rest });
    },
    onCommitted(listener) {
      ballots.on('committed', listener);
      return () => void ballots.off('committed', listener);
    },
    advanceClock: (now) => advanceClock(master, now),
  };
}

const toLive = (m: LiveElection | null): LiveElection | null =>
  m && {
    id: m.id,
    status: m.status,
    access: m.access,
    resultsVisibility: m.resultsVisibility,
    opensAt: m.opensAt,
    closesAt: m.closesAt,
  };

/**
 * Rewrites the stored status of elections whose time has come (scheduled→open at opensAt, any
 * scheduled/open→closed at closesAt). The row lock waits for in-flight ballot batches, as a manual
 * close does, and the status in the WHERE makes each flip happen once whoever runs it. Uses the
 * master's clock, like every other status decision.
 */
export async function advanceClock(master: Pool, _now: Date): Promise<string[]> {
  return withTransaction(master, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT id, status, opens_at <= UTC_TIMESTAMP(3) AS due_open,
              closes_at IS NOT NULL AND closes_at <= UTC_TIMESTAMP(3) AS due_close
       FROM elections
       WHERE (status = 'scheduled' AND opens_at <= UTC_TIMESTAMP(3))
          OR (status IN ('scheduled', 'open') AND closes_at <= UTC_TIMESTAMP(3))
       FOR UPDATE`,
    );
    const close = rows.filter((r) => Number(r.due_close) === 1).map((r) => r.id as string);
    const open = rows
      .filter((r) => Number(r.due_close) !== 1 && r.status === 'scheduled')
      .map((r) => r.id as string);
    if (close.length) {
      await conn.query(
        `UPDATE elections SET status = 'closed', updated_at = UTC_TIMESTAMP(3)
         WHERE id IN (?) AND status IN ('scheduled', 'open')`,
        [close],
      );
    }
    if (open.length) {
      await conn.query(
        `UPDATE elections SET status = 'open', updated_at = UTC_TIMESTAMP(3)
         WHERE id IN (?) AND status = 'scheduled'`,
        [open],
      );
    }
    return [...close, ...open];
  });
}
