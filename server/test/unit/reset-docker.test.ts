// reset.sh's Docker path, without a Docker engine: reset.sh and deploy/docker-secrets.sh are run
// from a copy, with `docker` and `docker-compose` on PATH replaced by scripts that log their
// arguments and answer as a stack would (FAKE_UNHEALTHY / FAKE_MIGRATE_FAILS make them fail). What
// is asserted is the order: secrets, build, migrations, then one node at a time, each healthy
// before the next, nginx last.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function run(env: Record<string, string> = {}): {
  status: number | null;
  log: string[];
  err: string;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-reset-'));
  try {
    mkdirSync(path.join(dir, 'deploy'));
    mkdirSync(path.join(dir, 'bin'));
    copyFileSync(path.join(root, 'reset.sh'), path.join(dir, 'reset.sh'));
    copyFileSync(path.join(root, 'docker-compose.yml'), path.join(dir, 'docker-compose.yml'));
    copyFileSync(
      path.join(root, 'deploy/docker-secrets.sh'),
      path.join(dir, 'deploy/docker-secrets.sh'),
    );
    writeFileSync(
      path.join(dir, '.env'),
      'MYSQL_ROOT_PASSWORD=r\nDB_PASSWORD=d\nDB_MIGRATE_PASSWORD=m\nREPL_PASSWORD=p\n' +
        'SESSION_SECRET=s\nADMIN_PASSWORD=a\nREDIS_PASSWORD=x\nADMIN_EMAIL=a@b.c\n',
    );
    const log = path.join(dir, 'log');
    writeFileSync(
      path.join(dir, 'bin/docker'),
      '#!/bin/sh\necho "docker $*" >>"$FAKELOG"\n' +
        'case "$1" in info) exit 0 ;; compose) exit 1 ;; inspect)\n' +
        '  if [ -n "$FAKE_UNHEALTHY" ] && echo "$*" | grep -q "cid-$FAKE_UNHEALTHY"; then\n' +
        '    echo starting; else echo healthy; fi ;; esac\n',
    );
    writeFileSync(
      path.join(dir, 'bin/docker-compose'),
      '#!/bin/sh\necho "docker-compose $*" >>"$FAKELOG"\n' +
        'case "$*" in *" ps -q "*) echo "cid-$(echo "$*" | awk \'{print $NF}\')" ;;\n' +
        '  *" run --rm migrate"*) [ -z "$FAKE_MIGRATE_FAILS" ] || exit 1 ;; esac\n',
    );
    for (const f of ['reset.sh', 'deploy/docker-secrets.sh', 'bin/docker', 'bin/docker-compose']) {
      chmodSync(path.join(dir, f), 0o755);
    }
    const r = spawnSync('bash', [path.join(dir, 'reset.sh')], {
      encoding: 'utf8',
      env: {
        PATH: `${path.join(dir, 'bin')}:${process.env.PATH ?? ''}`,
        HOME: dir,
        FAKELOG: log,
        FAKE_UNHEALTHY: '',
        FAKE_MIGRATE_FAILS: '',
        TB_RESET_NODE_TIMEOUT: '3',
        ...env,
      },
    });
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.replace('docker-compose --env-file .env -f docker-compose.yml ', 'dc '));
    expect(readFileSync(path.join(dir, '.secrets/redis_url'), 'utf8')).toBe(
      'redis://:x@redis:6379',
    );
    return { status: r.status, log: lines, err: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const restart = (b: string) => [
  `dc up -d --no-deps --no-build --force-recreate ${b}`,
  `dc ps -q ${b}`,
  `docker inspect -f {{.State.Health.Status}} cid-${b}`,
  'dc exec -T nginx nginx -s reload',
];

describe('reset.sh with a running Docker stack', () => {
  it('builds, migrates, then restarts the nodes one at a time, each healthy first; nginx last', () => {
    const r = run();
    expect(r.status).toBe(0);
    expect(r.log.filter((l) => l.startsWith('dc '))).toEqual([
      'dc build migrate nginx',
      'dc run --rm migrate',
      ...restart('backend1').filter((l) => l.startsWith('dc ')),
      ...restart('backend2').filter((l) => l.startsWith('dc ')),
      ...restart('backend3').filter((l) => l.startsWith('dc ')),
      'dc up -d --no-deps --no-build nginx',
    ]);
    const b2 = r.log.indexOf(restart('backend2')[0]!);
    expect(r.log.indexOf(restart('backend1')[2]!)).toBeLessThan(b2);
  });

  it('stops at a node that does not become healthy, before touching the next', () => {
    const r = run({ FAKE_UNHEALTHY: 'backend2' });
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/backend2 is not healthy after 3s/);
    expect(r.log).toContain(restart('backend2')[0]);
    expect(r.log).not.toContain(restart('backend3')[0]);
  });

  it('restarts no node when the migrations fail', () => {
    const r = run({ FAKE_MIGRATE_FAILS: '1' });
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/migrations failed/);
    expect(r.log.some((l) => l.includes('--force-recreate'))).toBe(false);
  });
});
