// Init container of a node pod: waits until the schema has every migration this image knows (the
// migrate Job applies them), asking the master or, while it is down, any replica, so a node
// restarted during a master outage still starts. Exits 0 when they are all there.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { setTimeout } = require('node:timers');

// This file is mounted from a ConfigMap, outside the app: resolve modules from the server's folder.
const app = process.env.TB_APP_DIR || '/app';
const appRequire = createRequire(`${app}/server/package.json`);
const mysql = appRequire('mysql2/promise');
const { migrations } = appRequire('./dist/db/migrations');

const env = process.env;
const secret = (name) =>
  env[`${name}_FILE`] ? readFileSync(env[`${name}_FILE`], 'utf8').replace(/\r?\n$/, '') : env[name];
const tls = env.DB_TLS && env.DB_TLS !== 'off';
const ssl = tls
  ? {
      ca: env.DB_TLS_CA_FILE ? readFileSync(env.DB_TLS_CA_FILE, 'utf8') : undefined,
      rejectUnauthorized: env.DB_TLS === 'verify',
    }
  : undefined;
const servers = [env.DB_MASTER, ...(env.DB_REPLICAS ?? '').split(',')]
  .map((s) => (s ?? '').trim())
  .filter(Boolean);
const want = migrations.map((m) => m.id);

async function missingOn(server) {
  const [host, port] = server.split(':');
  const conn = await mysql.createConnection({
    host,
    port: Number(port),
    user: env.DB_USER,
    password: secret('DB_PASSWORD'),
    database: env.DB_NAME,
    connectTimeout: 3000,
    ssl,
  });
  try {
    const [rows] = await conn.query('SELECT id FROM schema_migrations');
    const have = new Set(rows.map((r) => r.id));
    return want.filter((id) => !have.has(id));
  } finally {
    await conn.end();
  }
}

(async () => {
  for (;;) {
    for (const server of servers) {
      try {
        const missing = await missingOn(server);
        if (missing.length === 0) {
          console.log(`schema up to date on ${server}`);
          process.exit(0);
        }
        console.log(`${server}: waiting for migrations ${missing.join(', ')}`);
      } catch (err) {
        console.log(`${server}: ${err.message}`);
      }
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
})();
