// Wires the real domain (accounts, elections, ballots, tallies) into the LiveDomain port.
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { authenticateToken } from '../accounts/users';
import type { BallotWriter } from '../ballots/writer';
import type { Deps } from '../deps';
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
 * scheduled/open→closed at closesAt). A plain read finds candidates (no locks while nothing is
 * due); each flip is then one primary-key UPDATE guarded by the stored status and the time, so it
 * happens once whoever runs it, and its row lock waits for in-flight ballot batches as a manual
 * close does. Uses the master's clock, like every other status decision.
 */
export async function advanceClock(master: Pool, _now: Date): Promise<string[]> {
  const [due] = await master.query<RowDataPacket[]>(
    `SELECT id, closes_at IS NOT NULL AND closes_at <= UTC_TIMESTAMP(3) AS closing
     FROM elections
     WHERE (status = 'scheduled' AND opens_at <= UTC_TIMESTAMP(3))
        OR (status IN ('scheduled', 'open') AND closes_at <= UTC_TIMESTAMP(3))`,
  );
  const changed: string[] = [];
  for (const row of due) {
    const id = row.id as string;
    const [r] = await master.query<ResultSetHeader>(
      Number(row.closing) === 1
        ? `UPDATE elections SET status = 'closed', updated_at = UTC_TIMESTAMP(3)
           WHERE id = ? AND status IN ('scheduled', 'open') AND closes_at <= UTC_TIMESTAMP(3)`
        : `UPDATE elections SET status = 'open', updated_at = UTC_TIMESTAMP(3)
           WHERE id = ? AND status = 'scheduled' AND opens_at <= UTC_TIMESTAMP(3)`,
      [id],
    );
    if (r.affectedRows === 1) changed.push(id);
  }
  return changed;
}
