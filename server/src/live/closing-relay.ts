// Carries a manual close's `closing` event to every node, so each BallotWriter commits the ballots
// it holds for the election's anonymity set before the close (ballots/writer.ts). One Redis
// channel; a node that misses it (Redis down) still commits its held ballots within the longest
// hold, which the closing node waits out.
import { duplicateRedis, type RedisClient } from '../redis';
import type { DomainEvents } from '../domain-events';
import type { Logger } from '../log';

export const CLOSING_CHANNEL = 'tb:closing';

export interface ClosingRelayOptions {
  /** A connection to publish on, and one to duplicate for the subscription. */
  redis: RedisClient;
  events: DomainEvents;
  /** What to do when any node (this one included) announces a close. */
  onClosing: (electionId: string) => void;
  log: Logger;
}

/** Starts the relay; returns its stop. */
export function startClosingRelay(o: ClosingRelayOptions): () => Promise<void> {
  const sub = duplicateRedis(o.redis, { enableAutoPipelining: false });
  sub.on('error', (err) => o.log.debug({ err }, 'closing relay subscriber error'));
  sub.on('message', (channel: string, electionId: string) => {
    if (channel === CLOSING_CHANNEL) o.onClosing(electionId);
  });
  void sub.subscribe(CLOSING_CHANNEL).catch((err: unknown) => {
    o.log.warn({ err }, 'closing relay could not subscribe');
  });
  const unsubscribe = o.events.subscribe('closing', (electionId) => {
    o.redis.publish(CLOSING_CHANNEL, electionId).catch((err: unknown) => {
      o.log.warn({ err, electionId }, 'closing not relayed: other nodes release at their deadline');
    });
  });
  return async () => {
    unsubscribe();
    await sub.quit().catch(() => sub.disconnect());
  };
}
