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
  secrets?: (string | { source: string })[];
  command?: string[];
  volumes?: string[];
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

/** The test env file: no secret in it (they are files, .secrets/), only what .env must give. */
function withEnvFile<T>(fn: (envFile: string) => T): T {
  const envFile = path.join(os.tmpdir(), `tb-compose-${process.pid}.env`);
  writeFileSync(envFile, 'ADMIN_EMAIL=admin@example.test\n');
  try {
    return fn(envFile);
  } finally {
    rmSync(envFile, { force: true });
  }
}

const SECRET_NAMES = [
  'MYSQL_ROOT_PASSWORD',
  'DB_PASSWORD',
  'DB_MIGRATE_PASSWORD',
  'REPL_PASSWORD',
  'SESSION_SECRET',
  'ADMIN_PASSWORD',
  'REDIS_PASSWORD',
  'REDIS_URL',
];
const nodes = ['backend1', 'backend2', 'backend3'];
const replicas = ['mysql-replica1', 'mysql-replica2'];
const secretsOf = (s: Service | undefined): string[] =>
  (s?.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source)).sort();
const healthText = (s: Service | undefined): string => JSON.stringify(s?.healthcheck?.test ?? []);

describe('docker-compose.yml', () => {
  const compose = findCompose();
  const validate = compose.bin ? it : it.skip;
  const skipped = compose.reason ? ` (SKIPPED: ${compose.reason})` : '';
  validate(`is accepted by docker-compose config -q${skipped}`, () => {
    withEnvFile((envFile) =>
      execFileSync(compose.bin!, ['--env-file', envFile, '-f', composeFile, 'config', '-q'], {
        cwd: root,
        stdio: 'pipe',
      }),
    );
  });

  // What Compose itself makes of the file (anchors merged, variables filled in): the settings the
  // issue asks of the replicas and nodes, asserted where they take effect.
  describe(`rendered by docker-compose config${skipped}`, () => {
    let rendered: Record<string, Service> = {};
    beforeAll(() => {
      if (!compose.bin) return;
      const out = withEnvFile((envFile) =>
        execFileSync(compose.bin!, ['--env-file', envFile, '-f', composeFile, 'config'], {
          cwd: root,
          encoding: 'utf8',
        }),
      );
      rendered = (yaml.load(out) as { services: Record<string, Service> }).services;
    });

    validate(
      'replicas: healthy only while both threads run without error and super_read_only',
      () => {
        for (const r of replicas) {
          const h = healthText(rendered[r]);
          expect(rendered[r]?.healthcheck).toBeDefined();
          for (const must of [
            "' *Replica_IO_Running: Yes'",
            "' *Replica_SQL_Running: Yes'",
            "' *Last_IO_Errno: 0'",
            "' *super_read_only: 1'",
          ]) {
            expect({ r, h: h.includes(must) }).toEqual({ r, h: true });
          }
          // Every condition must hold (&&), and a line must match whole (grep -x): "Connecting" or
          // error 1045 fail it.
          expect(h).not.toMatch(/\|\|/);
          expect(h.match(/grep -qx/g)?.length).toBe(5);
        }
      },
    );

    validate(
      'replicas: no local transaction at init, TLS replication, super_read_only persisted',
      () => {
        for (const r of replicas) {
          const s = rendered[r];
          expect(s?.environment?.MYSQL_INITDB_SKIP_TZINFO).toBe('1');
          expect(s?.command).toContain('--read-only=ON');
          const initDir = s?.volumes?.find((v) => v.endsWith(':/docker-entrypoint-initdb.d:ro'));
          expect(initDir?.split(':')[0]).toBe(path.join(root, 'deploy/mysql/init/replica'));
          expect(s?.volumes).toContain('mysql-accounts:/tb-accounts:ro');
        }
        const mysqlDir = path.join(root, 'deploy/mysql');
        expect(readFileSync(path.join(mysqlDir, 'replica-source.sql.template'), 'utf8')).toMatch(
          /CHANGE REPLICATION SOURCE TO .*SOURCE_SSL=1/,
        );
        expect(readFileSync(path.join(mysqlDir, 'init/master/01-accounts.sh'), 'utf8')).toContain(
          "ALTER USER 'repl'@'%' REQUIRE SSL",
        );
        expect(
          readFileSync(path.join(mysqlDir, 'init/replica/03-super-read-only.sh'), 'utf8'),
        ).toContain('SET PERSIST super_read_only = ON');
      },
    );

    validate('replicas never receive the app’s or the migrator’s password', () => {
      for (const r of replicas) {
        const env = Object.keys(rendered[r]?.environment ?? {});
        expect({ r, env: env.filter((k) => /^DB_(MIGRATE_)?PASSWORD/.test(k)) }).toEqual({
          r,
          env: [],
        });
        expect(secretsOf(rendered[r])).toEqual(['mysql_root_password', 'repl_password']);
      }
    });

    validate(
      'no secret is an environment variable of any container: NAME_FILE and secrets:',
      () => {
        for (const [name, s] of Object.entries(rendered)) {
          const env = s.environment ?? {};
          expect({ name, secretsInEnv: SECRET_NAMES.filter((k) => k in env) }).toEqual({
            name,
            secretsInEnv: [],
          });
          for (const [k, v] of Object.entries(env)) {
            if (k.endsWith('_FILE') && k !== 'DB_MASTER_FILE') {
              expect(v).toMatch(/^\/run\/secrets\/[a-z_]+$/);
              expect(secretsOf(s)).toContain(v.replace('/run/secrets/', ''));
            }
          }
        }
        for (const b of nodes) {
          expect(secretsOf(rendered[b])).toEqual([
            'admin_password',
            'db_password',
            'redis_url',
            'session_secret',
          ]);
        }
      },
    );

    validate('nodes: NODE_ID not shared (unset: the hostname), ready by /readyz', () => {
      const ids = nodes.map((b) => rendered[b]?.environment?.NODE_ID);
      const set = ids.filter((x) => x !== undefined);
      expect(new Set(set).size).toBe(set.length);
      expect(ids).not.toContain('node-1');
      for (const b of nodes) {
        expect(healthText(rendered[b])).toContain('/readyz');
        expect(rendered[b]?.image).toBe('tallyboard-server');
        expect(rendered[b]?.command).toBeUndefined(); // the image's CMD: plain node
      }
    });
  });

  it('has no obsolete version key', () => {
    expect(Object.keys(doc)).not.toContain('version');
  });

  it('runs the nodes on Node 24 LTS as plain node, without pm2 in the image', () => {
    const dockerfile = readFileSync(path.join(root, 'server/Dockerfile'), 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1] ?? '');
    expect(froms.filter((f) => f.startsWith('node:'))).toEqual([
      'node:24-bookworm-slim',
      'node:24-bookworm-slim',
    ]);
    expect(dockerfile).toMatch(/^CMD \["node", "server\/dist\/main\.js"\]$/m);
    const instructions = dockerfile.split('\n').filter((l) => !l.startsWith('#'));
    expect(instructions.filter((l) => /pm2/i.test(l))).toEqual([]);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const pkg = JSON.parse(readFileSync(path.join(root, 'server/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies)).not.toContain('pm2');
    const nginx = readFileSync(path.join(root, 'deploy/nginx/Dockerfile'), 'utf8');
    expect(nginx).toMatch(/^FROM nginx:stable-alpine$/m);
    expect(nginx).toMatch(/^FROM node:24-bookworm-slim AS client$/m);
  });

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

  it('gives the migrator account to the migrate service only, never to a node', () => {
    expect(services.migrate?.environment?.DB_MIGRATE_PASSWORD_FILE).toBe(
      '/run/secrets/db_migrate_password',
    );
    expect(secretsOf(services.migrate)).toContain('db_migrate_password');
    for (const b of nodes) {
      expect({ b, env: Object.keys(services[b]?.environment ?? {}) }).not.toEqual({
        b,
        env: expect.arrayContaining(['DB_MIGRATE_PASSWORD_FILE']),
      });
      expect(secretsOf(services[b])).not.toContain('db_migrate_password');
    }
  });

  it('expires binlogs on every MySQL instance (TB_BINLOG_EXPIRE_SECONDS, one day by default)', () => {
    for (const db of ['mysql-master', 'mysql-replica1', 'mysql-replica2']) {
      const command = (services[db] as { command?: string[] } | undefined)?.command ?? [];
      expect(command).toContain('--binlog-expire-logs-seconds=${TB_BINLOG_EXPIRE_SECONDS:-86400}');
    }
  });

  it('runs Redis with the password from its secret file, and the nodes connect with theirs', () => {
    expect(JSON.stringify(services.redis)).toMatch(
      /requirepass.*cat \/run\/secrets\/redis_password/,
    );
    expect(secretsOf(services.redis)).toEqual(['redis_password']);
    expect(services.backend1?.environment?.REDIS_URL_FILE).toBe('/run/secrets/redis_url');
  });

  it('declares every secret as a file under .secrets/ (written by deploy/docker-secrets.sh)', () => {
    const declared = (doc as unknown as { secrets: Record<string, { file: string }> }).secrets;
    for (const [name, s] of Object.entries(declared)) {
      expect(s.file).toBe(`./.secrets/${name}`);
    }
    const script = readFileSync(path.join(root, 'deploy/docker-secrets.sh'), 'utf8');
    for (const name of Object.keys(declared)) expect(script).toContain(`put ${name} `);
    expect(readFileSync(path.join(root, '.gitignore'), 'utf8')).toMatch(/^\/\.secrets\/$/m);
    expect(readFileSync(path.join(root, '.dockerignore'), 'utf8')).toMatch(/^\.secrets$/m);
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
