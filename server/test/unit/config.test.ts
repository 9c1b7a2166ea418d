import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FILE_SECRETS, fileSecrets, parseConfig } from '../../src/config';
import { strongProductionEnv as strong } from '../support/production-env';

describe('parseConfig in production', () => {
  it('accepts strong secrets and a Redis URL with a password', () => {
    expect(parseConfig(strong).redis.url).toBe(strong.REDIS_URL);
  });

  it('refuses a Redis URL without a password, or with a short one', () => {
    for (const url of ['redis://127.0.0.1:6380', 'redis://:short@127.0.0.1:6380', 'not a url']) {
      expect(() => parseConfig({ ...strong, REDIS_URL: url })).toThrow(
        /Redis URL without a password/,
      );
    }
    expect(() => parseConfig({ ...strong, REDIS_URL: undefined })).toThrow(/Redis URL/);
  });

  it('allows a Redis URL without a password outside production', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).redis.url).toBe('redis://127.0.0.1:6380');
  });

  it('refuses a TRUST_PROXY that believes X-Forwarded-For from any peer', () => {
    for (const t of ['true', '1']) {
      expect(() => parseConfig({ ...strong, TRUST_PROXY: t })).toThrow(/TRUST_PROXY/);
    }
    expect(parseConfig({ ...strong, TRUST_PROXY: '172.30.80.10' }).http.trustProxy).toBe(
      '172.30.80.10',
    );
  });

  it('trusts forwarded addresses from the local nginx only, by default', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).http.trustProxy).toBe('127.0.0.1');
  });
});

describe('secrets from files (NAME_FILE)', () => {
  const files: Record<string, string> = {
    '/run/secrets/db': 'b'.repeat(24) + '\n',
    '/run/secrets/session': 'a'.repeat(32),
  };
  const read = (f: string): string => {
    const v = files[f];
    if (v === undefined) throw new Error(`ENOENT: ${f}`);
    return v;
  };

  it('reads NAME from NAME_FILE, dropping one trailing newline', () => {
    const env = fileSecrets(
      { DB_PASSWORD_FILE: '/run/secrets/db', SESSION_SECRET_FILE: '/run/secrets/session' },
      FILE_SECRETS,
      read,
    );
    expect(env.DB_PASSWORD).toBe('b'.repeat(24));
    expect(env.SESSION_SECRET).toBe('a'.repeat(32));
  });

  it('refuses both NAME and NAME_FILE, and an unreadable file', () => {
    expect(() =>
      fileSecrets({ DB_PASSWORD: 'x', DB_PASSWORD_FILE: '/run/secrets/db' }, FILE_SECRETS, read),
    ).toThrow(/DB_PASSWORD or DB_PASSWORD_FILE/);
    expect(() =>
      fileSecrets({ ADMIN_PASSWORD_FILE: '/run/secrets/none' }, FILE_SECRETS, read),
    ).toThrow(/ADMIN_PASSWORD_FILE: ENOENT/);
  });

  it('leaves other *_FILE variables alone (DB_MASTER_FILE is a path the node keeps)', () => {
    const env = fileSecrets({ DB_MASTER_FILE: '/run/secrets/db' }, FILE_SECRETS, read);
    expect(env).toEqual({ DB_MASTER_FILE: '/run/secrets/db' });
  });

  it('feeds parseConfig: a production node takes its secrets from files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-secrets-'));
    try {
      const put = (name: string, value: string): string => {
        const f = path.join(dir, name);
        writeFileSync(f, `${value}\n`);
        return f;
      };
      const cfg = parseConfig({
        NODE_ENV: 'production',
        SESSION_SECRET_FILE: put('session', 's'.repeat(32)),
        DB_PASSWORD_FILE: put('db', 'p'.repeat(24)),
        ADMIN_PASSWORD_FILE: put('admin', 'q'.repeat(18)),
        ROLL_CODE_SECRET_FILE: put('roll', 'r'.repeat(32)),
        REDIS_URL_FILE: put('redis', `redis://:${'d'.repeat(24)}@redis:6379`),
      });
      expect(cfg.db.password).toBe('p'.repeat(24));
      expect(cfg.session.secret).toBe('s'.repeat(32));
      expect(cfg.admin.password).toBe('q'.repeat(18));
      expect(cfg.rollCodes.secret).toBe('r'.repeat(32));
      expect(cfg.redis.url).toBe(`redis://:${'d'.repeat(24)}@redis:6379`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NODE_ID', () => {
  it('defaults to the hostname, unique per container or pod, never a shared node-1', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).nodeId).toBe(os.hostname());
    expect(parseConfig({ NODE_ENV: 'test', NODE_ID: 'tallyboard-node-0' }).nodeId).toBe(
      'tallyboard-node-0',
    );
  });
});
