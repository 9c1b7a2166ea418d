// The Docker path cannot run here (no engine): pin its shape statically, and have Debian's
// docker-compose validate the file (installed with apt-get when missing and possible).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';

const root = path.resolve(__dirname, '../../..');
const composeFile = path.join(root, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  restart?: string;
  ports?: string[];
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
}
const doc = yaml.load(readFileSync(composeFile, 'utf8')) as { services: Record<string, Service> };
const services = doc.services;

function findCompose(): { bin?: string; reason?: string } {
  const has = () => spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
  if (has()) return { bin: 'docker-compose' };
  // TB_NO_APT: inside the server image build, where the file is not run and apt is not wanted.
  if (process.env.TB_NO_APT === '1')
    return { reason: 'TB_NO_APT=1 (docker-compose not installed)' };
  if (process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    const r = spawnSync(
      'sh',
      ['-c', 'apt-get update -qq && apt-get install -y -qq docker-compose'],
      {
        encoding: 'utf8',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      },
    );
    if (has()) return { bin: 'docker-compose' };
    return { reason: `apt-get install docker-compose failed: ${r.stderr.trim().slice(-200)}` };
  }
  return {
    reason:
      'docker-compose is missing and this is not root on Debian (apt-get install -y docker-compose)',
  };
}

describe('docker-compose.yml', () => {
  const compose = findCompose();
  const validate = compose.bin ? it : it.skip;
  validate(
    `is accepted by docker-compose config${compose.reason ? ` (SKIPPED: ${compose.reason})` : ''}`,
    () => {
      const envFile = path.join(os.tmpdir(), `tb-compose-${process.pid}.env`);
      writeFileSync(
        envFile,
        [
          'DB_PASSWORD',
          'DB_MIGRATE_PASSWORD',
          'REPL_PASSWORD',
          'MYSQL_ROOT_PASSWORD',
          'SESSION_SECRET',
          'ADMIN_PASSWORD',
          'REDIS_PASSWORD',
        ]
          .map((k) => `${k}=test-${k.toLowerCase()}\n`)
          .join('') + 'ADMIN_EMAIL=admin@example.test\n',
      );
      try {
        execFileSync(compose.bin!, ['--env-file', envFile, '-f', composeFile, 'config', '-q'], {
          cwd: root,
          stdio: 'pipe',
        });
      } finally {
        rmSync(envFile, { force: true });
      }
    },
  );

  it('has the whole topology: MySQL 8.4 master and two replicas, Redis 7, three nodes, nginx', () => {
    for (const db of ['mysql-master', 'mysql-replica1', 'mysql-replica2']) {
      expect(services[db]?.image).toBe('mysql:8.4');
    }
    expect(services.redis?.image).toBe('redis:7');
    for (const b of ['backend1', 'backend2', 'backend3']) {
      expect(services[b]?.build?.dockerfile).toBe('server/Dockerfile');
      expect(services[b]?.environment?.DB_FLAVOR).toBe('mysql');
    }
    expect(services.nginx?.build?.dockerfile).toBe('deploy/nginx/Dockerfile');
  });

  it('gives every long-running service a healthcheck and a restart policy', () => {
    for (const [name, s] of Object.entries(services)) {
      if (name === 'migrate') continue;
      expect({ name, healthcheck: Boolean(s.healthcheck) }).toEqual({ name, healthcheck: true });
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
    }
  });

  it('starts nodes only after healthy dependencies and a successful migration', () => {
    expect(services.backend1?.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
      'mysql-replica1': { condition: 'service_healthy' },
      'mysql-replica2': { condition: 'service_healthy' },
    });
    expect(services['mysql-replica1']?.depends_on).toEqual({
      'mysql-master': { condition: 'service_healthy' },
    });
    expect(services.nginx?.depends_on?.backend3).toEqual({ condition: 'service_healthy' });
  });

  it('publishes no database or Redis port, and nginx on the app and client ports', () => {
    for (const name of ['mysql-master', 'mysql-replica1', 'mysql-replica2', 'redis']) {
      expect({ name, ports: services[name]?.ports }).toEqual({ name, ports: undefined });
    }
    expect(services.nginx?.ports).toEqual([
      '${TB_NGINX_PORT:-8080}:8080',
      '${TB_CLIENT_PORT:-5173}:5173',
    ]);
  });

  it('takes every secret from .env, with no default', () => {
    const text = readFileSync(composeFile, 'utf8');
    for (const k of [
      'MYSQL_ROOT_PASSWORD',
      'DB_PASSWORD',
      'DB_MIGRATE_PASSWORD',
      'REPL_PASSWORD',
      'SESSION_SECRET',
      'ADMIN_PASSWORD',
      'REDIS_PASSWORD',
    ]) {
      expect(text).toContain(`\${${k}:?`);
      expect(text).not.toMatch(new RegExp(`\\$\\{${k}:-`));
    }
  });

  it('gives the migrator account to the migrate service only, never to a node', () => {
    expect(services.migrate?.environment?.DB_MIGRATE_PASSWORD).toContain('DB_MIGRATE_PASSWORD');
    for (const b of ['backend1', 'backend2', 'backend3']) {
      expect({ b, env: Object.keys(services[b]?.environment ?? {}) }).not.toEqual({
        b,
        env: expect.arrayContaining(['DB_MIGRATE_PASSWORD']),
      });
    }
  });

  it('expires binlogs on every MySQL instance (TB_BINLOG_EXPIRE_SECONDS, one day by default)', () => {
    for (const db of ['mysql-master', 'mysql-replica1', 'mysql-replica2']) {
      const command = (services[db] as { command?: string[] } | undefined)?.command ?? [];
      expect(command).toContain('--binlog-expire-logs-seconds=${TB_BINLOG_EXPIRE_SECONDS:-86400}');
    }
  });

  it('runs Redis with the password from .env, and the nodes connect with it', () => {
    expect(JSON.stringify(services.redis)).toMatch(/requirepass/);
    expect(services.redis?.environment?.REDIS_PASSWORD).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    expect(services.backend1?.environment?.REDIS_URL).toMatch(
      /^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379$/,
    );
  });

  it('has the nodes trust X-Forwarded-For from nginx’s own address only', () => {
    const nginx = services.nginx as Service & {
      networks?: { default?: { ipv4_address?: string } };
    };
    const ip = nginx.networks?.default?.ipv4_address;
    expect(ip).toBeDefined();
    expect(services.backend1?.environment?.TRUST_PROXY).toBe(ip);
  });

  it('runs the unit tests in the server image build, so a failing test stops it', () => {
    const dockerfile = readFileSync(path.join(root, 'server/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^RUN (TB_NO_APT=1 )?npm run test:unit$/m);
    expect(dockerfile.indexOf('test:unit')).toBeLessThan(dockerfile.indexOf('npm run build'));
  });
});
