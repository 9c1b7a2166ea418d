// Where the CPU goes: per-component CPU time of a local stack (and of this load generator), read
// from /proc/<pid>/stat between two samples. Linux only; elsewhere sampling returns nothing.
import { readdirSync, readFileSync } from 'node:fs';

export interface StackRef {
  /** The stack's folder (TB_STACK_DIR). */
  dir: string;
  redisPort: number;
}

export interface CpuSample {
  at: number;
  /** CPU seconds so far, per pid, with the component it belongs to. */
  procs: Map<number, { component: string; seconds: number }>;
}

/** CPU share and milliseconds of CPU per ballot, per component. */
export type CpuReport = Record<string, { cores: number; msPerBallot: number }>;

const TICK = 100; // USER_HZ on Linux

function read(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function component(pid: number, cmd: string, env: () => string, ref: StackRef): string | null {
  if (pid === process.pid) return 'load generator';
  const db = new RegExp(`${ref.dir}/mariadb/(\\w+)/`).exec(cmd);
  if (db) return `mariadb ${db[1]}`;
  if (cmd.startsWith('redis-server') && cmd.includes(`:${ref.redisPort}`)) return 'redis';
  if (cmd.startsWith('nginx:')) return null; // decided by the master's command line, below
  if (cmd.startsWith('PM2') && cmd.includes(ref.dir)) return 'pm2';
  if (/\bnode\b/.test(cmd) && env().split('\0').includes(`TB_STACK_DIR=${ref.dir}`)) {
    return 'nodes';
  }
  return null;
}

export function sampleCpu(ref: StackRef | null): CpuSample {
  const procs = new Map<number, { component: string; seconds: number }>();
  const sample = { at: performance.now(), procs };
  if (!ref || process.platform !== 'linux') return sample;
  const nginxMasters = new Set<number>();
  const nginxWorkers: Array<[number, number, number]> = []; // pid, ppid, seconds
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmd = read(name, 'cmdline').replace(/\0/g, ' ').trim();
    const stat = read(name, 'stat');
    if (!cmd || !stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICK;
    const pid = Number(name);
    if (cmd.startsWith('nginx: master') && cmd.includes(ref.dir)) nginxMasters.add(pid);
    else if (cmd.startsWith('nginx:')) nginxWorkers.push([pid, Number(fields[1]), seconds]);
    const c = component(pid, cmd, () => read(name, 'environ'), ref);
    if (c) procs.set(pid, { component: c, seconds });
  }
  for (const [pid, ppid, seconds] of nginxWorkers) {
    if (nginxMasters.has(ppid)) procs.set(pid, { component: 'nginx', seconds });
  }
  return sample;
}

/** CPU per component between two samples, over `ballots` acknowledged ballots. */
export function cpuReport(a: CpuSample, b: CpuSample, ballots: number): CpuReport {
  const wall = (b.at - a.at) / 1000;
  const spent: Record<string, number> = {};
  for (const [pid, p] of b.procs) {
    const before = a.procs.get(pid);
    if (before) spent[p.component] = (spent[p.component] ?? 0) + p.seconds - before.seconds;
  }
  const total = Object.values(spent).reduce((s, v) => s + v, 0);
  const report: CpuReport = {};
  for (const [c, s] of [...Object.entries(spent), ['total', total] as const].sort(
    (x, y) => y[1] - x[1],
  )) {
    report[c] = {
      cores: Number((s / wall).toFixed(2)),
      msPerBallot: ballots > 0 ? Number(((1000 * s) / ballots).toFixed(3)) : NaN,
    };
  }
  return report;
}
