import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import calculateSlot from 'cluster-key-slot';
import { parseConfig } from '../../src/config';
import { dbSsl } from '../../src/db/tls';
import { keys, liveKeys, scriptSource } from '../../src/live/redis-scripts';
import { ADAPTER_CHANNEL_PREFIX } from '../../src/live/redis-link';
import { strongProductionEnv as strong } from '../support/production-env';

describe('REDIS_MODE', () => {
  it('is one instance at REDIS_URL by default', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).redis).toEqual({
      mode: 'single',
      url: 'redis://127.0.0.1:6380',
      password: undefined,
    });
  });

  it('reads the sentinels, the master name and both passwords in sentinel mode', () => {
    const { redis } = parseConfig({
      NODE_ENV: 'test',
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26380',
      REDIS_SENTINEL_NAME: 'tally',
      REDIS_PASSWORD: 'data-pass',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pass',
    });
    expect(redis).toMatchObject({
      mode: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
      sentinelName: 'tally',
      password: 'data-pass',
      sentinelPassword: 'sentinel-pass',
    });
  });

  it('names the master `mymaster` unless told, like redis-sentinel’s sample config', () => {
    const { redis } = parseConfig({
      NODE_ENV: 'test',
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: '127.0.0.1:26379',
    });
    expect(redis).toMatchObject({ sentinelName: 'mymaster' });
  });

  it('reads the seed nodes in cluster mode', () => {
    const { redis } = parseConfig({
      NODE_ENV: 'test',
      REDIS_MODE: 'cluster',
      REDIS_CLUSTER_NODES: 'r1:7000,r2:7001,r3:7002',
    });
    expect(redis).toMatchObject({
      mode: 'cluster',
      clusterNodes: [
        { host: 'r1', port: 7000 },
        { host: 'r2', port: 7001 },
        { host: 'r3', port: 7002 },
      ],
    });
  });

  it('refuses sentinel or cluster mode without addresses, and bad addresses', () => {
    expect(() => parseConfig({ REDIS_MODE: 'sentinel' })).toThrow(/REDIS_SENTINELS/);
    expect(() => parseConfig({ REDIS_MODE: 'cluster' })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => parseConfig({ REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'r1' })).toThrow(
      /bad address r1/,
    );
    expect(() => parseConfig({ REDIS_MODE: 'replicated' })).toThrow(/REDIS_MODE/);
  });

  it('refuses sentinel or cluster mode without a strong REDIS_PASSWORD in production', () => {
    const cluster = { ...strong, REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'r1:7000' };
    expect(() => parseConfig(cluster)).toThrow(/REDIS_MODE=cluster without REDIS_PASSWORD/);
    expect(() => parseConfig({ ...cluster, REDIS_PASSWORD: 'short' })).toThrow(/REDIS_PASSWORD/);
    expect(parseConfig({ ...cluster, REDIS_PASSWORD: 'e'.repeat(16) }).redis.mode).toBe('cluster');
  });
});

describe('DB_TLS', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-db-tls-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('is off by default: no ssl option on any pool', () => {
    const { tls } = parseConfig({ NODE_ENV: 'test' }).db;
    expect(tls.mode).toBe('off');
    expect(dbSsl(tls)).toBeUndefined();
  });

  it('encrypts without checking the certificate when required', () => {
    const { tls } = parseConfig({ NODE_ENV: 'test', DB_TLS: 'required' }).db;
    expect(dbSsl(tls)).toEqual({ rejectUnauthorized: false, verifyIdentity: false });
  });

  it('checks the chain against the CA file and the host name when verifying', () => {
    const ca = file('ca.pem', 'CA PEM');
    const { tls } = parseConfig({ NODE_ENV: 'test', DB_TLS: 'verify', DB_TLS_CA_FILE: ca }).db;
    expect(dbSsl(tls)).toEqual({ rejectUnauthorized: true, verifyIdentity: true, ca: 'CA PEM' });
  });

  it('presents a client certificate when given one, and wants its key with it', () => {
    const cert = file('client.pem', 'CERT PEM');
    const key = file('client.key', 'KEY PEM');
    const env = { NODE_ENV: 'test', DB_TLS: 'verify', DB_TLS_CERT_FILE: cert };
    expect(() => parseConfig(env)).toThrow(/DB_TLS_CERT_FILE and DB_TLS_KEY_FILE/);
    expect(dbSsl(parseConfig({ ...env, DB_TLS_KEY_FILE: key }).db.tls)).toMatchObject({
      cert: 'CERT PEM',
      key: 'KEY PEM',
    });
  });

  it('fails at start, naming the file, when a file is missing', () => {
    const { tls } = parseConfig({
      NODE_ENV: 'test',
      DB_TLS: 'verify',
      DB_TLS_CA_FILE: path.join(dir, 'nope.pem'),
    }).db;
    expect(() => dbSsl(tls)).toThrow(/nope\.pem/);
  });

  it('refuses a mode it does not know', () => {
    expect(() => parseConfig({ DB_TLS: 'on' })).toThrow(/DB_TLS/);
  });
});

describe('live keys on a Redis Cluster', () => {
  it('all hash to one slot, so every script and MULTI of the live engine stays in it', () => {
    const all = liveKeys(['e1', 'an-election-id', '0195f3c2-7a1b-7c00-8000-000000000000']);
    expect(all).toContain(keys.nodes);
    expect(new Set(all.map(calculateSlot)).size).toBe(1);
  });

  it('carry the hash tag in every key, fixed or per election', () => {
    for (const k of liveKeys(['e9'])) expect(k.startsWith('{tb:live}:')).toBe(true);
  });

  it('are touched by scripts only through KEYS, never built inside Lua', () => {
    for (const [name, lua] of Object.entries(scriptSource)) {
      const calls = [...lua.matchAll(/redis\.call\('(\w+)'(?:, ([^,)]+))?/g)];
      expect(calls.length).toBeGreaterThan(0);
      for (const [, command, firstArg] of calls) {
        if (command === 'TIME') continue;
        expect({ name, command, key: firstArg }).toEqual({
          name,
          command,
          key: expect.stringMatching(/^KEYS\[\d\]$/),
        });
      }
    }
  });

  it('keeps the adapter channels under the tb:sio prefix in both adapters', () => {
    expect(ADAPTER_CHANNEL_PREFIX).toBe('tb:sio');
  });
});
