// Configuration: parsed and validated once at start from the environment into one typed object,
// then passed down. Every env var the server reads is named here and nowhere else.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';

const DEFAULT_SECRET = 'change-me';

/** `scheme://host[:port]` as browsers send it in `Origin` (default ports dropped), or null. */
function parseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username) return null;
    return url.origin;
  } catch {
    return null;
  }
}

const hostPort = z
  .string()
  .regex(/^[^:\s]+:\d+$/, 'expected host:port')
  .transform((s) => {
    const [host, port] = s.split(':') as [string, string];
    return { host, port: Number(port) };
  });

/** `host:port,host:port` → endpoints (DB_REPLICAS, REDIS_SENTINELS, REDIS_CLUSTER_NODES). */
const hostPortList = (fallback = '') =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => {
          const r = hostPort.safeParse(x);
          if (!r.success) {
            ctx.addIssue({ code: 'custom', message: `bad address ${x} (expected host:port)` });
            return { host: '', port: 0 };
          }
          return r.data;
        }),
    );

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Unique per instance by default (a container's or pod's hostname), never one shared id.
  NODE_ID: z
    .string()
    .min(1)
    .default(() => hostname()),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().default('127.0.0.1'),
  DB_FLAVOR: z.enum(['mariadb', 'mysql']).default('mariadb'),
  DB_MASTER: hostPort.default({ host: '127.0.0.1', port: 3307 }),
  // A file holding the master's host:port, read at start and on SIGHUP (operator failover); it
  // wins over DB_MASTER when present.
  DB_MASTER_FILE: z.string().min(1).optional(),
  DB_REPLICAS: hostPortList('127.0.0.1:3308,127.0.0.1:3309'),
  DB_NAME: z.string().default('tallyboard'),
  DB_USER: z.string().default('tallyboard'),
  DB_PASSWORD: z.string().default(DEFAULT_SECRET),
  // The migrator account (DDL): read by cli/migrate.ts only; the nodes never receive it.
  DB_MIGRATE_USER: z.string().min(1).default('tallyboard_migrate'),
  DB_MIGRATE_PASSWORD: z.string().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).default(16),
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).default(5),
  REPLICA_PROBE_MS: z.coerce.number().int().min(100).default(1000),
  GTID_WAIT_TIMEOUT_MS: z.coerce.number().int().min(1).default(500),
  REDIS_URL: z.string().default('redis://127.0.0.1:6380'),
  REDIS_MODE: z.enum(['single', 'sentinel', 'cluster']).default('single'),
  REDIS_SENTINELS: hostPortList(),
  REDIS_SENTINEL_NAME: z.string().default('mymaster'),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_CLUSTER_NODES: hostPortList(),
  DB_TLS: z.enum(['off', 'required', 'verify']).default('off'),
  DB_TLS_CA_FILE: z.string().min(1).optional(),
  DB_TLS_CERT_FILE: z.string().min(1).optional(),
  DB_TLS_KEY_FILE: z.string().min(1).optional(),
  SESSION_SECRET: z.string().default(DEFAULT_SECRET),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  VOTER_TOKEN_TTL_HOURS: z.coerce.number().positive().default(168),
  ADMIN_EMAIL: z.string().default('admin@tallyboard.local'),
  ADMIN_PASSWORD: z.string().default(DEFAULT_SECRET),
  BALLOT_BATCH_MS: z.coerce.number().int().min(0).default(4),
  BALLOT_BATCH_MAX: z.coerce.number().int().min(1).default(200),
  BALLOT_BATCH_CONCURRENCY: z.coerce.number().int().min(1).default(1),
  ANONYMITY_MAX_WAIT_MS: z.coerce.number().int().min(0).default(8000),
  HTTP_LISTEN_BACKLOG: z.coerce.number().int().min(1).default(4096),
  SOCKET_PING_INTERVAL_MS: z.coerce.number().int().min(1000).default(25_000),
  SOCKET_PING_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  SOCKET_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024),
  TALLY_INTERVAL_MS: z.coerce.number().int().min(20).default(100),
  TALLY_FRAME_BUDGET: z.coerce.number().int().min(0).default(24_000),
  TALLY_LOAD_HIGH: z.coerce.number().min(0).max(1).default(0.8),
  TALLY_GROUPS: z.coerce.number().int().min(1).max(100).default(10),
  RATE_VOTER_TOKENS_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(6000),
  RATE_BALLOTS_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(6000),
  RATE_LOGIN_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(3000),
  RATE_BALLOTS_PER_VOTER_PER_MIN: z.coerce.number().int().min(1).default(30),
  RATE_LOGIN_PER_EMAIL_PER_MIN: z.coerce.number().int().min(1).default(10),
  RATE_LOGIN_PER_EMAIL_ALL_ADDRESSES_PER_MIN: z.coerce.number().int().min(1).default(100),
  PUBLIC_ORIGINS: z
    .string()
    .default('')
    .transform((s, ctx) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => {
          const origin = parseOrigin(x);
          if (!origin) ctx.addIssue({ code: 'custom', message: `bad origin ${x}` });
          return origin ?? '';
        }),
    ),
  RATE_LOOKUP_MISSES_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(300),
  RATE_CODE_MISSES_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(30),
  RATE_CODE_MISSES_PER_ELECTION_PER_MIN: z.coerce.number().int().min(1).default(300),
  /** Key of the ballot codes' stored hashes; empty: derived from SESSION_SECRET. */
  ROLL_CODE_SECRET: z.string().default(''),
  /**
   * The proxy addresses (or subnets) whose X-Forwarded-For is believed: our nginx. Not `loopback`,
   * which would trust any local process that talks to a node's port.
   * @default 127.0.0.1
   */
  TRUST_PROXY: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
});

export type Config = ReturnType<typeof parseConfig>;

/** The secrets that may come from a file: `NAME_FILE=/run/secrets/x` instead of `NAME=value`. */
export const FILE_SECRETS = [
  'DB_PASSWORD',
  'DB_MIGRATE_PASSWORD',
  'SESSION_SECRET',
  'ROLL_CODE_SECRET',
  'ADMIN_PASSWORD',
  'REDIS_URL',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
] as const;

/**
 * The environment with each `NAME_FILE` of `names` read into `NAME` (Docker and Kubernetes
 * secrets are files; an environment variable leaks into `docker inspect`, child processes and
 * crash reports). One trailing newline is dropped. Setting both, or an unreadable file, throws.
 */
export function fileSecrets(
  env: NodeJS.ProcessEnv,
  names: readonly string[] = FILE_SECRETS,
  read: (file: string) => string = (f) => readFileSync(f, 'utf8'),
): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of names) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      throw new Error(`invalid configuration: set ${name} or ${name}_FILE, not both`);
    }
    try {
      out[name] = read(file).replace(/\r?\n$/, '');
    } catch (err) {
      throw new Error(
        `invalid configuration: ${name}_FILE: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return out;
}

/** The password in a redis:// URL ('' when it has none or the URL does not parse). */
function redisPassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/**
 * Which Redis the nodes share (server/src/redis.ts): `single` at REDIS_URL, a `sentinel`-watched
 * master, or a Redis 7 `cluster`.
 * @default { mode: 'single', url: 'redis://127.0.0.1:6380' }
 */
function redisConfig(e: z.infer<typeof envSchema>) {
  const common = { url: e.REDIS_URL, password: e.REDIS_PASSWORD };
  switch (e.REDIS_MODE) {
    case 'single':
      return { mode: 'single' as const, ...common };
    case 'sentinel':
      if (!e.REDIS_SENTINELS.length) {
        throw new Error('REDIS_MODE=sentinel needs REDIS_SENTINELS (host:port,host:port,...)');
      }
      return {
        mode: 'sentinel' as const,
        ...common,
        sentinels: e.REDIS_SENTINELS,
        /** The master's name in the sentinels' `sentinel monitor` line. @default mymaster */
        sentinelName: e.REDIS_SENTINEL_NAME,
        sentinelPassword: e.REDIS_SENTINEL_PASSWORD,
      };
    case 'cluster':
      if (!e.REDIS_CLUSTER_NODES.length) {
        throw new Error('REDIS_MODE=cluster needs REDIS_CLUSTER_NODES (host:port,host:port,...)');
      }
      return { mode: 'cluster' as const, ...common, clusterNodes: e.REDIS_CLUSTER_NODES };
  }
}

/** Parses the environment; throws with every problem listed when it is not usable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(fileSecrets(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const redis = redisConfig(e);
  if (e.DB_TLS !== 'off' && !e.DB_TLS_CERT_FILE !== !e.DB_TLS_KEY_FILE) {
    throw new Error('DB_TLS_CERT_FILE and DB_TLS_KEY_FILE go together: set both or neither');
  }
  if (e.NODE_ENV === 'production') {
    const weak = (['SESSION_SECRET', 'DB_PASSWORD', 'ADMIN_PASSWORD'] as const).filter(
      (k) => e[k] === DEFAULT_SECRET || e[k].length < 12,
    );
    if (weak.length) {
      throw new Error(`production mode refuses default or short secrets: ${weak.join(', ')}`);
    }
    if (e.ROLL_CODE_SECRET !== '' && e.ROLL_CODE_SECRET.length < 12) {
      throw new Error('production mode refuses a short ROLL_CODE_SECRET');
    }
    if (redis.mode === 'single' && redisPassword(e.REDIS_URL).length < 12) {
      throw new Error(
        'production mode refuses a Redis URL without a password (redis://:PASSWORD@host:port, at least 12 characters)',
      );
    }
    if (redis.mode !== 'single' && (redis.password ?? '').length < 12) {
      throw new Error(
        `production mode refuses REDIS_MODE=${redis.mode} without REDIS_PASSWORD (at least 12 characters)`,
      );
    }
    const trust = e.TRUST_PROXY.trim();
    if (trust === 'true' || /^\d+$/.test(trust)) {
      throw new Error(
        `production mode refuses TRUST_PROXY=${trust}: it believes X-Forwarded-For from any peer; name the proxy addresses`,
      );
    }
  }
  return {
    env: e.NODE_ENV,
    nodeId: e.NODE_ID,
    http: {
      host: e.HOST,
      port: e.PORT,
      trustProxy: e.TRUST_PROXY,
      /**
       * Origins besides the request's own (as the trusted proxy reports it) whose pages may send
       * cookie-authenticated state changes and open cookie-authenticated sockets.
       * @default [] (same origin only)
       */
      publicOrigins: e.PUBLIC_ORIGINS,
      /**
       * Connections the kernel queues before the node accepts them (Node's own default is 511):
       * nginx opens thousands a second while a crowd arrives. Capped by net.core.somaxconn.
       * @default 4096
       */
      listenBacklog: e.HTTP_LISTEN_BACKLOG,
    },
    sockets: {
      /**
       * How often a node pings each socket. Every ping is a frame through nginx both ways: 50,000
       * sockets at 25 s are 2,000 pings a second, a small part of a core.
       * @default 25000
       */
      pingIntervalMs: e.SOCKET_PING_INTERVAL_MS,
      /**
       * How long a node waits for the answer before dropping the socket; above Socket.IO's 20 s so
       * a node busy with a ramp of thousands of sockets or a fan-out does not drop healthy ones.
       * nginx's proxy_read_timeout (75 s) stays above interval + timeout.
       * @default 30000
       */
      pingTimeoutMs: e.SOCKET_PING_TIMEOUT_MS,
      /**
       * Largest message a socket may send (engine.io's maxHttpBufferSize, 1 MB by default): the
       * largest valid ballot (50 positions × 100 candidate ids of ≤ 64 characters) is ~340 KB.
       * A bound on what one socket can make a node buffer, not an allocation.
       * @default 524288
       */
      maxMessageBytes: e.SOCKET_MAX_MESSAGE_BYTES,
    },
    db: {
      flavor: e.DB_FLAVOR,
      master: e.DB_MASTER,
      masterFile: e.DB_MASTER_FILE,
      replicas: e.DB_REPLICAS,
      database: e.DB_NAME,
      user: e.DB_USER,
      password: e.DB_PASSWORD,
      poolSize: e.DB_POOL_SIZE,
      maxLagSeconds: e.REPLICA_MAX_LAG_SECONDS,
      probeMs: e.REPLICA_PROBE_MS,
      gtidWaitTimeoutMs: e.GTID_WAIT_TIMEOUT_MS,
      /**
       * TLS to every MariaDB/MySQL server (master, replicas, migrations): `off`, `required`
       * (encrypted, server certificate not checked) or `verify` (checked against `caFile`, or the
       * system's CAs without one, and the host name). Files are read when the pools open.
       * @default { mode: 'off' }
       */
      tls: {
        mode: e.DB_TLS,
        caFile: e.DB_TLS_CA_FILE,
        certFile: e.DB_TLS_CERT_FILE,
        keyFile: e.DB_TLS_KEY_FILE,
      },
    },
    /** Schema changes run as this account (cli/migrate.ts); password undefined on the nodes. */
    migrator: { user: e.DB_MIGRATE_USER, password: e.DB_MIGRATE_PASSWORD },
    redis,
    session: {
      secret: e.SESSION_SECRET,
      ttlHours: e.SESSION_TTL_HOURS,
      voterTtlHours: e.VOTER_TOKEN_TTL_HOURS,
    },
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD },
    rollCodes: {
      /**
       * The HMAC key ballot codes are stored under (roll/codes.ts). Set ROLL_CODE_SECRET to keep
       * issued codes valid across a SESSION_SECRET rotation; by default a key derived from
       * SESSION_SECRET, so no deployment needs a new secret.
       */
      secret:
        e.ROLL_CODE_SECRET ||
        createHmac('sha256', e.SESSION_SECRET).update('tallyboard roll codes').digest('hex'),
    },
    ballots: {
      batchMs: e.BALLOT_BATCH_MS,
      batchMax: e.BALLOT_BATCH_MAX,
      /** Batches of one node in flight at once; ballots arriving meanwhile form the next batch. */
      concurrency: e.BALLOT_BATCH_CONCURRENCY,
      /**
       * Longest hold of a ballot of an election whose `anonymitySet` is above 1 while its batch
       * gathers that many ballots of the election; the hold ends earlier at a close.
       * @default 8000
       */
      anonymityMaxWaitMs: e.ANONYMITY_MAX_WAIT_MS,
    },
    tally: {
      intervalMs: e.TALLY_INTERVAL_MS,
      /**
       * Tally frames per second the whole cluster sends at most: when the viewers of the elections
       * being voted in × 1000/intervalMs would exceed it, every election's interval stretches
       * alike, so fan-out never saturates the machine and voting keeps its latency; the last
       * state still goes out, and a close at once. 0 turns it off. Measured in docs/performance.md
       * (two cores with nginx and the load generator on them).
       * @default 24000
       */
      frameBudget: e.TALLY_FRAME_BUDGET,
      /**
       * The budget above is a ceiling: while the busiest node's event loop is busier than this
       * share of the time (0-1), the budget in force shrinks (to an eighth at the least); it grows
       * back once every node is 0.2 under it, and only while it holds tallies back. So a slower or
       * shared machine is not saturated by fan-out either (live/load-governor.ts). 0 keeps the
       * budget as configured.
       * @default 0.8
       */
      loadHigh: e.TALLY_LOAD_HIGH,
      /**
       * Groups each election's viewers are split into: while the budget stretches the interval T,
       * a fresh tally goes to one group every T/groups instead of to every viewer at once each T
       * (the same frames per viewer, bursts a groups-th the size). 1 = one burst per T.
       * @default 10
       */
      groups: e.TALLY_GROUPS,
    },
    rateLimits: {
      voterTokensPerIpPerMin: e.RATE_VOTER_TOKENS_PER_IP_PER_MIN,
      ballotsPerIpPerMin: e.RATE_BALLOTS_PER_IP_PER_MIN,
      loginPerIpPerMin: e.RATE_LOGIN_PER_IP_PER_MIN,
      ballotsPerVoterPerMin: e.RATE_BALLOTS_PER_VOTER_PER_MIN,
      /** Login attempts per email from one address (spent before the password is checked). */
      loginPerEmailPerMin: e.RATE_LOGIN_PER_EMAIL_PER_MIN,
      /** Login attempts per email from every address together: a ceiling on distributed guessing. */
      loginPerEmailAllAddressesPerMin: e.RATE_LOGIN_PER_EMAIL_ALL_ADDRESSES_PER_MIN,
      /**
       * Join codes that match nothing and socket joins of unknown elections, per address: a
       * guesser runs out, a venue's mistyped codes do not. @default 300
       */
      lookupMissesPerIpPerMin: e.RATE_LOOKUP_MISSES_PER_IP_PER_MIN,
      /**
       * Ballot codes that fail (unknown, used, revoked, another election's) per address, and per
       * election from every address together: the brute-force bound of docs/security.md.
       * @default 30 and 300
       */
      codeMissesPerIpPerMin: e.RATE_CODE_MISSES_PER_IP_PER_MIN,
      codeMissesPerElectionPerMin: e.RATE_CODE_MISSES_PER_ELECTION_PER_MIN,
    },
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}

/**
 * The master's connection settings with the migrator's credentials (cli/migrate.ts), refused like
 * the other secrets when missing, default or short in production.
 */
export function migratorDbConfig(config: Config): Config['db'] {
  const { user, password } = config.migrator;
  if (password === undefined || password === '') {
    throw new Error('DB_MIGRATE_PASSWORD is not set: migrations run as the migrator account');
  }
  if (config.env === 'production' && (password === DEFAULT_SECRET || password.length < 12)) {
    throw new Error('production mode refuses a default or short DB_MIGRATE_PASSWORD');
  }
  return { ...config.db, user, password };
}
