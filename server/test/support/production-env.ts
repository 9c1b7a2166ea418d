// Secrets strong enough for NODE_ENV=production (config.ts refuses weak ones): the starting point
// of every unit test of production configuration.
export const strongProductionEnv = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a'.repeat(32),
  DB_PASSWORD: 'b'.repeat(24),
  ADMIN_PASSWORD: 'c'.repeat(18),
  REDIS_URL: `redis://:${'d'.repeat(24)}@127.0.0.1:6380`,
};
