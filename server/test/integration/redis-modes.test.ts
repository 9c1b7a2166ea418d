// Redis beyond one instance, against real redis-server processes of its own (not the run's
// stack): the node's Redis factory in sentinel and cluster mode, the live engine's scripts and
// MULTIs on a cluster (one hash tag: no CROSSSLOT), rate limits on a cluster, two Socket.IO servers
// exchanging a room broadcast through the sharded adapter (cluster) and the classic one
// (sentinel), and a sentinel failover the client follows without a restart.
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { parseConfig } from '../../src/config';
import { createRateLimits } from '../../src/limits/rate-limits';
import { createLogger } from '../../src/log';
import { NodeViewers, ClusterPresence } from '../../src/live/presence-modes';
import { linkAdapter, openRedisLink, type RedisLink } from '../../src/live/redis-link';
import { keys, runScript } from '../../src/live/redis-scripts';
import { createRedis, duplicateRedis, isCluster, type RedisClient } from '../../src/redis';
import { until } from '../support/drill';
import { RedisServers } from '../support/redis-servers';

const log = createLogger('redis-modes-test', 'silent');
const password = randomBytes(12).toString('hex');
const servers = new RedisServers(password);
const clients: RedisClient[] = [];

/** The node's own factory, from the environment a node would be given. */
function nodeRedis(env: Record<string, string>): RedisClient {
  const client = createRedis(parseConfig({ NODE_ENV: 'test', ...env }).redis, log);
  clients.push(client);
  return client;
}

afterAll(async () => {
  // quit, then disconnect: a client whose server is gone would otherwise keep reconnecting.
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  for (const c of clients) c.disconnect();
  await servers.stop();
});

interface IoNode {
  http: HttpServer;
  io: Server;
  link: RedisLink;
  port: number;
}

/** One Socket.IO server on its own port, on the adapter the node would pick for `redis`. */
async function ioNode(redis: RedisClient): Promise<IoNode> {
  const link = openRedisLink(redis, log);
  const http = createServer();
  const io = new Server(http, { adapter: linkAdapter(link) });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { http, io, link, port: (http.address() as AddressInfo).port };
}

async function closeIoNode(n: IoNode): Promise<void> {
  n.io.disconnectSockets(true);
  await Promise.resolve(n.io.of('/').adapter.close()).catch(() => undefined);
  await new Promise<void>((resolve) => n.io.close(() => resolve()));
  await n.link.close();
  for (const c of [n.link.pub, n.link.sub, n.link.live]) c.disconnect();
}

/**
 * A viewer on node B in room `viewers:e1`; node A, which has no socket in the room, emits to it
 * until the viewer has the frame: it can only have come through Redis.
 */
async function expectRoomBroadcast(redis: RedisClient): Promise<void> {
  const [a, b] = [await ioNode(redis), await ioNode(redis)];
  let viewer: Socket | undefined;
  try {
    b.io.on('connection', (s) => void s.join('viewers:e1'));
    viewer = connect(`http://127.0.0.1:${b.port}`, { transports: ['websocket'] });
    const got = new Promise<unknown>((resolve) => viewer!.on('tally', resolve));
    let delivered: unknown;
    void got.then((v) => (delivered = v));
    await until('the viewer on node B to join', 10_000, () =>
      b.io.of('/').adapter.rooms.get('viewers:e1')?.size === 1 ? true : undefined,
    );
    expect(a.io.of('/').adapter.rooms.get('viewers:e1')).toBeUndefined();
    await until(
      'node A’s broadcast at the viewer on node B',
      15_000,
      () => {
        if (delivered !== undefined) return delivered;
        a.io.to('viewers:e1').emit('tally', { from: 'A' });
        return undefined;
      },
      200,
    );
    expect(delivered).toEqual({ from: 'A' });
  } finally {
    viewer?.close();
    await Promise.all([closeIoNode(a), closeIoNode(b)]);
  }
}

describe('REDIS_MODE=cluster (three Redis 7 masters)', () => {
  let redis: RedisClient;

  beforeAll(async () => {
    const ports = await servers.cluster();
    redis = nodeRedis({
      REDIS_MODE: 'cluster',
      REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(','),
      REDIS_PASSWORD: password,
    });
    await until('the cluster client ready', 10_000, () =>
      redis.status === 'ready' ? true : undefined,
    );
  });

  it('connects through the node’s factory as a cluster client', async () => {
    expect(isCluster(redis)).toBe(true);
    await redis.set('tb:probe', '1');
    expect(await redis.get('tb:probe')).toBe('1');
  });

  it('refuses keys of two slots in one script, which is why the live keys share a hash tag', async () => {
    // Without auto-pipelining, so the refusal is the cluster's and not ioredis's own check.
    const plain = duplicateRedis(redis, { enableAutoPipelining: false });
    clients.push(plain);
    await expect(plain.eval('return 1', 2, 'tb:tally:dirty', 'tb:tally:gtid')).rejects.toThrow(
      /CROSSSLOT/,
    );
  });

  it('runs the live engine’s scripts and MULTIs without CROSSSLOT', async () => {
    await runScript(redis, 'mark', [keys.dirty, keys.lastGtid], ['0-1-7', 'e1', 'e2']);
    expect(await redis.hget(keys.lastGtid, 'e2')).toBe('0-1-7');
    await runScript(redis, 'clear', [keys.dirty], ['e1', '0-1-7']);
    expect(await redis.hkeys(keys.dirty)).toEqual(['e2']);
    expect(await runScript(redis, 'lease', [keys.leader], ['n1', 5000])).toBe(1);
    expect(await runScript(redis, 'lease', [keys.leader], ['n2', 5000])).toBe(0);
    await runScript(redis, 'release', [keys.leader], ['n1']);
    expect(await runScript(redis, 'lease', [keys.leader], ['n2', 5000])).toBe(1);
    const forced = await redis.multi().sadd(keys.force, 'e3').hsetnx(keys.dirty, 'e3', '').exec();
    expect(forced?.map(([err]) => err)).toEqual([null, null]);
  });

  it('sums presence across two nodes and drops a node that left', async () => {
    const node = (nodeId: string, count: number): ClusterPresence => {
      const viewers = new NodeViewers({
        emit: () => undefined,
        tally: () => undefined,
        localViewers: () => count,
      });
      viewers.touch('e1');
      return new ClusterPresence({
        redis,
        nodeId,
        isLeader: () => false,
        viewers,
        heartbeatTtlMs: 10_000,
      });
    };
    const [n1, n2] = [node('n1', 3), node('n2', 4)];
    await n1.heartbeat();
    await n2.heartbeat();
    expect(await n1.total('e1')).toBe(7);
    await n2.stop();
    expect(await n1.total('e1')).toBe(3);
  });

  it('shares the nodes’ loads: the busiest one not expired counts', async () => {
    const share = async (nodeId: string, load: string, ttlMs: number): Promise<number> =>
      Number(await runScript(redis, 'load', [keys.load], [nodeId, load, ttlMs]));
    expect(await share('n1', '0.300', 10_000)).toBeCloseTo(0.3);
    expect(await share('n2', '0.912', 200)).toBeCloseTo(0.912);
    expect(await share('n1', '0.250', 10_000)).toBeCloseTo(0.912);
    await new Promise((r) => setTimeout(r, 300));
    // n2 stopped sharing: its entry expired and is dropped.
    expect(await share('n1', '0.250', 10_000)).toBeCloseTo(0.25);
    expect(await redis.hkeys(keys.load)).toEqual(['n1']);
  });

  it('keeps rate limits shared in the cluster', async () => {
    const limits = createRateLimits(redis, parseConfig({ NODE_ENV: 'test' }).rateLimits);
    const voter = `voter-${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 30; i++) await limits.consume('ballotsPerVoter', voter);
    await expect(limits.consume('ballotsPerVoter', voter)).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });

  it('carries a room broadcast between two Socket.IO servers on the sharded adapter', async () => {
    await expectRoomBroadcast(redis);
  });
});

describe('REDIS_MODE=sentinel (a master, a replica, three sentinels)', () => {
  let redis: RedisClient;
  let set: Awaited<ReturnType<RedisServers['sentinelSet']>>;
  const role = async (): Promise<{ role: string; port: string }> => {
    const info = await redis.info();
    const field = (name: string): string =>
      info.match(new RegExp(`^${name}:(.*)$`, 'm'))?.[1]?.trim() ?? '';
    return { role: field('role'), port: field('tcp_port') };
  };

  beforeAll(async () => {
    set = await servers.sentinelSet('tb');
    redis = nodeRedis({
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: set.sentinels.map((p) => `127.0.0.1:${p}`).join(','),
      REDIS_SENTINEL_NAME: 'tb',
      REDIS_PASSWORD: password,
    });
    await until('the sentinel client ready', 10_000, () =>
      redis.status === 'ready' ? true : undefined,
    );
  });

  it('connects through the sentinels to the master', async () => {
    expect(isCluster(redis)).toBe(false);
    expect(await role()).toEqual({ role: 'master', port: String(set.master) });
    await redis.set('tb:probe', 'before');
  });

  it('carries a room broadcast between two Socket.IO servers on the classic adapter', async () => {
    await expectRoomBroadcast(redis);
  });

  it('follows a failover: the master is killed, a sentinel promotes the replica, commands work again', async () => {
    const killedAt = Date.now();
    servers.kill(set.master);
    const back = await until(
      'a write accepted after the failover',
      30_000,
      async () => ((await redis.set('tb:probe', 'after')) === 'OK' ? Date.now() : undefined),
      200,
    );
    expect(await role()).toEqual({ role: 'master', port: String(set.replica) });
    expect(await redis.get('tb:probe')).toBe('after');
    console.log(`sentinel failover: writes back ${back - killedAt} ms after the master died`);
    // The adapter's connections follow too: a broadcast after the failover still arrives.
    await expectRoomBroadcast(redis);
  });
});
