#!/usr/bin/env bash
# The whole Tallyboard topology as local processes (no Docker engine): MariaDB master + GTID
# replicas (two by default, one per port in TB_REPLICA_PORTS), Redis, three nodes under pm2, nginx.
# All state lives under $TB_STACK_DIR.
#
#   deploy/local/stack.sh up | down | status | restart-app
#
# Idempotent: `up` on a running stack starts only what is down and loses no data. Every port is
# an env var (defaults below); secrets come from $TB_ENV_FILE (default .env at the repo root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

if [ -t 1 ]; then B=$'\033[1m' R=$'\033[31m' G=$'\033[32m' Y=$'\033[33m' N=$'\033[0m'; else B= R= G= Y= N=; fi
say() { printf '%s==>%s %s\n' "$B" "$N" "$*"; }
warn() { printf '%swarning:%s %s\n' "$Y" "$N" "$*" >&2; }
# die WHAT-FAILED WHAT-TO-DO
die() {
  printf '%serror:%s %s\n' "$R" "$N" "$1" >&2
  [ -n "${2:-}" ] && printf '  what to do: %s\n' "$2" >&2
  exit 1
}

TB_ENV_FILE=${TB_ENV_FILE:-$ROOT/.env}
# KEY=VALUE lines of the env file; a variable already set in the environment wins.
load_env_file() {
  local line key
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)= ]] || continue
    key=${BASH_REMATCH[1]}
    [ -n "${!key+x}" ] && continue
    eval "export $line"
  done <"$1"
}
[ -f "$TB_ENV_FILE" ] && load_env_file "$TB_ENV_FILE"

TB_STACK_DIR=${TB_STACK_DIR:-.stack}
case $TB_STACK_DIR in /*) ;; *) TB_STACK_DIR=$ROOT/$TB_STACK_DIR ;; esac
TB_NGINX_PORT=${TB_NGINX_PORT:-8080}
TB_CLIENT_PORT=${TB_CLIENT_PORT:-5173}
TB_NODE_PORTS=${TB_NODE_PORTS:-3001 3002 3003}
TB_MASTER_PORT=${TB_MASTER_PORT:-3307}
# One port per replica, comma- or space-separated: the replica count. Their names (replica1…),
# server ids and the nodes' DB_REPLICAS all derive from it. The older two-replica form,
# TB_REPLICA1_PORT / TB_REPLICA2_PORT, still works (the test harness passes it).
[ -z "${TB_REPLICA_PORTS:-}" ] || [ -z "${TB_REPLICA1_PORT:-}${TB_REPLICA2_PORT:-}" ] ||
  die "both TB_REPLICA_PORTS and TB_REPLICA1_PORT/TB_REPLICA2_PORT are set" \
    "keep only TB_REPLICA_PORTS (e.g. TB_REPLICA_PORTS=3308,3309)"
TB_REPLICA_PORTS=${TB_REPLICA_PORTS:-${TB_REPLICA1_PORT:-3308},${TB_REPLICA2_PORT:-3309}}
TB_REDIS_PORT=${TB_REDIS_PORT:-6380}
TB_TIMEOUT=${TB_TIMEOUT:-60}
TB_CLIENT_DIST=${TB_CLIENT_DIST:-$ROOT/client/dist}
# What a node and the migration run are (overridable for tests of the stack itself).
TB_NODE_SCRIPT=${TB_NODE_SCRIPT:-$ROOT/server/dist/main.js}
TB_MIGRATE_SCRIPT=${TB_MIGRATE_SCRIPT:-$ROOT/server/dist/cli/migrate.js}
DB_NAME=${DB_NAME:-tallyboard}
DB_USER=${DB_USER:-tallyboard}
REPL_USER=${REPL_USER:-repl}

S=$TB_STACK_DIR
PM2=$ROOT/node_modules/.bin/pm2
export PM2_HOME=$S/pm2
read -r -a NODE_PORTS <<<"$TB_NODE_PORTS"

# The MariaDB instances, master first (it must start first), and what each one is.
read -r -a REPLICA_PORTS <<<"${TB_REPLICA_PORTS//,/ }"
[ ${#REPLICA_PORTS[@]} -gt 0 ] || die "TB_REPLICA_PORTS names no port" "give at least one, e.g. TB_REPLICA_PORTS=3308"
for port in "${REPLICA_PORTS[@]}"; do
  [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] ||
    die "TB_REPLICA_PORTS has '$port', which is not a port" "list ports, e.g. TB_REPLICA_PORTS=3308,3309"
done
DBS=(master) REPLICAS=()
declare -A DB_PORT=([master]=$TB_MASTER_PORT) DB_SERVER_ID=([master]=1)
for i in "${!REPLICA_PORTS[@]}"; do
  name=replica$((i + 1))
  REPLICAS+=("$name") DBS+=("$name")
  DB_PORT[$name]=${REPLICA_PORTS[$i]} DB_SERVER_ID[$name]=$((i + 2))
done
unset i name port
# What the nodes get: the same list, as server/src/config.ts reads it.
DB_REPLICA_ADDRESSES=$(
  IFS=,
  printf '%s' "${REPLICA_PORTS[*]/#/127.0.0.1:}"
)

# ---------------------------------------------------------------- helpers

db_port() { echo "${DB_PORT[$1]}"; }
# The variable that sets an instance's port, for "choose another port" advice.
db_port_var() { if [ "$1" = master ]; then echo TB_MASTER_PORT; else echo TB_REPLICA_PORTS; fi; }
db_dir() { echo "$S/mariadb/$1"; }
# Instance folders under $S that TB_REPLICA_PORTS no longer names (the stack ran with more).
db_folders_not_in_list() {
  local dir
  for dir in "$S"/mariadb/*/; do
    [ -d "$dir" ] || continue
    dir=$(basename "$dir")
    [ -n "${DB_PORT[$dir]+x}" ] || echo "$dir"
  done
}
db_sock() { echo "$S/mariadb/$1/mariadb.sock"; }
# Root, through the instance's own socket (root has socket authentication only).
dbq() {
  local name=$1
  shift
  mariadb --no-defaults --protocol=socket --socket="$(db_sock "$name")" -uroot -N -B "$@"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }
db_running() { pid_alive "$(db_dir "$1")/mariadbd.pid"; }
redis_running() { pid_alive "$S/redis/redis.pid"; }
nginx_running() { pid_alive "$S/nginx/nginx.pid"; }

port_listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
# Fails with the process holding the port when something that is not ours listens on it.
require_free_port() {
  local port=$1 what=$2
  if port_listening "$port"; then
    local holder
    holder=$(ss -Hltnp "sport = :$port" 2>/dev/null | head -3)
    die "port $port for $what is in use by another process:
$holder" "stop that process, or choose another port (e.g. $3=<port> $0 up)"
  fi
}

# wait_for SECONDS DESCRIPTION COMMAND… — polls every 0.1 s.
wait_for() {
  local secs=$1 desc=$2
  shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.1
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }

ensure_binaries() {
  local missing=0
  for b in mariadbd mariadb-install-db mariadb redis-server nginx; do
    command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || missing=1
  done
  if [ "$missing" = 1 ]; then
    "$ROOT/scripts/system-deps.sh" stack || die "system packages are missing" \
      "as root: apt-get update && apt-get install -y mariadb-server mariadb-client redis-server nginx"
  fi
  export PATH=$PATH:/usr/sbin
  local tool pkg
  for pair in envsubst:gettext-base curl:curl ss:iproute2; do
    tool=${pair%%:*} pkg=${pair#*:}
    command -v "$tool" >/dev/null 2>&1 && continue
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing $pkg (for $tool)"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null || die "apt-get install $pkg failed" "install it by hand: apt-get install -y $pkg"
    else
      die "$tool is missing" "install it: sudo apt-get install -y $pkg"
    fi
  done
  [ -x "$PM2" ] || die "pm2 is not installed in node_modules" "run: npm ci"
}

require_secrets() {
  local k missing=()
  for k in DB_PASSWORD REPL_PASSWORD SESSION_SECRET ADMIN_EMAIL ADMIN_PASSWORD; do
    [ -n "${!k:-}" ] || missing+=("$k")
  done
  [ ${#missing[@]} -eq 0 ] || die "secrets missing from $TB_ENV_FILE: ${missing[*]}" \
    "run ./build.sh once (it creates .env from .env.example with fresh secrets), or set them"
}

# Every SQL statement this script sends comes from server/src/db/ through the CLI, the same code
# the unit tests, the nodes and the MySQL init scripts use: `sql_for WHAT [ARGS]` (see
# server/src/cli/replication-sql.ts for the modes).
sql_for() {
  local what=$1
  shift
  if [ -f "$ROOT/server/dist/cli/replication-sql.js" ]; then
    node "$ROOT/server/dist/cli/replication-sql.js" --flavor mariadb --what "$what" "$@"
  else
    "$ROOT/node_modules/.bin/tsx" "$ROOT/server/src/cli/replication-sql.ts" --flavor mariadb --what "$what" "$@"
  fi
}

node_env() {
  export NODE_ENV=${NODE_ENV:-production}
  export HOST=${HOST:-127.0.0.1}
  export DB_FLAVOR=mariadb
  export DB_MASTER=127.0.0.1:$TB_MASTER_PORT
  export DB_REPLICAS=$DB_REPLICA_ADDRESSES
  export DB_NAME DB_USER DB_PASSWORD SESSION_SECRET ADMIN_EMAIL ADMIN_PASSWORD
  export REDIS_URL=redis://127.0.0.1:$TB_REDIS_PORT
  export LOG_LEVEL=${LOG_LEVEL:-info}
  export SHUTDOWN_GRACE_MS=${SHUTDOWN_GRACE_MS:-5000}
  export TB_NODE_PORTS TB_STACK_DIR=$S TB_NODE_SCRIPT
}

# ---------------------------------------------------------------- MariaDB

db_write_config() {
  local name=$1 role='read_only = OFF'
  [ "$name" = master ] || role=$'read_only = ON\nskip_slave_start = OFF'
  mkdir -p "$(db_dir "$name")"
  TB_DB_DIR=$(db_dir "$name") TB_DB_PORT=$(db_port "$name") TB_DB_SERVER_ID=${DB_SERVER_ID[$name]} \
    TB_DB_ROLE_OPTIONS=$role \
    envsubst '${TB_DB_DIR} ${TB_DB_PORT} ${TB_DB_SERVER_ID} ${TB_DB_ROLE_OPTIONS}' \
    <"$ROOT/deploy/local/mariadb.cnf.template" >"$(db_dir "$name")/my.cnf"
}

db_install() {
  local name=$1 dir
  dir=$(db_dir "$name")
  local attempt
  for attempt in 1 2; do
    if mariadb-install-db --defaults-file="$dir/my.cnf" --user=root --skip-test-db --skip-name-resolve \
      --auth-root-authentication-method=socket >"$dir/install.log" 2>&1; then
      return 0
    fi
    # A half-written data folder from a failed first attempt is worthless: start it over once.
    [ "$attempt" = 1 ] && { cp "$dir/install.log" "$dir/install.1.log"; rm -rf "$dir/data"; }
  done
  die "mariadb-install-db failed for $name (log: $dir/install.log):
$(tail -n 8 "$dir/install.log")" \
    "read the log; if the data folder is damaged, remove $dir/data and run up again (data is lost)"
}

db_start() {
  local name=$1 dir
  dir=$(db_dir "$name")
  setsid mariadbd --defaults-file="$dir/my.cnf" </dev/null >>"$dir/mariadbd.out" 2>&1 &
}

db_up() {
  local name to_install=() to_start=() pids=()
  for name in "${DBS[@]}"; do
    db_running "$name" && continue
    require_free_port "$(db_port "$name")" "MariaDB $name" "$(db_port_var "$name")"
    db_write_config "$name"
    [ -d "$(db_dir "$name")/data/mysql" ] || to_install+=("$name")
    to_start+=("$name")
  done
  if [ ${#to_install[@]} -gt 0 ]; then
    say "initialising MariaDB data folders: ${to_install[*]}"
    for name in "${to_install[@]}"; do
      db_install "$name" &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || exit 1; done
  fi
  # Master first: replicas started before it would wait MASTER_CONNECT_RETRY to reconnect.
  for name in "${DBS[@]}"; do
    [[ " ${to_start[*]-} " == *" $name "* ]] || continue
    say "starting MariaDB $name on port $(db_port "$name")"
    db_start "$name"
    if [ "$name" = master ]; then db_wait master; fi
  done
  for name in "${to_start[@]}"; do db_wait "$name"; done
}

# Root can log in through the socket: the client connects, has no statement to run, exits 0.
db_answers() { dbq "$1" </dev/null; }

db_wait() {
  local name=$1
  wait_for "$TB_TIMEOUT" "MariaDB $name" db_answers "$name" ||
    die "MariaDB $name did not accept connections within ${TB_TIMEOUT}s" \
      "see $(db_dir "$name")/error.log"
}

db_setup_accounts() {
  say "applying database accounts on the master ($DB_USER: app, $REPL_USER: replication)"
  REPL_PASSWORD=$REPL_PASSWORD DB_PASSWORD=$DB_PASSWORD sql_for users \
    --database "$DB_NAME" --app-user "$DB_USER" --app-host 127.0.0.1 \
    --repl-user "$REPL_USER" --repl-host 127.0.0.1 | dbq master ||
    die "creating the database accounts on the master failed" "see $(db_dir master)/error.log"
}

# Points every replica that is not yet a replica at the master, then waits until each has applied
# the master's whole binlog (accounts and schema included) before nodes start reading from it.
db_setup_replication() {
  local name status_sql status setup_sql=''
  status_sql=$(sql_for replica-status) || die "the replication SQL CLI failed" "run: npm run build"
  for name in "${REPLICAS[@]}"; do
    status=$(dbq "$name" <<<"$status_sql") ||
      die "reading the replication status of $name failed" "see $(db_dir "$name")/error.log"
    [ -z "$status" ] || continue # already pointed at the master: its position is kept
    say "pointing $name at the master (GTID, slave_pos)"
    # The same statements for every replica, so generated once (the password stays off argv).
    if [ -z "$setup_sql" ]; then
      setup_sql=$(REPL_PASSWORD=$REPL_PASSWORD sql_for replica --source-host 127.0.0.1 \
        --source-port "$TB_MASTER_PORT" --repl-user "$REPL_USER" --connect-retry 1) ||
        die "the replication SQL CLI failed" "run: npm run build"
    fi
    dbq "$name" <<<"$setup_sql" ||
      die "configuring replication on $name failed" "see $(db_dir "$name")/error.log"
  done
  local pos wait_sql r
  pos=$(sql_for master-position | dbq master) ||
    die "reading the master's GTID position failed" "see $(db_dir master)/error.log"
  wait_sql=$(sql_for wait-gtid --gtid "$pos" --timeout "$TB_TIMEOUT") ||
    die "the replication SQL CLI failed" "run: npm run build"
  for name in "${REPLICAS[@]}"; do
    r=$(dbq "$name" <<<"$wait_sql") || r=error
    [ "$r" = 0 ] || die "$name did not catch up with the master within ${TB_TIMEOUT}s" \
      "check replication: mariadb --no-defaults -S $(db_sock "$name") -e 'SHOW SLAVE STATUS\\G'"
  done
}

# ---------------------------------------------------------------- Redis

redis_up() {
  redis_running && return 0
  require_free_port "$TB_REDIS_PORT" Redis TB_REDIS_PORT
  mkdir -p "$S/redis"
  say "starting Redis on port $TB_REDIS_PORT (no persistence: pub/sub, presence, rate limits only)"
  redis-server --bind 127.0.0.1 --port "$TB_REDIS_PORT" --save '' --appendonly no \
    --dir "$S/redis" --pidfile "$S/redis/redis.pid" --logfile "$S/redis/redis.log" \
    --daemonize yes --maxclients 10000 >/dev/null ||
    die "redis-server failed to start" "see $S/redis/redis.log"
  wait_for "$TB_TIMEOUT" Redis redis-cli -p "$TB_REDIS_PORT" ping ||
    die "Redis did not answer within ${TB_TIMEOUT}s" "see $S/redis/redis.log"
}

# ---------------------------------------------------------------- nodes (pm2)

migrate() {
  [ -f "$TB_MIGRATE_SCRIPT" ] ||
    die "$TB_MIGRATE_SCRIPT is missing: the server is not built" "run: npm run build"
  say "migrations and seed on the master"
  node_env
  DB_REPLICAS=$DB_REPLICAS node "$TB_MIGRATE_SCRIPT" >"$S/migrate.log" 2>&1 ||
    die "migrations failed (log: $S/migrate.log):
$(tail -n 5 "$S/migrate.log")" "read $S/migrate.log; fix, then run up again"
}

# Prints "name status pid" for every pm2 app of this stack.
pm2_running() { pid_alive "$PM2_HOME/pm2.pid"; }
pm2_list() {
  pm2_running || return 0 # any pm2 command would start a daemon that nobody stops
  "$PM2" jlist 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      let list = []; try { list = JSON.parse(s.slice(s.indexOf("["))); } catch {}
      for (const p of list) console.log(p.name, p.pm2_env.status, p.pid);
    });'
}

nodes_up() {
  [ -f "$TB_NODE_SCRIPT" ] ||
    die "$TB_NODE_SCRIPT is missing: the server is not built" "run: npm run build"
  node_env
  mkdir -p "$S/pm2" "$S/logs"
  local list i port name to_start=()
  list=$(pm2_list)
  for i in "${!NODE_PORTS[@]}"; do
    name=tb-node-$((i + 1)) port=${NODE_PORTS[$i]}
    if grep -q "^$name online " <<<"$list"; then continue; fi
    require_free_port "$port" "node $name" TB_NODE_PORTS
    to_start+=("$name")
  done
  for name in "${to_start[@]}"; do
    say "starting $name under pm2"
    "$PM2" start "$ROOT/deploy/local/ecosystem.config.cjs" --only "$name" --update-env >/dev/null ||
      die "pm2 could not start $name" "see $S/logs/$name.err.log"
  done
  for i in "${!NODE_PORTS[@]}"; do
    name=tb-node-$((i + 1)) port=${NODE_PORTS[$i]}
    wait_for "$TB_TIMEOUT" "$name" http_ok "http://127.0.0.1:$port/healthz" ||
      die "$name did not answer /healthz on port $port within ${TB_TIMEOUT}s" \
        "see $S/logs/$name.err.log and $S/logs/$name.out.log"
  done
}

# ---------------------------------------------------------------- nginx

nginx_render() {
  local ups="" p
  for p in "${NODE_PORTS[@]}"; do ups="$ups 127.0.0.1:$p"; done
  mkdir -p "$S/nginx/logs" "$S/nginx/tmp"/{client_body,proxy,fastcgi,uwsgi,scgi}
  TB_UPSTREAMS=$ups TB_NGINX_LISTEN=$TB_NGINX_PORT TB_CLIENT_LISTEN=$TB_CLIENT_PORT \
    TB_CLIENT_ROOT=$TB_CLIENT_DIST TB_NGINX_RUNTIME_DIR=$S/nginx TB_NGINX_USER=root \
    "$ROOT/deploy/nginx/render.sh" >"$S/nginx/nginx.conf.new"
  nginx -q -t -p "$S/nginx" -c "$S/nginx/nginx.conf.new" -e "$S/nginx/logs/error.log" 2>"$S/nginx/test.log" ||
    die "the rendered nginx config is invalid: $(cat "$S/nginx/test.log")" "fix deploy/nginx/nginx.conf.template"
  [ -f "$S/nginx/nginx.conf" ] && cp "$S/nginx/nginx.conf" "$S/nginx/nginx.conf.prev"
  mv "$S/nginx/nginx.conf.new" "$S/nginx/nginx.conf"
}

nginx_cmd() { nginx -p "$S/nginx" -c "$S/nginx/nginx.conf" -e "$S/nginx/logs/error.log" "$@"; }

nginx_up() {
  nginx_render
  if nginx_running; then
    # Reload only on a changed config: a reload drains the old workers' sockets.
    cmp -s "$S/nginx/nginx.conf" "$S/nginx/nginx.conf.prev" 2>/dev/null || nginx_cmd -s reload
  else
    require_free_port "$TB_NGINX_PORT" nginx TB_NGINX_PORT
    require_free_port "$TB_CLIENT_PORT" "nginx (client)" TB_CLIENT_PORT
    say "starting nginx on ports $TB_NGINX_PORT and $TB_CLIENT_PORT"
    nginx_cmd || die "nginx failed to start" "see $S/nginx/logs/error.log"
  fi
  wait_for "$TB_TIMEOUT" nginx http_ok "http://127.0.0.1:$TB_NGINX_PORT/healthz" ||
    die "nginx did not answer /healthz on port $TB_NGINX_PORT within ${TB_TIMEOUT}s" \
      "see $S/nginx/logs/error.log"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  ensure_binaries
  require_secrets
  mkdir -p "$S"
  # Redis starts while the databases initialise.
  redis_up
  db_up
  db_setup_accounts
  db_setup_replication
  migrate
  nodes_up
  nginx_up
  say "${G}stack is up${N} (state in $S)"
}

cmd_restart_app() {
  require_secrets
  db_running master || die "the stack is not running" "run: $0 up"
  migrate
  node_env
  say "graceful reload of the nodes (pm2 reload, one at a time)"
  "$PM2" reload "$ROOT/deploy/local/ecosystem.config.cjs" --update-env >/dev/null ||
    die "pm2 reload failed" "see $S/logs/"
  nodes_up
  nginx_up
}

cmd_down() {
  local pids=() p name
  if pm2_running && [ -x "$PM2" ]; then
    say "stopping nodes (pm2)"
    "$PM2" kill >/dev/null 2>&1 || true
  fi
  if nginx_running; then
    say "stopping nginx"
    p=$(cat "$S/nginx/nginx.pid")
    kill -QUIT "$p" 2>/dev/null || true
    pids+=("$p")
  fi
  if redis_running; then
    say "stopping Redis"
    p=$(cat "$S/redis/redis.pid")
    kill "$p" 2>/dev/null || true
    pids+=("$p")
  fi
  # Every mariadbd stops in parallel (three: ~1.5 s instead of ~6 s one after another). Every
  # instance folder counts, not only today's list: a replica dropped from TB_REPLICA_PORTS since
  # it started still stops cleanly.
  for name in "${DBS[@]}" $(db_folders_not_in_list); do
    if db_running "$name"; then
      p=$(cat "$(db_dir "$name")/mariadbd.pid")
      say "stopping MariaDB $name"
      kill "$p" 2>/dev/null || true
      pids+=("$p")
    fi
  done
  local deadline=$((SECONDS + TB_TIMEOUT)) left
  while :; do
    left=()
    for p in "${pids[@]}"; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && left+=("$p"); done
    [ ${#left[@]} -eq 0 ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      warn "still running after ${TB_TIMEOUT}s, killing: ${left[*]}"
      kill -9 "${left[@]}" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
  done
  # Whatever pm2 might have left (a node whose daemon died first).
  for p in $(pgrep -f "$TB_NODE_SCRIPT" 2>/dev/null || true); do
    if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "TB_STACK_DIR=$S"; then kill -9 "$p" 2>/dev/null || true; fi
  done
  # Anything else still naming this stack's folder (a pm2 daemon, an instance whose pid file
  # was lost): stop it too, so down never leaves a process behind.
  for p in $(pgrep -f -- "(mariadbd|nginx|PM2|redis-server).*$S/" 2>/dev/null || true); do
    [ "$p" = $$ ] || kill -9 "$p" 2>/dev/null || true
  done
  local busy=()
  for p in "$TB_NGINX_PORT" "$TB_CLIENT_PORT" "${NODE_PORTS[@]}" "$TB_MASTER_PORT" \
    "${REPLICA_PORTS[@]}" "$TB_REDIS_PORT"; do
    port_listening "$p" && busy+=("$p")
  done
  if [ ${#busy[@]} -gt 0 ]; then
    warn "ports still in use after down: ${busy[*]}"
    ss -Hltnp | grep -E ":($(
      IFS='|'
      echo "${busy[*]}"
    ))\b" >&2 || true
    exit 1
  fi
  say "stack is down (data kept in $S)"
}

# One status row per MariaDB instance in the list. Reading the status never fails the command:
# an instance that does not answer shows as such.
db_status_rows() {
  local fmt=$1 name pid health status_sql=''
  for name in "${DBS[@]}"; do
    pid=- health=down
    if db_running "$name"; then
      pid=$(cat "$(db_dir "$name")/mariadbd.pid")
      if [ "$name" = master ]; then
        health="up, gtid $(sql_for master-position 2>/dev/null | dbq master 2>/dev/null || echo '?')"
      else
        # Generated once for all replicas: each CLI run costs a node start.
        [ -n "$status_sql" ] || status_sql=$(sql_for replica-status 2>/dev/null) || status_sql=''
        health=$(replica_health "$name" "$status_sql")
      fi
    fi
    # shellcheck disable=SC2059
    printf "$fmt" "$name" "$(db_port "$name")" "$pid" "$health"
  done
}

# "replicating, lag Ns" while both replication threads run; build.sh and operators read this.
replica_health() {
  local name=$1 status_sql=$2
  [ -n "$status_sql" ] || { echo 'up, status unknown (replication-sql failed)'; return 0; }
  { dbq "$name" --column-names --vertical <<<"$status_sql" 2>/dev/null || true; } | awk -F': ' '
    /Slave_IO_Running:/ {io=$2} /Slave_SQL_Running:/ {sql=$2} /Seconds_Behind_Master:/ {lag=$2}
    END { if (io == "") print "up, not replicating";
          else if (io == "Yes" && sql == "Yes") print "replicating, lag " lag "s";
          else print "up, replication io=" io " sql=" sql }'
}

cmd_status() {
  local fmt='%-10s %-6s %-8s %s\n' name port pid health
  # shellcheck disable=SC2059
  printf "$fmt" COMPONENT PORT PID HEALTH
  db_status_rows "$fmt"
  pid=- health=down
  if redis_running; then
    pid=$(cat "$S/redis/redis.pid")
    health=$(redis-cli -p "$TB_REDIS_PORT" ping 2>/dev/null || echo 'not answering')
  fi
  # shellcheck disable=SC2059
  printf "$fmt" redis "$TB_REDIS_PORT" "$pid" "$health"
  local list="" i
  [ -d "$S/pm2" ] && list=$(pm2_list)
  for i in "${!NODE_PORTS[@]}"; do
    name=tb-node-$((i + 1)) port=${NODE_PORTS[$i]}
    pid=$(awk -v n="$name" '$1 == n {print $3}' <<<"$list")
    health=down
    http_ok "http://127.0.0.1:$port/healthz" 2>/dev/null && health=ok
    # shellcheck disable=SC2059
    printf "$fmt" "node-$((i + 1))" "$port" "${pid:--}" "$health"
  done
  pid=- health=down
  if nginx_running; then
    pid=$(cat "$S/nginx/nginx.pid")
    health="up, /healthz $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$TB_NGINX_PORT/healthz" || true)"
  fi
  # shellcheck disable=SC2059
  printf "$fmt" nginx "$TB_NGINX_PORT" "$pid" "$health"
  # shellcheck disable=SC2059
  printf "$fmt" client "$TB_CLIENT_PORT" "$pid" "$([ -f "$TB_CLIENT_DIST/index.html" ] && echo 'served by nginx' || echo 'client not built')"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  restart-app) cmd_restart_app ;;
  *)
    echo "usage: $0 up|down|status|restart-app" >&2
    exit 2
    ;;
esac
