// pm2 apps for the local stack: one per port in TB_NODE_PORTS, each with its own NODE_ID, and
// the log rotator.
// pm2 (a dependency, not a system service) restarts a crashed node after 0.5 s, restarts one on
// `pm2 reload --only NAME` (graceful: SIGINT, then the node drains; stack.sh restart-app takes
// them one at a time, each ready before the next), and keeps each node's logs in
// $TB_STACK_DIR/logs. deploy/local/stack.sh sets the environment read here.
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const stackDir = process.env.TB_STACK_DIR || path.join(root, '.stack');
const ports = (process.env.TB_NODE_PORTS || '3001 3002 3003').split(/\s+/).filter(Boolean);

// Everything server/src/config.ts reads, and nothing of the shell's other variables.
const passed =
  /^(NODE_ENV|HOST|DB_|REDIS_URL|SESSION_|ADMIN_|LOG_LEVEL|REPLICA_|GTID_|BALLOT_|ANONYMITY_|TALLY_|SOCKET_|HTTP_LISTEN_BACKLOG$|RATE_|TRUST_PROXY|PUBLIC_ORIGINS$|SHUTDOWN_|TB_STACK_DIR$)/;
// The migrator's account is for cli/migrate.ts only: a node never holds DDL.
const withheld = /^DB_MIGRATE_/;
const baseEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => passed.test(k) && !withheld.test(k)),
);

const nodes = ports.map((port, i) => ({
  name: `tb-node-${i + 1}`,
  script: process.env.TB_NODE_SCRIPT || path.join(root, 'server/dist/main.js'),
  cwd: root,
  exec_mode: 'fork',
  instances: 1,
  autorestart: true,
  restart_delay: 500,
  max_restarts: 1000,
  min_uptime: 2000,
  // Above the node's own drain time (SHUTDOWN_GRACE_MS) so pm2 does not cut a drain short.
  kill_timeout: Number(process.env.SHUTDOWN_GRACE_MS || 5000) + 2000,
  out_file: path.join(stackDir, 'logs', `tb-node-${i + 1}.out.log`),
  error_file: path.join(stackDir, 'logs', `tb-node-${i + 1}.err.log`),
  merge_logs: true,
  time: false,
  // No @pm2/io in the nodes: its metrics list every open handle twice a second
  // (process._getActiveHandles, an array of tens of thousands of sockets) and wrap every HTTP
  // request; a profile of a 15,000-socket ramp showed them in ~2% of a node's time, growing
  // with the sockets held. /metrics and the logs are the nodes' own.
  pmx: false,
  env: { ...baseEnv, NODE_ID: `node-${i + 1}`, PORT: port },
}));

// Size-bounded rotation of every log of the stack (deploy/local/logrotate.sh), checked each
// TB_LOG_CHECK_SECONDS (default 60).
const logrotate = {
  name: 'tb-logrotate',
  script: path.join(root, 'deploy/local/logrotate.sh'),
  args: ['--every', process.env.TB_LOG_CHECK_SECONDS || '60'],
  interpreter: 'bash',
  cwd: root,
  autorestart: true,
  restart_delay: 5000,
  out_file: path.join(stackDir, 'logs', 'tb-logrotate.log'),
  error_file: path.join(stackDir, 'logs', 'tb-logrotate.log'),
  merge_logs: true,
  env: {
    PATH: `${process.env.PATH || '/usr/bin:/bin'}:/usr/sbin`,
    TB_STACK_DIR: stackDir,
    TB_LOG_MAX_SIZE: process.env.TB_LOG_MAX_SIZE || '50M',
    TB_LOG_KEEP: process.env.TB_LOG_KEEP || '5',
  },
};

module.exports = { apps: [...nodes, logrotate] };
