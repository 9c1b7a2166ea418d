// Resident memory of a local target's processes, read from /proc (Linux; elsewhere nothing):
// a test stack's nodes, nginx and Redis found by its folder, or the reference's own children.
import { readdirSync, readFileSync } from 'node:fs';

export type ProcessGroups = Record<string, number[]>;

const read = (pid: number | string, file: string): string => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};

/** VmRSS of each group, in MB; groups whose processes are all gone are left out. */
export function rssMb(groups: ProcessGroups): Record<string, number> | null {
  if (process.platform !== 'linux') return null;
  const out: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    let kb = 0;
    for (const pid of pids) kb += Number(/VmRSS:\s+(\d+)/.exec(read(pid, 'status'))?.[1] ?? 0);
    if (kb) out[name] = Math.round(kb / 1024);
  }
  return Object.keys(out).length ? out : null;
}

/** nginx workers are children of a master: the master's pids plus theirs. */
export function withChildren(pids: number[]): number[] {
  const out = new Set(pids);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(name, 'stat');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (out.has(ppid)) out.add(Number(name));
  }
  return [...out];
}

/** The processes of a local Tallyboard stack (deploy/local/stack.sh) living in `dir`. */
export function stackProcesses(dir: string, redisPort: number | null): ProcessGroups {
  const groups: ProcessGroups = { nodes: [], nginx: [], redis: [] };
  if (process.platform !== 'linux') return groups;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmd = read(name, 'cmdline').replace(/\0/g, ' ').trim();
    const pid = Number(name);
    if (cmd.startsWith('nginx: master') && cmd.includes(dir)) groups.nginx!.push(pid);
    else if (redisPort && cmd.startsWith('redis-server') && cmd.includes(`:${redisPort}`)) {
      groups.redis!.push(pid);
    } else if (
      /\bnode\b/.test(cmd) &&
      !cmd.includes('PM2') &&
      read(name, 'environ').split('\0').includes(`TB_STACK_DIR=${dir}`)
    ) {
      groups.nodes!.push(pid);
    }
  }
  groups.nginx = withChildren(groups.nginx!);
  return groups;
}
