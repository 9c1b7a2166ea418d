// The election a run loads: an existing one found by its join code (what the public holds, no
// secrets), or one of its own made with an admin login, opened now and closed at the end. Also
// the voter identities: anonymous tokens from POST /api/voters, or roll codes exchanged at
// POST /api/elections/:id/voters.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Election, LoginResponse, Results, VoterTokenResponse } from '@tallyboard/shared';
import { expectJson, requestJson } from './http';
import type { Options } from './options';
import type { VoterSource } from './protocol';

export interface Target {
  url: string;
  electionId: string;
  joinCode: string;
  mode: 'admin' | 'public';
  choices: Array<Record<string, string[]>>;
  voterSource: VoterSource;
  /** Local processes to read RSS from: a test stack's folder. */
  stackDir: string | null;
  /** The election's ballot count as results show it now (null when hidden from us). */
  ballots(): Promise<number | null>;
  /** Admin mode: close the election (no-op in public mode). */
  close(): Promise<void>;
}

/** KEY=value lines of a .env file (quotes stripped); {} when there is none. */
export function readDotenv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!.replace(/^["']|["']$/g, '')]),
  );
}

interface StackHandleFile {
  baseUrl: string;
  dir: string;
  admin: { email: string; password: string };
}

/** Every candidate of the first position in turn, one per ballot. */
function choicesOf(e: Pick<Election, 'positions'>): Array<Record<string, string[]>> {
  const p = e.positions[0];
  if (!p || !p.candidates.length) throw new Error('the election has no position with candidates');
  return p.candidates.map((c) => ({ [p.id]: [c.id] }));
}

export async function resolveTarget(o: Options, title: string): Promise<Target> {
  let url = o.url;
  let admin = o.adminEmail ? { email: o.adminEmail, password: o.adminPassword ?? '' } : null;
  let stackDir: string | null = null;
  if (o.stack) {
    const h = JSON.parse(readFileSync(o.stack, 'utf8')) as StackHandleFile;
    url = h.baseUrl;
    stackDir = h.dir;
    admin ??= h.admin;
  }
  if (!o.join && !admin) {
    // Beside the stack: the environment, then ./.env, as ./build.sh writes it.
    const env = { ...readDotenv(path.resolve('.env')), ...process.env };
    if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
      admin = { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
    }
  }
  const voterSource: VoterSource = o.codes
    ? {
        kind: 'roll',
        codes: readFileSync(o.codes, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      }
    : { kind: 'open' };

  if (o.join) {
    const lobby = await expectJson<{ id: string }>(
      'GET',
      `${url}/api/elections/by-code/${encodeURIComponent(o.join)}/lobby`,
    );
    // A roll election shows its ballot to its voters: read it with the first code's token.
    let token: string | undefined;
    if (voterSource.kind === 'roll') {
      token = await voterToken(url, lobby.id, voterSource, 0, '127.0.0.1');
      voterSource.codes.shift();
    }
    const e = await expectJson<Election>('GET', `${url}/api/elections/${lobby.id}`, { token });
    return {
      url,
      electionId: e.id,
      joinCode: e.joinCode,
      mode: 'public',
      choices: choicesOf(e),
      voterSource,
      stackDir,
      ballots: () => readBallots(url, e.id),
      close: async () => {},
    };
  }
  if (!admin) {
    throw new Error(
      'no election: give --join CODE, or an admin login (--admin-email/--admin-password, ADMIN_EMAIL/ADMIN_PASSWORD, ./.env)',
    );
  }
  const { token } = await expectJson<LoginResponse>('POST', `${url}/api/auth/login`, {
    body: admin,
  });
  const created = await expectJson<Election>('POST', `${url}/api/elections`, {
    token,
    body: {
      title,
      access: voterSource.kind === 'roll' ? 'roll' : 'open',
      resultsVisibility: 'live',
      positions: [
        {
          title: 'Chair',
          maxSelections: 1,
          winners: 1,
          candidates: ['Ada', 'Grace', 'Edsger'].map((name) => ({ name })),
        },
      ],
    },
  });
  const e = await expectJson<Election>('POST', `${url}/api/elections/${created.id}/open`, {
    token,
  });
  let closed = false;
  return {
    url,
    electionId: e.id,
    joinCode: e.joinCode,
    mode: 'admin',
    choices: choicesOf(e),
    voterSource,
    stackDir,
    ballots: () => readBallots(url, e.id, token),
    close: async () => {
      if (closed) return;
      closed = true;
      await expectJson('POST', `${url}/api/elections/${e.id}/close`, { token });
    },
  };
}

async function readBallots(url: string, id: string, token?: string): Promise<number | null> {
  const a = await requestJson<Results>('GET', `${url}/api/elections/${id}/results`, { token });
  return a.body ? a.body.ballots : null;
}

/**
 * A voter token: an anonymous one, or the exchange of roll code number `i`. Throws an error
 * whose message is the answer's error code (rate_limited, invalid_code, …).
 */
export async function voterToken(
  url: string,
  electionId: string,
  source: VoterSource,
  i: number,
  from: string | undefined,
): Promise<string> {
  const a =
    source.kind === 'open'
      ? await requestJson<VoterTokenResponse>('POST', `${url}/api/voters`, { source: from })
      : await requestJson<VoterTokenResponse>('POST', `${url}/api/elections/${electionId}/voters`, {
          source: from,
          body: { code: source.codes[i] ?? '' },
        });
  if (!a.body) throw new Error(a.code ?? String(a.status));
  return a.body.voterToken;
}
