// Ballot codes of a voter roll: issuing them (shown once, stored only as a keyed hash) and
// exchanging one for a voter token scoped to its election and roll entry. A code is exchanged
// once: the exchange is a conditional UPDATE of its state, so of any number of concurrent
// attempts exactly one wins.
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { IssuedCode } from '@tallyboard/shared';
import type { Config } from '../config';
import { withTransaction } from '../db/master';
import { DomainError } from '../errors';
import { newId } from '../ids';
import { issueRollVoterToken } from '../accounts/tokens';
import { getElectionMeta, statusOfRow } from '../elections/store';
import { ballotLink, hashBallotCode, newBallotCode, normalizeBallotCode } from './codes';
import { chunks, lockRollElection, VOTED_JOIN } from './entries';

const INSERT_CHUNK = 2000;
const LOOKUP_CHUNK = 5000;

interface TargetRow extends RowDataPacket {
  id: string;
  ref: string;
  voted: number;
}

/**
 * Codes for the entries that never had one (and have not voted), or, given `refs`, new codes for
 * those entries that revoke their earlier ones. Refused for a closed election, for refs not on
 * the roll (422) and for entries that already voted (409), with nothing issued.
 */
export function issueCodes(
  master: Pool,
  config: Pick<Config, 'rollCodes'>,
  electionId: string,
  refs?: readonly string[],
): Promise<IssuedCode[]> {
  return withTransaction(master, async (conn) => {
    const row = await lockRollElection(conn, electionId);
    if (statusOfRow(row) === 'closed') {
      throw new DomainError('conflict', 'the election is closed: no more codes');
    }
    let targets: TargetRow[] = [];
    if (refs) {
      const wanted = [...new Set(refs)];
      for (const part of chunks(wanted, LOOKUP_CHUNK)) {
        const [rows] = await conn.query<TargetRow[]>(
          `SELECT r.id, r.ref, p.voter_key IS NOT NULL AS voted FROM roll_entries r ${VOTED_JOIN}
           WHERE r.election_id = ? AND r.ref IN (?)`,
          [electionId, part],
        );
        targets.push(...rows);
      }
      const found = new Set(targets.map((t) => t.ref));
      const unknown = wanted.filter((ref) => !found.has(ref));
      if (unknown.length) {
        throw new DomainError('invalid', 'some refs are not on the roll', {
          issues: unknown.map((ref) => ({ path: ['refs'], message: `not on the roll: ${ref}` })),
        });
      }
      const voted = targets.filter((t) => Number(t.voted) === 1).map((t) => t.ref);
      if (voted.length) {
        throw new DomainError('already_voted', 'some of these voters have voted already', {
          refs: voted,
        });
      }
      for (const part of chunks(targets, LOOKUP_CHUNK)) {
        await conn.query(
          `UPDATE roll_codes SET state = 'revoked' WHERE entry_id IN (?) AND state <> 'revoked'`,
          [part.map((t) => t.id)],
        );
      }
    } else {
      [targets] = await conn.query<TargetRow[]>(
        `SELECT r.id, r.ref, 0 AS voted FROM roll_entries r ${VOTED_JOIN}
         WHERE r.election_id = ? AND p.voter_key IS NULL
           AND NOT EXISTS (SELECT 1 FROM roll_codes c WHERE c.entry_id = r.id AND c.state <> 'revoked')`,
        [electionId],
      );
    }
    targets.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    const issued = targets.map((t) => ({ entryId: t.id, ref: t.ref, code: newBallotCode() }));
    for (const part of chunks(issued, INSERT_CHUNK)) {
      await conn.query('INSERT INTO roll_codes (id, code_hash, election_id, entry_id) VALUES ?', [
        part.map((c) => [
          newId(),
          hashBallotCode(config.rollCodes.secret, normalizeBallotCode(c.code) as string),
          electionId,
          c.entryId,
        ]),
      ]);
    }
    return issued.map((c) => ({
      ref: c.ref,
      code: c.code,
      link: ballotLink(row.join_code, c.code),
    }));
  });
}

interface CodeRow extends RowDataPacket {
  id: string;
  election_id: string;
  entry_id: string;
  state: 'live' | 'used' | 'revoked';
  voted: number;
}

const MESSAGES = {
  unknown: 'this ballot code is not valid for this election; check it and try again',
  used: 'this ballot code has already been used, on this or another device',
  revoked: 'this ballot code was replaced by a newer one; use the code you were given last',
} as const;

const invalidCode = (reason: keyof typeof MESSAGES): DomainError =>
  new DomainError('invalid_code', MESSAGES[reason], { reason });

/**
 * A ballot code → a voter token for its roll entry, once. Unknown codes, codes of another
 * election, used and revoked ones are 401 `invalid_code` (the caller spends its guess budgets on
 * those: limits/rate-limits.ts `guardCodeGuess`); an entry that voted already (by signing in) is
 * 409 `already_voted` and keeps its code.
 */
export async function exchangeCode(
  master: Pool,
  config: Pick<Config, 'rollCodes' | 'session'>,
  electionId: string,
  typed: string,
): Promise<string> {
  const election = await getElectionMeta(master, electionId);
  if (!election || election.status === 'draft') {
    throw new DomainError('not_found', 'election not found');
  }
  if (election.access !== 'roll') {
    throw new DomainError('conflict', 'this election takes no ballot codes');
  }
  if (election.status === 'closed') throw new DomainError('not_open', 'the election is closed');
  const symbols = normalizeBallotCode(typed);
  if (!symbols) throw invalidCode('unknown');
  const [rows] = await master.query<CodeRow[]>(
    `SELECT c.id, c.election_id, c.entry_id, c.state, p.voter_key IS NOT NULL AS voted
     FROM roll_codes c LEFT JOIN participation p
       ON p.election_id = c.election_id AND p.voter_key = CONCAT('r:', c.entry_id)
     WHERE c.code_hash = ?`,
    [hashBallotCode(config.rollCodes.secret, symbols)],
  );
  const code = rows[0];
  if (!code || code.election_id !== electionId) throw invalidCode('unknown');
  if (code.state !== 'live') throw invalidCode(code.state);
  if (Number(code.voted) === 1) {
    throw new DomainError('already_voted', 'this voter has already voted');
  }
  const [won] = await master.query<ResultSetHeader>(
    `UPDATE roll_codes SET state = 'used' WHERE id = ? AND state = 'live'`,
    [code.id],
  );
  if (won.affectedRows !== 1) throw invalidCode('used');
  return issueRollVoterToken(
    config.session.secret,
    { electionId, entryId: code.entry_id, codeId: code.id },
    config.session.voterTtlHours,
  );
}
