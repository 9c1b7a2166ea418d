// The voter roll of an election (access `roll`): adding entries in bulk, listing them with whether
// each voted, removing one that has not, and the marked register. "Voted" is read from
// `participation` (key `r:<entry id>`): who voted, never how. Every change holds the election's
// row lock, so it is ordered with the status changes and ballot batches of that election.
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { RollEntry, RollEntryInput, RollImportResponse } from '@tallyboard/shared';
import { withTransaction } from '../db/master';
import { DomainError } from '../errors';
import { newId } from '../ids';
import { lockElection, statusOfRow, type ElectionRow } from '../elections/store';
import { csvCell, UTF8_BOM } from '../tallies/export';

/** Rows per INSERT: ~200 KB statements, well under max_allowed_packet. */
const INSERT_CHUNK = 2000;
/** Values per `IN (?)` lookup. */
const LOOKUP_CHUNK = 5000;

/** The SQL that says whether roll entry `r` voted (participation shares nothing with ballots). */
export const VOTED_JOIN = `LEFT JOIN participation p
  ON p.election_id = r.election_id AND p.voter_key = CONCAT('r:', r.id)`;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Locks the election and checks it has a voter roll. */
export async function lockRollElection(conn: PoolConnection, id: string): Promise<ElectionRow> {
  const row = await lockElection(conn, id);
  if (row.access !== 'roll') {
    throw new DomainError(
      'conflict',
      `this election has no voter roll (its access is ${row.access})`,
    );
  }
  return row;
}

/**
 * Splits an import into new entries and refs already there (on the roll or earlier in the same
 * list), each duplicate ref reported once. An email may belong to one entry of an election only:
 * it is what lets that person sign in instead of using a code.
 */
export function planImport(
  voters: readonly RollEntryInput[],
  existingRefs: ReadonlySet<string>,
  existingEmails: ReadonlySet<string>,
): {
  fresh: RollEntryInput[];
  duplicates: string[];
  emailIssues: Array<{ path: Array<string | number>; message: string }>;
} {
  const refs = new Set(existingRefs);
  const emails = new Set(existingEmails);
  const duplicates = new Set<string>();
  const fresh: RollEntryInput[] = [];
  const emailIssues: Array<{ path: Array<string | number>; message: string }> = [];
  voters.forEach((v, i) => {
    if (refs.has(v.ref)) {
      duplicates.add(v.ref);
      return;
    }
    refs.add(v.ref);
    if (v.email !== undefined) {
      if (emails.has(v.email)) {
        emailIssues.push({
          path: ['voters', i, 'email'],
          message: 'another entry of this roll has this email',
        });
      }
      emails.add(v.email);
    }
    fresh.push(v);
  });
  return { fresh, duplicates: [...duplicates], emailIssues };
}

async function existing(
  conn: PoolConnection,
  electionId: string,
  column: 'ref' | 'email',
  values: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks(values, LOOKUP_CHUNK)) {
    if (part.length === 0) continue;
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT ${column} AS v FROM roll_entries WHERE election_id = ? AND ${column} IN (?)`,
      [electionId, part],
    );
    for (const r of rows) found.add(String(r.v));
  }
  return found;
}

function assertRollEditable(row: ElectionRow): void {
  const status = statusOfRow(row);
  if (status !== 'draft' && status !== 'scheduled') {
    throw new DomainError(
      'conflict',
      `voters are added while the election is a draft or scheduled (it is ${status})`,
    );
  }
}

/** Adds `voters` to the roll in one transaction: all of them but the duplicates, or none. */
export function importRoll(
  master: Pool,
  electionId: string,
  voters: readonly RollEntryInput[],
): Promise<RollImportResponse> {
  return withTransaction(master, async (conn) => {
    assertRollEditable(await lockRollElection(conn, electionId));
    const refs = await existing(
      conn,
      electionId,
      'ref',
      voters.map((v) => v.ref),
    );
    const emails = voters.flatMap((v) => (v.email === undefined ? [] : [v.email]));
    const known = await existing(conn, electionId, 'email', emails);
    const plan = planImport(voters, refs, known);
    if (plan.emailIssues.length) {
      throw new DomainError('invalid', 'an email may belong to one entry of the roll only', {
        issues: plan.emailIssues,
      });
    }
    try {
      for (const part of chunks(plan.fresh, INSERT_CHUNK)) {
        await conn.query('INSERT INTO roll_entries (id, election_id, ref, name, email) VALUES ?', [
          part.map((v) => [newId(), electionId, v.ref, v.name, v.email ?? null]),
        ]);
      }
    } catch (e) {
      // The collation equates what the plan did not (accents in an email): the same refusal.
      if ((e as { code?: string }).code === 'ER_DUP_ENTRY') {
        throw new DomainError('invalid', 'an email may belong to one entry of the roll only');
      }
      throw e;
    }
    await conn.query('UPDATE elections SET roll_size = roll_size + ? WHERE id = ?', [
      plan.fresh.length,
      electionId,
    ]);
    return { added: plan.fresh.length, duplicates: plan.duplicates };
  });
}

interface EntryRow extends RowDataPacket {
  ref: string;
  name: string;
  email: string | null;
  voted: number;
  code: 'none' | 'issued' | 'used';
}

/** Every entry, by ref, with whether it voted and where its code stands. */
export async function listRoll(db: Pool, electionId: string): Promise<RollEntry[]> {
  const [rows] = await db.query<EntryRow[]>(
    `SELECT r.ref, r.name, r.email, p.voter_key IS NOT NULL AS voted,
       COALESCE((SELECT IF(MAX(c.state = 'used'), 'used', 'issued') FROM roll_codes c
                 WHERE c.entry_id = r.id AND c.state <> 'revoked'), 'none') AS code
     FROM roll_entries r ${VOTED_JOIN}
     WHERE r.election_id = ? ORDER BY r.ref`,
    [electionId],
  );
  return rows.map((r) => ({
    ref: r.ref,
    name: r.name,
    email: r.email,
    voted: Number(r.voted) === 1,
    code: r.code,
  }));
}

/**
 * Removes an entry that has not voted (its codes go with it). Not while the election is open: a
 * ballot already checked against the entry could still be in its batch.
 */
export function removeEntry(master: Pool, electionId: string, ref: string): Promise<void> {
  return withTransaction(master, async (conn) => {
    const row = await lockRollElection(conn, electionId);
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT r.id, p.voter_key IS NOT NULL AS voted FROM roll_entries r ${VOTED_JOIN}
       WHERE r.election_id = ? AND r.ref = ?`,
      [electionId, ref],
    );
    const entry = rows[0];
    if (!entry) throw new DomainError('not_found', 'no entry with this ref on the roll');
    if (Number(entry.voted) === 1) {
      throw new DomainError('already_voted', 'this voter has voted: the entry stays on the roll');
    }
    if (statusOfRow(row) === 'open') {
      throw new DomainError(
        'conflict',
        'entries are removed before the election opens or after it closes',
      );
    }
    await conn.query('DELETE FROM roll_entries WHERE id = ?', [entry.id]);
    await conn.query('UPDATE elections SET roll_size = roll_size - 1 WHERE id = ?', [electionId]);
  });
}

/** The marked register as CSV: every entry with whether it voted. Who voted, never how. */
export async function markedRegisterCsv(db: Pool, electionId: string): Promise<string> {
  const entries = await listRoll(db, electionId);
  const lines = [['ref', 'name', 'voted'].map(csvCell).join(',')];
  for (const e of entries)
    lines.push([e.ref, e.name, e.voted ? 'yes' : 'no'].map(csvCell).join(','));
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
