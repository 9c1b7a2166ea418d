// Rate limits, shared by every node through Redis; when Redis is away each node falls back to an
// in-memory limiter with the same budget, so limits keep working (per node) instead of failing.
// Per-address budgets are generous on purpose: a venue's Wi-Fi puts a thousand voters behind one
// address. The real limits are per voter and per login email (with the address: see guardLogin).
import type { RedisClient } from '../redis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { voterKey, type Principal } from '../accounts/tokens';
import { DomainError } from '../errors';
import { sharedRead } from '../shared-read';

export type LimitName =
  | 'voterTokensPerIp'
  | 'ballotsPerIp'
  | 'ballotsPerVoter'
  | 'loginPerIp'
  | 'loginPerEmail'
  | 'loginPerEmailAllAddresses'
  | 'lookupMissesPerIp'
  | 'codeMissesPerIp'
  | 'codeMissesPerElection';

export interface RateLimits {
  /** Spends one point of `name` for `key`; throws `rate_limited` (with retryAfterSeconds). */
  consume(name: LimitName, key: string): Promise<void>;
  /**
   * Spends one point of each `[name, key]` at once (one pipelined Redis round trip instead of one
   * per limit); throws the first `rate_limited` among them.
   */
  consumeAll(spends: Array<[LimitName, string]>): Promise<void>;
  /**
   * Spends one point of each `[name, key]`, in order, stopping at the first refusal, and only then
   * runs `attempt`; gives the points back when it succeeds. Spending first is what makes the
   * budget hold under concurrency (each spend is one atomic increment); the refund means only
   * failed attempts use it up.
   */
  guardAttempt<T>(spends: Array<[LimitName, string]>, attempt: () => Promise<T>): Promise<T>;
  /**
   * Runs `attempt` unless `key` already spent its budget of `name` on misses; an attempt that
   * finds nothing (`not_found`, or `invalid_code` for ballot codes) spends one point, one that finds something spends none and clears
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

export function createRateLimits(redis: RedisClient, config: Config['rateLimits']): RateLimits {
  const budgets: Record<LimitName, number> = {
    voterTokensPerIp: config.voterTokensPerIpPerMin,
    ballotsPerIp: config.ballotsPerIpPerMin,
    ballotsPerVoter: config.ballotsPerVoterPerMin,
    loginPerIp: config.loginPerIpPerMin,
    loginPerEmail: config.loginPerEmailPerMin,
    loginPerEmailAllAddresses: config.loginPerEmailAllAddressesPerMin,
    lookupMissesPerIp: config.lookupMissesPerIpPerMin,
    codeMissesPerIp: config.codeMissesPerIpPerMin,
    codeMissesPerElection: config.codeMissesPerElectionPerMin,
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

  // A crowd joining from one address (a venue's Wi-Fi, a load generator) checks the same misses
  // count thousands of times a second: concurrent checks share one Redis read (MULTI of GET and
  // PTTL), never one that started before they asked (shared-read.ts).
  const missesSpent = sharedRead((nameAndKey) => {
    const [name, key] = nameAndKey.split('\n') as [LimitName, string];
    return limiters[name].get(key);
  });
  return {
    consume,
    async consumeAll(spends) {
      const results = await Promise.allSettled(spends.map(([name, key]) => consume(name, key)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    async guardAttempt(spends, attempt) {
      // One after the other: a spend refused early leaves the later budgets untouched.
      for (const [name, key] of spends) await consume(name, key);
      const result = await attempt();
      await Promise.all(
        spends.map(([name, key]) => limiters[name].reward(key, 1).catch(() => undefined)),
      );
      return result;
    },
    async guardMisses(name, key, attempt) {
      const spent = await missesSpent(`${name}\n${key}`);
      if (spent && spent.consumedPoints >= budgets[name]) {
        throw rateLimited(name, spent.msBeforeNext);
      }
      try {
        return await attempt();
      } catch (e) {
        if (e instanceof DomainError && (e.code === 'not_found' || e.code === 'invalid_code')) {
          await limiters[name].consume(key).catch(() => undefined); // may just have run out
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

/**
 * The login policy: every attempt spends, before its password is checked, one point of its email
 * from its address (`loginPerEmail`, 10 a minute) and then one of its email from every address
 * together (`loginPerEmailAllAddresses`, 100 a minute); a successful sign-in gives both back.
 * Keyed on email and address, a stranger's guesses use up the stranger's budget, not the
 * owner's; the looser ceiling across addresses slows guessing spread over many addresses. An
 * attempt refused by the first budget does not touch the second.
 */
export function guardLogin<T>(
  limits: RateLimits,
  email: string,
  address: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const who = email.trim().toLowerCase();
  return limits.guardAttempt(
    [
      ['loginPerEmail', `${who}|${address}`],
      ['loginPerEmailAllAddresses', who],
    ],
    attempt,
  );
}

/**
 * The ballot-code policy: a code that fails spends one point of its address's budget and one of
 * its election's (from every address together); a code that works spends nothing, so a venue's
 * thousand voters behind one address exchange theirs freely. The election's budget bounds
 * guessing over the election's lifetime whatever the number of addresses (docs/security.md).
 */
export function guardCodeGuess<T>(
  limits: RateLimits,
  address: string,
  electionId: string,
  attempt: () => Promise<T>,
): Promise<T> {
  return limits.guardMisses('codeMissesPerIp', address, () =>
    limits.guardMisses('codeMissesPerElection', electionId, attempt),
  );
}
