// The node's Redis, in the deployment's shape: one instance (REDIS_URL), a Sentinel-watched master
// (ioredis follows failovers by asking the sentinels), or a Redis 7 Cluster. Every Redis user takes
// a `RedisClient`, so none of them knows which; keys that travel together share one hash tag
// (live/redis-scripts.ts), which is all a cluster asks of them.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Config } from './config';
import type { Logger } from './log';

/** One Redis instance, a Sentinel-watched master (also a `Redis`), or a Cluster. */
export type RedisClient = Redis | Cluster;

export type RedisConfig = Config['redis'];

/** Reconnect forever, backing off to 2 s. */
const retryStrategy = (attempt: number): number => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);

/**
 * Settings every connection shares: reconnect forever but fail commands fast while Redis is away
 * (one retry), and let commands issued in one tick (rate-limit checks of concurrent requests)
 * share one write.
 */
const common = {
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
} satisfies RedisOptions;

/** The client for the configured mode, not yet necessarily connected. */
export function openRedis(cfg: RedisConfig): RedisClient {
  switch (cfg.mode) {
    case 'single':
      return new Redis(cfg.url, {
        ...common,
        lazyConnect: false,
        enableAutoPipelining: true,
        retryStrategy,
      });
    case 'sentinel':
      return new Redis({
        ...common,
        sentinels: cfg.sentinels,
        name: cfg.sentinelName,
        password: cfg.password,
        sentinelPassword: cfg.sentinelPassword,
        enableAutoPipelining: true,
        retryStrategy,
        // Ask the sentinels again at once when the master we hold says it is now a replica.
        failoverDetector: true,
      });
    case 'cluster':
      return new Cluster(cfg.clusterNodes, {
        enableAutoPipelining: true,
        clusterRetryStrategy: retryStrategy,
        redisOptions: { ...common, password: cfg.password },
      });
  }
}

/** `openRedis` with its outages logged (one line per 10 s while it is down). */
export function createRedis(cfg: RedisConfig, log: Logger): RedisClient {
  const redis = openRedis(cfg);
  let lastLogged = 0;
  redis.on('error', (err: Error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    log.warn({ err: err.message, mode: cfg.mode }, 'redis unavailable, reconnecting');
  });
  redis.on('ready', () => log.info({ mode: cfg.mode }, 'redis ready'));
  return redis;
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/** How a second connection differs from the node's main one. */
export interface DuplicateOptions {
  /** Queue commands while disconnected. @default true */
  enableOfflineQueue?: boolean;
  /** Pipeline commands issued in one tick. @default the main connection's */
  enableAutoPipelining?: boolean;
  /** Retries of a command across reconnects. @default 1 */
  maxRetriesPerRequest?: number;
  /** Cluster only: one subscriber per master for SSUBSCRIBE (the sharded adapter). @default false */
  shardedSubscribers?: boolean;
}

/** Another connection to the same Redis, whatever its mode. */
export function duplicateRedis(client: RedisClient, o: DuplicateOptions = {}): RedisClient {
  const { shardedSubscribers, maxRetriesPerRequest, ...top } = o;
  if (!isCluster(client)) {
    return client.duplicate({
      ...top,
      ...(maxRetriesPerRequest === undefined ? {} : { maxRetriesPerRequest }),
    });
  }
  const overrides: ClusterOptions = {
    ...top,
    ...(shardedSubscribers === undefined ? {} : { shardedSubscribers }),
    redisOptions: {
      ...client.options.redisOptions,
      ...(maxRetriesPerRequest === undefined ? {} : { maxRetriesPerRequest }),
    },
  };
  return client.duplicate([], overrides);
}
