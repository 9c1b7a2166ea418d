// A fault drill's stack and what it observes on the nodes' own ports: a stack of the drill's own
// (it breaks things) with an open election, the jest hooks that start and stop it, polling with a
// deadline, and each node's health and read routing (/api/health, /metrics).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Election } from '@tallyboard/shared';
import { closeAllViewers } from '../integration/live-helpers';
import { openNewElection, signInAdmin, type AdminSession } from './elections';
import { repoRoot, startStack, type TestStack } from './stack';

export { sleep, until } from './until';

export interface Drill {
  stack: TestStack;
  admin: AdminSession;
  election: Election;
}

/** Limits high enough that one test process (one address) can act as hundreds of voters. */
const drillEnv = {
  RATE_VOTER_TOKENS_PER_IP_PER_MIN: '100000',
  RATE_BALLOTS_PER_IP_PER_MIN: '100000',
  RATE_LOGIN_PER_IP_PER_MIN: '10000',
};

/** A stack of the drill's own (it breaks things) with one open election of three candidates. */
export async function startDrill(env: Record<string, string> = {}): Promise<Drill> {
  const needed = ['server/dist/main.js', 'server/dist/cli/migrate.js', 'client/dist/index.html'];
  if (needed.some((f) => !existsSync(path.join(repoRoot, f)))) {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const stack = await startStack({ env: { ...drillEnv, ...env } });
  const admin = await signInAdmin(stack);
  const election = await openNewElection(admin, { candidates: 3 });
  return { stack, admin, election };
}

/**
 * The jest hooks of a drill file: a generous timeout, a drill stack started before its tests and
 * stopped after them (viewers closed first). Read `.drill` inside a test.
 */
export function useDrill(env: Record<string, string> = {}): { readonly drill: Drill } {
  jest.setTimeout(600_000);
  let drill: Drill | undefined;
  beforeAll(async () => {
    drill = await startDrill(env);
  });
  afterAll(async () => {
    closeAllViewers();
    await drill?.stack.stop();
  });
  return {
    get drill(): Drill {
      if (!drill) throw new Error('the drill stack did not start (see beforeAll)');
      return drill;
    },
  };
}

/** A replica as a node's /api/health shows it. */
export interface NodeReplica {
  name: string;
  address: string;
  ok: boolean;
}

/** What a node's /api/health says (its own port: through nginx it is an unknown route). */
export interface NodeHealth {
  status: string;
  writable: boolean;
  replicas: NodeReplica[];
}

export const nodeHealth = async (port: number): Promise<NodeHealth> =>
  (await fetch(`http://127.0.0.1:${port}/api/health`)).json() as Promise<NodeHealth>;

/**
 * Reads the routers served, by target (a replica's name, or `master`), summed over every node's
 * `tallyboard_db_reads_total`: where reads really went, not where a node says they would.
 */
export async function readsByTarget(stack: TestStack): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (const port of stack.ports.nodes) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const m of text.matchAll(/^tallyboard_db_reads_total\{target="([^"]+)"\} (\d+)/gm)) {
      totals[m[1]!] = (totals[m[1]!] ?? 0) + Number(m[2]);
    }
  }
  return totals;
}
