// The live engine's own Redis connections: the adapter's publisher and subscriber, and one for
// the engine's commands (marks, lease, presence). Neither command connection queues while Redis
// is away: a stale publish replayed on reconnect could show a viewer an older tally, so commands
// fail fast instead and the engine runs in degraded (per-node) mode until every link is ready.
import type { Redis } from 'ioredis';
import type { Logger } from '../log';

export interface RedisLink {
  /** The adapter's publisher (errors swallowed: the adapter does not await its publishes). */
  pub: Redis;
  /** The adapter's subscriber. */
  sub: Redis;
  /** The engine's commands. */
  live: Redis;
  /** Every connection ready: cluster mode; otherwise degraded mode. */
  up(): boolean;
  close(): Promise<void>;
}

export function openRedisLink(redis: Redis, log: Logger): RedisLink {
  const pub = redis.duplicate({ enableOfflineQueue: false });
  // No auto-pipelining on the subscriber: the adapter's close() sends its UNSUBSCRIBEs without
  // waiting for them, and auto-pipelined they would go out after our QUIT and reject, unhandled.
  const sub = redis.duplicate({ enableAutoPipelining: false });
  const live = redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
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
function swallowPublishErrors(pub: Redis): void {
  const publish = pub.publish.bind(pub) as (
    channel: string,
    msg: string | Buffer,
  ) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (channel, msg) =>
    publish(channel, msg).catch(() => 0);
}
