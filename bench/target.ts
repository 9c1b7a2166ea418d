// What every benchmark needs: its command-line options, the stack it measures (URL, admin login,
// the session secret that signs voter tokens locally) and its elections, made with the tests'
// fixture (server/test/support/elections.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openNewElection, signInAdmin } from '../server/test/support/elections';
import type { StackRef } from './cpu';

export const arg = (name: string, fallback?: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
export const flag = (name: string): boolean => process.argv.includes(`--${name}`);

export interface Target {
  url: string;
  admin: { email: string; password: string };
  secret: string;
  /** A local stack's folder and Redis port, for CPU per component (bench/cpu.ts); else null. */
  stack: StackRef | null;
}

/** The stack from `--stack <handle.json>` (a test stack), else `--url` with .env / environment. */
export function target(): Target {
  const file = arg('stack');
  if (file) {
    const h = JSON.parse(readFileSync(file, 'utf8')) as {
      baseUrl: string;
      admin: { email: string; password: string };
      env: Record<string, string>;
      dir: string;
      ports: { redis: number };
    };
    return {
      url: arg('url', h.baseUrl)!,
      admin: h.admin,
      secret: h.env.SESSION_SECRET!,
      stack: { dir: h.dir, redisPort: h.ports.redis },
    };
  }
  const env: Record<string, string | undefined> = { ...dotenv(), ...process.env };
  return {
    url: arg('url', 'http://127.0.0.1:8080')!,
    admin: { email: env.ADMIN_EMAIL ?? '', password: env.ADMIN_PASSWORD ?? '' },
    secret: env.SESSION_SECRET ?? '',
    stack: null,
  };
}

function dotenv(): Record<string, string> {
  try {
    return Object.fromEntries(
      readFileSync(path.resolve(__dirname, '../.env'), 'utf8')
        .split('\n')
        .map((l) => /^([A-Z_]+)=(.*)$/.exec(l.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1] as string, (m[2] as string).replace(/^["']|["']$/g, '')]),
    );
  } catch {
    return {};
  }
}

/** What a benchmark needs of an election: where to send ballots. */
export interface BenchElection {
  id: string;
  positions: Array<{ id: string; candidates: Array<{ id: string }> }>;
}

/** A new open `live` election on the target with one seat of `candidates` candidates. */
export async function openBenchElection(
  t: Target,
  title: string,
  candidates: number,
): Promise<BenchElection> {
  const admin = await signInAdmin({ baseUrl: t.url, admin: t.admin });
  return openNewElection(admin, { title, candidates });
}
