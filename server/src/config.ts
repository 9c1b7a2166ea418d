// Configuration: parsed and validated once at start from the environment into one typed object,
// then passed down. Every env var the server reads is named here and nowhere else.
import { z } from 'zod';

const DEFAULT_SECRET = 'change-me';

const hostPort = z
  .string()
  .regex(/^[^:\s]+:\d+$/, 'expected host:port')
  .transform((s) => {
    const [host, port] = s.split(':') as [string, string];
    return { host, port: Number(port) };
  });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NODE_ID: z.string().min(1).default('node-1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().default('127.0.0.1'),
  DB_FLAVOR: z.enum(['mariadb', 'mysql']).default('mariadb'),
  DB_MASTER: hostPort.default({ host: '127.0.0.1', port: 3307 }),
  DB_REPLICAS: z
    .string()
    .default('127.0.0.1:3308,127.0.0.1:3309')
    .transform((s, ctx) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => {
          const r = hostPort.safeParse(x);
          if (!r.success) {
            ctx.addIssue({ code: 'custom', message: `bad replica address ${x}` });
            return { host: '', port: 0 };
          }
          return r.data;
        }),
    ),
  DB_NAME: z.string().default('tallyboard'),
  DB_USER: z.string().default('tallyboard'),
  DB_PASSWORD: z.string().default(DEFAULT_SECRET),
  DB_POOL_SIZE: z.coerce.number().int().min(1).default(16),
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).default(5),
  REPLICA_PROBE_MS: z.coerce.number().int().min(100).default(1000),
  GTID_WAIT_TIMEOUT_MS: z.coerce.number().int().min(1).default(500),
  REDIS_URL: z.string().default('redis://127.0.0.1:6380'),
  SESSION_SECRET: z.string().default(DEFAULT_SECRET),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  VOTER_TOKEN_TTL_HOURS: z.coerce.number().positive().default(168),
  ADMIN_EMAIL: z.string().default('admin@tallyboard.local'),
  ADMIN_PASSWORD: z.string().default(DEFAULT_SECRET),
  BALLOT_BATCH_MS: z.coerce.number().int().min(0).default(4),
  BALLOT_BATCH_MAX: z.coerce.number().int().min(1).default(200),
  BALLOT_BATCH_CONCURRENCY: z.coerce.number().int().min(1).default(1),
  TALLY_INTERVAL_MS: z.coerce.number().int().min(20).default(100),
  RATE_VOTER_TOKENS_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(6000),
  RATE_BALLOTS_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(6000),
  RATE_LOGIN_PER_IP_PER_MIN: z.coerce.number().int().min(1).default(3000),
  RATE_BALLOTS_PER_VOTER_PER_MIN: z.coerce.number().int().min(1).default(30),
  RATE_LOGIN_PER_EMAIL_PER_MIN: z.coerce.number().int().min(1).default(10),
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

/** The password in a redis:// URL ('' when it has none or the URL does not parse). */
function redisPassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** Parses the environment; throws with every problem listed when it is not usable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    const weak = (['SESSION_SECRET', 'DB_PASSWORD', 'ADMIN_PASSWORD'] as const).filter(
      (k) => e[k] === DEFAULT_SECRET || e[k].length < 12,
    );
    if (weak.length) {
      throw new Error(`production mode refuses default or short secrets: ${weak.join(', ')}`);
    }
    if (redisPassword(e.REDIS_URL).length < 12) {
      throw new Error(
        'production mode refuses a Redis URL without a password (redis://:PASSWORD@host:port, at least 12 characters)',
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
    http: { host: e.HOST, port: e.PORT, trustProxy: e.TRUST_PROXY },
    db: {
      flavor: e.DB_FLAVOR,
      master: e.DB_MASTER,
      replicas: e.DB_REPLICAS,
      database: e.DB_NAME,
      user: e.DB_USER,
      password: e.DB_PASSWORD,
      poolSize: e.DB_POOL_SIZE,
      maxLagSeconds: e.REPLICA_MAX_LAG_SECONDS,
      probeMs: e.REPLICA_PROBE_MS,
      gtidWaitTimeoutMs: e.GTID_WAIT_TIMEOUT_MS,
    },
    redisUrl: e.REDIS_URL,
    session: {
      secret: e.SESSION_SECRET,
      ttlHours: e.SESSION_TTL_HOURS,
      voterTtlHours: e.VOTER_TOKEN_TTL_HOURS,
    },
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD },
    ballots: {
      batchMs: e.BALLOT_BATCH_MS,
      batchMax: e.BALLOT_BATCH_MAX,
      /** Batches of one node in flight at once; ballots arriving meanwhile form the next batch. */
      concurrency: e.BALLOT_BATCH_CONCURRENCY,
    },
    tally: { intervalMs: e.TALLY_INTERVAL_MS },
    rateLimits: {
      voterTokensPerIpPerMin: e.RATE_VOTER_TOKENS_PER_IP_PER_MIN,
      ballotsPerIpPerMin: e.RATE_BALLOTS_PER_IP_PER_MIN,
      loginPerIpPerMin: e.RATE_LOGIN_PER_IP_PER_MIN,
      ballotsPerVoterPerMin: e.RATE_BALLOTS_PER_VOTER_PER_MIN,
      loginPerEmailPerMin: e.RATE_LOGIN_PER_EMAIL_PER_MIN,
    },
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
  };
}
