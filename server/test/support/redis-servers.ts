// Real redis-server processes for tests of the Redis modes: a master with a replica watched by
// three sentinels, and a three-master Redis 7 cluster, each on free ports under a fresh /tmp
// folder. `stop()` kills every process it started and removes the folder.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { until } from './drill';
import { freePorts } from './stack';

const run = promisify(execFile);

export class RedisServers {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'tb-redis-'));
  private readonly procs = new Map<number, ChildProcess>();

  constructor(readonly password: string) {}

  /** `redis-cli` against one port (with the password unless `auth` is false); its stdout. */
  async cli(port: number, args: string[], auth = true): Promise<string> {
    const pass = auth ? ['-a', this.password, '--no-auth-warning'] : [];
    const { stdout } = await run('redis-cli', [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      ...pass,
      ...args,
    ]);
    return stdout.trim();
  }

  /** A data node (no persistence) with the password on both ends of replication. */
  async server(port: number, extra: string[] = []): Promise<void> {
    const dir = path.join(this.dir, String(port));
    mkdirSync(dir);
    this.start(port, 'redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--requirepass',
      this.password,
      '--masterauth',
      this.password,
      ...extra,
    ]);
    await until(`redis-server on ${port}`, 10_000, async () =>
      (await this.cli(port, ['PING'])) === 'PONG' ? true : undefined,
    );
  }

  /** A sentinel watching `master` under `name`, quick to act (1 s down, quorum 2). */
  async sentinel(port: number, name: string, masterPort: number): Promise<void> {
    const dir = path.join(this.dir, `sentinel-${port}`);
    mkdirSync(dir);
    const conf = path.join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
        `sentinel auth-pass ${name} ${this.password}`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    this.start(port, 'redis-server', [conf, '--sentinel']);
    await until(`sentinel on ${port}`, 10_000, async () =>
      (await this.cli(port, ['PING'], false)) === 'PONG' ? true : undefined,
    );
  }

  /**
   * A master and a replica watched by three sentinels that know the replica and each other (so a
   * failover can happen at once).
   */
  async sentinelSet(
    name: string,
  ): Promise<{ master: number; replica: number; sentinels: number[] }> {
    const [master, replica, ...sentinels] = (await freePorts(5)) as [number, number, ...number[]];
    await this.server(master);
    await this.server(replica, ['--replicaof', '127.0.0.1', String(master)]);
    for (const p of sentinels) await this.sentinel(p, name, master);
    await until('sentinels that know the replica and each other', 20_000, async () => {
      for (const p of sentinels) {
        const replicas = await this.cli(p, ['SENTINEL', 'REPLICAS', name], false);
        const peers = await this.cli(p, ['SENTINEL', 'SENTINELS', name], false);
        if (!replicas.includes(String(replica))) return undefined;
        if (sentinels.filter((s) => s !== p).some((s) => !peers.includes(String(s))))
          return undefined;
      }
      return true;
    });
    return { master, replica, sentinels };
  }

  /** Three masters sharing the 16384 slots (no replicas), every node agreeing the cluster is ok. */
  async cluster(): Promise<number[]> {
    const [a, b, c, ...bus] = (await freePorts(6)) as number[];
    const ports = [a!, b!, c!];
    for (const [i, p] of ports.entries()) {
      await this.server(p, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        path.join(this.dir, String(p), 'nodes.conf'),
        '--cluster-port',
        String(bus[i]),
        '--cluster-node-timeout',
        '3000',
      ]);
    }
    await run('redis-cli', [
      '-a',
      this.password,
      '--no-auth-warning',
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await until('cluster_state:ok on every node', 20_000, async () => {
      for (const p of ports) {
        if (!(await this.cli(p, ['CLUSTER', 'INFO'])).includes('cluster_state:ok'))
          return undefined;
      }
      return true;
    });
    return ports;
  }

  /** SIGKILL: the process is gone at once, as in a crash. */
  kill(port: number): void {
    this.procs.get(port)?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.procs.values()].map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGKILL');
          }),
      ),
    );
    this.procs.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private start(port: number, cmd: string, args: string[]): void {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr?.resume();
    this.procs.set(port, p);
  }
}
