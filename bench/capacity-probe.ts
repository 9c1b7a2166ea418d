// Memory and CPU of the processes a capacity run loads, read from /proc (Linux only): a local
// stack's by its folder (bench/cpu.ts finds them), or any named groups of pids (the reference
// cluster's), plus the generator's own workers.
import { readdirSync, readFileSync } from 'node:fs';
import { sampleCpu, type CpuSample, type StackRef } from './cpu';

export interface Probe {
  /** MB of resident memory per component. */
  rss(workerPids: number[]): Record<string, number>;
  cpu(workerPids: number[]): CpuSample;
  /** Per component: the lowest open-file limit of its processes and the most descriptors open. */
  files(workerPids: number[]): Record<string, { limit: number; open: number }>;
}

function files(sample: CpuSample): Record<string, { limit: number; open: number }> {
  const out: Record<string, { limit: number; open: number }> = {};
  for (const [pid, p] of sample.procs) {
    const limit = Number(/Max open files\s+(\d+)/.exec(read(pid, 'limits'))?.[1] ?? 0);
    let open = 0;
    try {
      open = readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      continue;
    }
    const o = (out[p.component] ??= { limit, open });
    o.limit = Math.min(o.limit, limit);
    o.open = Math.max(o.open, open);
  }
  return out;
}

const TICK = 100; // USER_HZ on Linux

function read(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

const rssKb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(read(pid, 'status'))?.[1] ?? 0);

function cpuSeconds(pid: number): number | null {
  const stat = read(pid, 'stat');
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

function rssByComponent(sample: CpuSample): Record<string, number> {
  const kb: Record<string, number> = {};
  for (const [pid, p] of sample.procs) kb[p.component] = (kb[p.component] ?? 0) + rssKb(pid);
  return Object.fromEntries(Object.entries(kb).map(([k, v]) => [k, Math.round(v / 1024)]));
}

function withWorkers(sample: CpuSample, workerPids: number[]): CpuSample {
  for (const pid of workerPids) {
    const seconds = cpuSeconds(pid);
    if (seconds !== null) sample.procs.set(pid, { component: 'load generator', seconds });
  }
  return sample;
}

/** A local stack (deploy/local/stack.sh) in `ref.dir`. */
export function stackProbe(ref: StackRef): Probe {
  return {
    rss: (workers) => rssByComponent(withWorkers(sampleCpu(ref), workers)),
    cpu: (workers) => withWorkers(sampleCpu(ref), workers),
    files: (workers) => files(withWorkers(sampleCpu(ref), workers)),
  };
}

/** Named groups of pids (e.g. the reference cluster's nodes, nginx and Redis). */
export function processProbe(groups: () => Record<string, number[]>): Probe {
  const sample = (workers: number[]): CpuSample => {
    const procs: CpuSample['procs'] = new Map();
    for (const [component, pids] of Object.entries(groups())) {
      for (const pid of pids) {
        const seconds = cpuSeconds(pid);
        if (seconds !== null) procs.set(pid, { component, seconds });
      }
    }
    const self = cpuSeconds(process.pid);
    if (self !== null) procs.set(process.pid, { component: 'load generator', seconds: self });
    return withWorkers({ at: performance.now(), procs }, workers);
  };
  return {
    rss: (workers) => rssByComponent(sample(workers)),
    cpu: sample,
    files: (workers) => files(sample(workers)),
  };
}
