// The live engine's own Redis connections: the adapter's publisher and subscriber, and one for
// the engine's commands (marks, lease, presence). Neither command connection queues while Redis
// is away: a stale publish replayed on reconnect could show a viewer an older tally, so commands
// fail fast instead and the engine runs in degraded (per-node) mode until every link is ready.
// On a Redis Cluster the adapter is the sharded one (SPUBLISH/SSUBSCRIBE, Redis 7): a classic
// PUBLISH goes to every shard of the cluster, a sharded one only to the shard owning the channel.
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { duplicateRedis, isCluster, type RedisClient } from '../redis';
import type { Logger } from '../log';

/** The prefix of the adapter's channels (both adapters). */
export const ADAPTER_CHANNEL_PREFIX = 'tb:sio';

export interface RedisLink {
  /** The adapter's publisher (errors swallowed: the adapter does not await its publishes). */
  pub: RedisClient;
  /** The adapter's subscriber. */
  sub: RedisClient;
  /** The engine's commands. */
  live: RedisClient;
  /** Every connection ready: cluster mode; otherwise degraded mode. */
  up(): boolean;
  close(): Promise<void>;
}

export function openRedisLink(redis: RedisClient, log: Logger): RedisLink {
  const pub = duplicateRedis(redis, { enableOfflineQueue: false });
  // No auto-pipelining on the subscriber: the adapter's close() sends its UNSUBSCRIBEs without
  // waiting for them, and auto-pipelined they would go out after our QUIT and reject, unhandled.
  // On a cluster it subscribes on every master (the sharded adapter's SSUBSCRIBE).
  const sub = duplicateRedis(redis, { enableAutoPipelining: false, shardedSubscribers: true });
  const live = duplicateRedis(redis, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const all = { pub, sub, live };
  for (const [name, c] of Object.entries(all)) {
    c.on('error', (err: Error) => log.debug({ err: err.message, conn: name }, 'redis error'));
  }
  swallowPublishErrors(pub);
  return {
    ...all,
    up: () => pub.status === 'ready' && sub.status === 'ready' && live.status === 'ready',
    async close() {
      await Promise.all([pub, sub, live].map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/**
 * The adapter publishes without awaiting; with no offline queue a publish while Redis is away
 * rejects, and an unhandled rejection would take the node down. The local part of a broadcast
 * still reaches this node's sockets.
 */
function swallowPublishErrors(pub: RedisClient): void {
  type Publish = (channel: string, msg: string | Buffer) => Promise<number>;
  const target = pub as unknown as Record<'publish' | 'spublish', Publish>;
  for (const command of ['publish', 'spublish'] as const) {
    const send = target[command].bind(pub);
    target[command] = (channel, msg) => send(channel, msg).catch(() => 0);
  }
}

/** The Socket.IO adapter over the link: sharded on a cluster, classic on one master. */
export function linkAdapter(
  link: Pick<RedisLink, 'pub' | 'sub'>,
): ReturnType<typeof createAdapter> | ReturnType<typeof createShardedAdapter> {
  return isCluster(link.pub)
    ? createShardedAdapter(link.pub, link.sub, { channelPrefix: ADAPTER_CHANNEL_PREFIX })
    : createAdapter(link.pub, link.sub, { key: ADAPTER_CHANNEL_PREFIX });
}
