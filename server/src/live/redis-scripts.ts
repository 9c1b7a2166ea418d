// The Redis keys of the live layer and the Lua scripts that update them atomically. Redis holds
// nothing durable here: after a Redis restart every key is rebuilt by the nodes (presence on the
// next heartbeat, dirty marks from the nodes' own outage memory, the lease on the next tick).
import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis';

/**
 * The hash tag every live key carries: on a Redis Cluster they all hash to one slot, so every
 * script and MULTI below may touch any of them (a cluster refuses keys of two slots with
 * CROSSSLOT). The price is that one shard serves the whole live layer, which is small: a few
 * hashes and sets per election, written a few times a second.
 */
export const LIVE_HASH_TAG = '{tb:live}';
const live = (name: string): string => `${LIVE_HASH_TAG}:${name}`;

export const keys = {
  /** electionId → newest GTID not yet published. */
  dirty: live('tally:dirty'),
  /** electionId → newest GTID ever committed (join acks read at least this far). */
  lastGtid: live('tally:gtid'),
  /** electionIds to publish even at an unchanged version (status changed). */
  force: live('tally:force'),
  leader: live('leader'),
  /** nodeId → `<incarnation>:<count>` of the election's viewers on that node. */
  presence: (electionId: string) => live(`presence:${electionId}`),
  presenceElections: live('presence:elections'),
  /** nodeId → `<incarnation>:<heartbeat expiry, Redis ms>`: which nodes are alive. */
  nodes: live('nodes'),
  /** nodeId → `<event-loop utilisation>:<expiry, Redis ms>`: how busy each node is (load-governor.ts). */
  load: live('load'),
} as const;

/** Every key of the live layer, for checks that they share one slot (e.g. a test). */
export function liveKeys(electionIds: string[]): string[] {
  const { presence, ...fixed } = keys;
  return [...Object.values(fixed), ...electionIds.map(presence)];
}

// Lua twin of gtid-order.ts.
const NEWER = `
local function parse(g)
  local d, s = string.match(g, '^(%d+)%-%d+%-(%d+)$')
  if d then return d, tonumber(s) end
  d, s = string.match(g, '^([%x%-]+):%d+%-(%d+)$')
  if d then return d, tonumber(s) end
  d, s = string.match(g, '^([%x%-]+):(%d+)$')
  if d then return d, tonumber(s) end
  return nil, nil
end
local function newer(cur, cand)
  if not cur then return true end
  if cand == '' then return false end
  local ad, as = parse(cur)
  local bd, bs = parse(cand)
  if ad and bd and ad == bd then return bs >= as end
  return true
end
`;

// Lua: Redis's clock in ms, so that nodes' clocks need not agree.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// Lua, after NOW: the hash KEYS[1] holds one field per node, valued `<value>:<expiry, Redis ms>`.
// Drops the fields whose expiry has passed and returns the other values (without the expiry).
const UNEXPIRED = `
local function unexpired()
  local h = redis.call('HGETALL', KEYS[1])
  local out = {}
  for i = 1, #h, 2 do
    local v, exp = string.match(h[i + 1], '^(.*):(%d+)$')
    if v and tonumber(exp) >= now then out[#out + 1] = v
    else redis.call('HDEL', KEYS[1], h[i]) end
  end
  return out
end
`;

/** The scripts by name (exported for the check that every key they touch comes from KEYS). */
export const scriptSource = {
  /** KEYS: dirty, lastGtid · ARGV: gtid, electionId… */
  mark: `${NEWER}
for i = 2, #ARGV do
  local id = ARGV[i]
  if newer(redis.call('HGET', KEYS[1], id), ARGV[1]) then redis.call('HSET', KEYS[1], id, ARGV[1]) end
  if newer(redis.call('HGET', KEYS[2], id), ARGV[1]) then redis.call('HSET', KEYS[2], id, ARGV[1]) end
end
return 1`,
  /** KEYS: dirty · ARGV: electionId, gtid — deletes the mark only if no newer batch came since. */
  clear: `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1`,
  /** KEYS: lease · ARGV: nodeId, ttlMs → 1 when this node holds the lease. */
  lease: `local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`,
  /** KEYS: lease · ARGV: nodeId */
  release: `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`,
  /**
   * KEYS: nodes · ARGV: nodeId, incarnation, ttlMs — this node is alive for ttlMs more (by Redis's
   * clock, so nodes' clocks need not agree); entries of nodes long gone are dropped on the way.
   */
  heartbeat: `${NOW}${UNEXPIRED}
unexpired()
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
return 1`,
  /**
   * KEYS: load · ARGV: nodeId, load, ttlMs → the highest load of the entries not yet expired (by
   * Redis's clock), this one included, as a string (a Lua number would come back truncated to an
   * integer); expired entries are dropped on the way.
   */
  load: `${NOW}${UNEXPIRED}
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
local max = 0
for _, l in ipairs(unexpired()) do
  local n = tonumber(l)
  if n and n > max then max = n end
end
return tostring(max)`,
  /** KEYS: nodes · ARGV: nodeId, incarnation — only our own life: a successor may be running. */
  leave: `local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and string.match(v, '^(.*):%d+$') == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1`,
  /**
   * KEYS: presence hash, nodes → viewers on live nodes. A field is `<incarnation>:<count>` and
   * counts only while the node's heartbeat holds that same incarnation and has not expired, so
   * neither a dead node nor the previous life of a restarted one is counted; such fields are
   * dropped on the way.
   */
  presence: `${NOW}
local h = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #h, 2 do
  local beat = redis.call('HGET', KEYS[2], h[i])
  local alive, exp
  if beat then alive, exp = string.match(beat, '^(.*):(%d+)$') end
  local inc, n = string.match(h[i + 1], '^(.*):(%d+)$')
  if alive and inc == alive and tonumber(exp) >= now then total = total + tonumber(n)
  else redis.call('HDEL', KEYS[1], h[i]) end
end
return total`,
} as const;

export type ScriptName = keyof typeof scriptSource;

const sha = Object.fromEntries(
  Object.entries(scriptSource).map(([k, v]) => [k, createHash('sha1').update(v).digest('hex')]),
) as Record<ScriptName, string>;

/**
 * Runs a script by SHA, loading it on NOSCRIPT (e.g. after a Redis restart). Every key it touches
 * is in `keyList` (none is built inside the script): a cluster routes the call by them.
 */
export async function runScript(
  redis: RedisClient,
  name: ScriptName,
  keyList: string[],
  args: (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(sha[name], keyList.length, ...keyList, ...args);
  } catch (e) {
    if (e instanceof Error && e.message.includes('NOSCRIPT')) {
      return redis.eval(scriptSource[name], keyList.length, ...keyList, ...args);
    }
    throw e;
  }
}
