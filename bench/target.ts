// What every benchmark needs: its command-line options, the stack it measures (URL, admin login,
// the session secret that signs voter tokens locally) and a small JSON client for setup calls.
import { readFileSync } from 'node:fs';
import path from 'node:path';
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

export async function api<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface BenchElection {
  id: string;
  positions: Array<{ id: string; candidates: Array<{ id: string }> }>;
}

/** Signs in as the admin, creates an open `live` election with one position, and opens it. */
export async function openElection(
  t: Target,
  title: string,
  candidates: number,
): Promise<BenchElection> {
  const { token } = await api<{ token: string }>(`${t.url}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify(t.admin),
  });
  const e = await api<BenchElection>(`${t.url}/api/elections`, {
    method: 'POST',
    token,
    body: JSON.stringify({
      title,
      access: 'open',
      resultsVisibility: 'live',
      positions: [
        {
          title: 'Chair',
          maxSelections: 1,
          winners: 1,
          candidates: Array.from({ length: candidates }, (_, i) => ({
            name: String.fromCharCode(65 + i),
          })),
        },
      ],
    }),
  });
  await api(`${t.url}/api/elections/${e.id}/open`, { method: 'POST', token });
  return e;
}
