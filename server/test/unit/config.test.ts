import { parseConfig } from '../../src/config';

const strong = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a'.repeat(32),
  DB_PASSWORD: 'b'.repeat(24),
  ADMIN_PASSWORD: 'c'.repeat(18),
  REDIS_URL: `redis://:${'d'.repeat(24)}@127.0.0.1:6380`,
};

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
