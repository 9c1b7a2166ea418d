// Rate limits, shared by every node through Redis; when Redis is away each node falls back to an
// in-memory limiter with the same budget, so limits keep working (per node) instead of failing.
// Per-address budgets are generous on purpose: a venue's Wi-Fi puts a thousand voters behind one
// address. The real limits are per voter and per login email.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { voterKey, type Principal } from '../accounts/tokens';
import { DomainError } from '../errors';

export type LimitName =
  | 'voterTokensPerIp'
  | 'ballotsPerIp'
  | 'ballotsPerVoter'
  | 'loginPerIp'
  | 'loginPerEmail'
  | 'lookupMissesPerIp';

export interface RateLimits {
  /** Spends one point of `name` for `key`; throws `rate_limited` (with retryAfterSeconds). */
  consume(name: LimitName, key: string): Promise<void>;
  /**
   * Spends one point of each `[name, key]` at once (one pipelined Redis round trip instead of one
   * per limit); throws the first `rate_limited` among them.
   */
  consumeAll(spends: Array<[LimitName, string]>): Promise<void>;
  /**
   * Runs `attempt` unless `key` already spent its budget of `name` on failures; a failure
   * (`unauthorized`) spends one point, a success clears the key. Guards password guessing without
   * counting the logins that worked.
   */
  guardFailures<T>(name: LimitName, key: string, attempt: () => Promise<T>): Promise<T>;
  /**
   * Runs `attempt` unless `key` already spent its budget of `name` on misses; an attempt that
   * finds nothing (`not_found`) spends one point, one that finds something spends none and clears
   * nothing. Guards guessing (join codes, election ids) without counting the lookups that work.
   */
  guardMisses<T>(name: LimitName, key: string, attempt: () => Promise<T>): Promise<T>;
}

function rateLimited(name: LimitName, msBeforeNext: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError('rate_limited', 'too many requests; slow down', {
    limit: name,
    retryAfterSeconds,
  });
}

export function createRateLimits(redis: Redis, config: Config['rateLimits']): RateLimits {
  const budgets: Record<LimitName, number> = {
    voterTokensPerIp: config.voterTokensPerIpPerMin,
    ballotsPerIp: config.ballotsPerIpPerMin,
    ballotsPerVoter: config.ballotsPerVoterPerMin,
    loginPerIp: config.loginPerIpPerMin,
    loginPerEmail: config.loginPerEmailPerMin,
    lookupMissesPerIp: config.lookupMissesPerIpPerMin,
  };
  const limiters = Object.fromEntries(
    (Object.keys(budgets) as LimitName[]).map((name) => {
      const opts = { keyPrefix: `tb:rl:${name}`, points: budgets[name], duration: 60 };
      return [
        name,
        new RateLimiterRedis({
          ...opts,
          storeClient: redis,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(opts),
        }),
      ];
    }),
  ) as Record<LimitName, RateLimiterRedis>;

  const consume = async (name: LimitName, key: string): Promise<void> => {
    try {
      await limiters[name].consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw rateLimited(name, e.msBeforeNext);
      throw e;
    }
  };

  return {
    consume,
    async consumeAll(spends) {
      const results = await Promise.allSettled(spends.map(([name, key]) => consume(name, key)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    async guardMisses(name, key, attempt) {
      const spent = await limiters[name].get(key);
      if (spent && spent.consumedPoints >= budgets[name]) {
        throw rateLimited(name, spent.msBeforeNext);
      }
      try {
        return await attempt();
      } catch (e) {
        if (e instanceof DomainError && e.code === 'not_found') {
          await limiters[name].consume(key).catch(() => undefined); // may just have run out
        }
        throw e;
      }
    },
    async guardFailures(name, key, attempt) {
      const limiter = limiters[name];
      const spent = await limiter.get(key);
      if (spent && spent.consumedPoints >= budgets[name]) {
        throw rateLimited(name, spent.msBeforeNext);
      }
      try {
        const result = await attempt();
        await limiter.delete(key);
        return result;
      } catch (e) {
        if (e instanceof DomainError && e.code === 'unauthorized') {
          await limiter.consume(key).catch(() => undefined); // the budget may just have run out
        }
        throw e;
      }
    },
  };
}

/**
 * The budgets one ballot spends, over REST and the socket alike: its address's and, once the
 * caller is known, its voter's (one pipelined round trip).
 */
export function spendBallotBudget(
  limits: RateLimits,
  address: string,
  principal: Principal | null,
): Promise<void> {
  const spends: Array<[LimitName, string]> = [['ballotsPerIp', address]];
  if (principal) spends.push(['ballotsPerVoter', voterKey(principal)]);
  return limits.consumeAll(spends);
}
