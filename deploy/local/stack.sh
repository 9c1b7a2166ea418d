#!/usr/bin/env bash
# The whole Tallyboard topology as local processes (no Docker engine): MariaDB master + GTID
# replicas (two by default, one per port in TB_REPLICA_PORTS), Redis, three nodes under pm2, nginx.
# All state lives under $TB_STACK_DIR.
#
#   deploy/local/stack.sh up | down | status | restart-app | rotate-logs
#   deploy/local/stack.sh start-db NAME           start one MariaDB instance (master, replica1, …)
#   deploy/local/stack.sh promote NAME [--force]  make a replica the master (operations.sh)
#   deploy/local/stack.sh rejoin                  the old master becomes a replica of the new one
#   deploy/local/stack.sh rebuild NAME            NAME's data deleted, copied afresh from a replica
#   deploy/local/stack.sh backup [DIR]            consistent dump from a replica, with its GTID
#   deploy/local/stack.sh restore FILE            a fresh stack from a dump; replicas rebuilt
#
# Logs (node, nginx, MariaDB, Redis) are under $TB_STACK_DIR and rotate by size: TB_LOG_MAX_SIZE
# (50M) per file, TB_LOG_KEEP (5) old copies, checked every TB_LOG_CHECK_SECONDS (60) by the pm2
# app tb-logrotate (deploy/local/logrotate.sh); `rotate-logs` runs one pass now.
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
# nginx reaches each node's socket path from these loopback addresses (one source address has
# ~28,000 ephemeral ports per node port); the nodes trust X-Forwarded-For from each. Empty: one.
TB_NGINX_UPSTREAM_SOURCES=${TB_NGINX_UPSTREAM_SOURCES-127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4}
# HTTPS on TB_TLS_PORT besides plain HTTP (./build.sh --tls sets TB_TLS=1; the choice is kept in
# the stack folder until TB_TLS=0). TB_TLS_CERT/TB_TLS_KEY name a real certificate; without them
# a self-signed one is generated into the stack folder.
TB_TLS_PORT=${TB_TLS_PORT:-8443}
# Seconds an nginx worker skips a node it saw fail; restart-app waits as long between nodes.
TB_NGINX_FAIL_TIMEOUT=${TB_NGINX_FAIL_TIMEOUT:-1}
TB_TIMEOUT=${TB_TIMEOUT:-60}
TB_CLIENT_DIST=${TB_CLIENT_DIST:-$ROOT/client/dist}
# What a node and the migration run are (overridable for tests of the stack itself).
TB_NODE_SCRIPT=${TB_NODE_SCRIPT:-$ROOT/server/dist/main.js}
TB_MIGRATE_SCRIPT=${TB_MIGRATE_SCRIPT:-$ROOT/server/dist/cli/migrate.js}
DB_NAME=${DB_NAME:-tallyboard}
DB_USER=${DB_USER:-tallyboard}
DB_MIGRATE_USER=${DB_MIGRATE_USER:-tallyboard_migrate}
REPL_USER=${REPL_USER:-repl}
# How long the instances keep binlogs (default one day); see docs/security.md before raising it.
TB_BINLOG_EXPIRE_SECONDS=${TB_BINLOG_EXPIRE_SECONDS:-86400}
# The nodes (pm2 inherits this shell's exports) get neither the migrator's nor the replication
# password: each is passed explicitly to the one command that needs it.
export -n DB_MIGRATE_PASSWORD REPL_PASSWORD 2>/dev/null || true

S=$TB_STACK_DIR
case ${TB_TLS:-} in
  1) TB_TLS=1 ;;
  0) TB_TLS=0 && rm -f "$S/tls/enabled" ;;
  *) if [ -f "$S/tls/enabled" ]; then TB_TLS=1; else TB_TLS=0; fi ;;
esac
PM2=$ROOT/node_modules/.bin/pm2
export PM2_HOME=$S/pm2
read -r -a NODE_PORTS <<<"$TB_NODE_PORTS"

# ---------------------------------------------------------------- helpers

# A process that was killed but not yet reaped (a zombie: no init reaps it in some containers)
# counts as gone.
pid_alive() {
  local p
  [ -f "$1" ] && p=$(cat "$1" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null &&
    ! grep -q '^[0-9]* (.*) Z' "/proc/$p/stat" 2>/dev/null
}
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

urlencode() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }
# redis-cli against this stack's Redis, authenticated (REDISCLI_AUTH keeps the password off argv).
redis_cli() { REDISCLI_AUTH=$REDIS_PASSWORD redis-cli --no-auth-warning -p "$TB_REDIS_PORT" "$@"; }

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
  for k in DB_PASSWORD DB_MIGRATE_PASSWORD REPL_PASSWORD SESSION_SECRET ADMIN_EMAIL ADMIN_PASSWORD REDIS_PASSWORD; do
    [ -n "${!k:-}" ] || missing+=("$k")
  done
  [ ${#missing[@]} -eq 0 ] || die "secrets missing from $TB_ENV_FILE: ${missing[*]}" \
    "run ./build.sh once (it creates .env from .env.example with fresh secrets), or set them"
  [[ $REDIS_PASSWORD =~ ^[A-Za-z0-9._~+/=-]+$ ]] ||
    die "REDIS_PASSWORD in $TB_ENV_FILE has characters other than letters, digits and ._~+/=-" \
      "choose another (openssl rand -hex 24)"
}

node_env() {
  export NODE_ENV=${NODE_ENV:-production}
  export HOST=${HOST:-127.0.0.1}
  export DB_FLAVOR=mariadb
  export DB_MASTER=127.0.0.1:$MASTER_PORT
  # The nodes re-read this on SIGHUP: promote and rejoin rewrite it (operations.sh) without a
  # restart, the master for writes and the replicas for reads (server/src/db/topology.ts).
  export DB_MASTER_FILE=$S/db-topology
  write_topology
  DB_REPLICAS=$(replica_addresses)
  export DB_REPLICAS
  export DB_NAME DB_USER DB_PASSWORD SESSION_SECRET ADMIN_EMAIL ADMIN_PASSWORD
  # The password percent-encoded for the URL (generated ones are hex; a hand-set one may not be).
  export REDIS_URL="redis://:$(urlencode "$REDIS_PASSWORD")@127.0.0.1:$TB_REDIS_PORT"
  export LOG_LEVEL=${LOG_LEVEL:-info}
  # The pages that may use the session cookie (besides each request's own origin): this stack's
  # nginx ports by name and by address.
  local origins="http://localhost:$TB_NGINX_PORT,http://127.0.0.1:$TB_NGINX_PORT"
  origins+=",http://localhost:$TB_CLIENT_PORT,http://127.0.0.1:$TB_CLIENT_PORT"
  [ "$TB_TLS" = 1 ] && origins+=",https://localhost:$TB_TLS_PORT,https://127.0.0.1:$TB_TLS_PORT"
  export PUBLIC_ORIGINS=${PUBLIC_ORIGINS:-$origins}
  export SHUTDOWN_GRACE_MS=${SHUTDOWN_GRACE_MS:-5000}
  # nginx connects from 127.0.0.1 and from each of its upstream sources (nginx_render).
  local trusted=127.0.0.1 a
  for a in $TB_NGINX_UPSTREAM_SOURCES; do [[ ,$trusted, == *,$a,* ]] || trusted+=",$a"; done
  export TRUST_PROXY=${TRUST_PROXY:-$trusted}
  export TB_NODE_PORTS TB_STACK_DIR=$S TB_NODE_SCRIPT
}

# The databases the nodes follow (server/src/db/topology.ts), replaced atomically: the master and
# the replicas serving reads, by instance name (the instance called master, once a replica, as
# old-master: `master` names the reads that fell back to the master).
write_topology() {
  mkdir -p "$S"
  local name list=()
  for name in $(serving_replicas); do
    list+=("$([ "$name" = master ] && echo old-master || echo "$name")@127.0.0.1:${DB_PORT[$name]}")
  done
  {
    echo '# the databases the nodes use; rewritten by promote and rejoin, re-read on SIGHUP'
    echo "DB_MASTER=127.0.0.1:$MASTER_PORT"
    echo "DB_REPLICAS=$(IFS=,; echo "${list[*]}")"
  } >"$S/db-topology.new"
  mv "$S/db-topology.new" "$S/db-topology"
}

# ---------------------------------------------------------------- MariaDB

# The instances and everything about them (setup, replication, status rows).
# shellcheck source=deploy/local/mariadb.sh
source "$ROOT/deploy/local/mariadb.sh"

# ---------------------------------------------------------------- Redis

redis_up() {
  redis_running && return 0
  require_free_port "$TB_REDIS_PORT" Redis TB_REDIS_PORT
  mkdir -p "$S/redis"
  say "starting Redis on port $TB_REDIS_PORT (no persistence: pub/sub, presence, rate limits only)"
  # The password from .env, in a file only we can read rather than on the command line (ps).
  (
    umask 077
    printf 'requirepass "%s"\n' "$REDIS_PASSWORD" >"$S/redis/auth.conf"
  )
  redis-server "$S/redis/auth.conf" --bind 127.0.0.1 --port "$TB_REDIS_PORT" --save '' --appendonly no \
    --dir "$S/redis" --pidfile "$S/redis/redis.pid" --logfile "$S/redis/redis.log" \
    --daemonize yes --maxclients 10000 >/dev/null ||
    die "redis-server failed to start" "see $S/redis/redis.log"
  wait_for "$TB_TIMEOUT" Redis redis_cli ping ||
    die "Redis did not answer within ${TB_TIMEOUT}s" "see $S/redis/redis.log"
}

# ---------------------------------------------------------------- nodes (pm2)

migrate() {
  [ -f "$TB_MIGRATE_SCRIPT" ] ||
    die "$TB_MIGRATE_SCRIPT is missing: the server is not built" "run: npm run build"
  say "migrations and seed on the master"
  node_env
  # The migrator account (DDL), given to this command only.
  DB_REPLICAS=$DB_REPLICAS DB_MIGRATE_USER=$DB_MIGRATE_USER DB_MIGRATE_PASSWORD=$DB_MIGRATE_PASSWORD \
    node "$TB_MIGRATE_SCRIPT" >"$S/migrate.log" 2>&1 ||
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
  grep -q "^tb-logrotate online " <<<"$list" || to_start+=(tb-logrotate)
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

# The certificate nginx serves HTTPS with: TB_TLS_CERT/TB_TLS_KEY, else a self-signed one made
# once into $S/tls (names: localhost, this host's name and addresses; valid 825 days).
tls_setup() {
  [ "$TB_TLS" = 1 ] || return 0
  mkdir -p "$S/tls"
  touch "$S/tls/enabled"
  if [ -n "${TB_TLS_CERT:-}" ] || [ -n "${TB_TLS_KEY:-}" ]; then
    [ -r "${TB_TLS_CERT:-}" ] && [ -r "${TB_TLS_KEY:-}" ] ||
      die "TB_TLS_CERT and TB_TLS_KEY must both name readable PEM files" \
        "set both (certificate chain and private key), or neither for a self-signed one"
    return 0
  fi
  TB_TLS_CERT=$S/tls/cert.pem TB_TLS_KEY=$S/tls/key.pem
  [ -s "$TB_TLS_CERT" ] && [ -s "$TB_TLS_KEY" ] && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl is missing (to make a self-signed certificate)" \
    "apt-get install -y openssl, or set TB_TLS_CERT and TB_TLS_KEY"
  local san="DNS:localhost,IP:127.0.0.1,DNS:$(hostname)" ip
  for ip in $(hostname -I 2>/dev/null); do [[ $ip == *:* ]] || san+=",IP:$ip"; done
  say "generating a self-signed certificate for $san"
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Tallyboard local" \
    -addext "subjectAltName=$san" -keyout "$TB_TLS_KEY" -out "$TB_TLS_CERT" 2>"$S/tls/openssl.log" ||
    die "openssl could not make a certificate: $(tail -n 3 "$S/tls/openssl.log")" "set TB_TLS_CERT and TB_TLS_KEY"
  chmod 600 "$TB_TLS_KEY"
}

nginx_render() {
  local ups="" p tls_listen=""
  for p in "${NODE_PORTS[@]}"; do ups="$ups 127.0.0.1:$p"; done
  mkdir -p "$S/nginx/logs" "$S/nginx/tmp"/{client_body,proxy,fastcgi,uwsgi,scgi}
  tls_setup
  [ "$TB_TLS" = 1 ] && tls_listen=$TB_TLS_PORT
  TB_TLS_LISTEN=$tls_listen TB_TLS_CERT=${TB_TLS_CERT:-} TB_TLS_KEY=${TB_TLS_KEY:-} \
    TB_UPSTREAMS=$ups TB_NGINX_LISTEN=$TB_NGINX_PORT TB_CLIENT_LISTEN=$TB_CLIENT_PORT \
    TB_CLIENT_ROOT=$TB_CLIENT_DIST TB_NGINX_RUNTIME_DIR=$S/nginx TB_NGINX_USER=root \
    TB_NGINX_UPSTREAM_SOURCES=$TB_NGINX_UPSTREAM_SOURCES TB_NGINX_FAIL_TIMEOUT=$TB_NGINX_FAIL_TIMEOUT \
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
    [ "$TB_TLS" = 1 ] && require_free_port "$TB_TLS_PORT" "nginx (HTTPS)" TB_TLS_PORT
    say "starting nginx on ports $TB_NGINX_PORT and $TB_CLIENT_PORT"
    nginx_cmd || die "nginx failed to start" "see $S/nginx/logs/error.log"
  fi
  wait_for "$TB_TIMEOUT" nginx http_ok "http://127.0.0.1:$TB_NGINX_PORT/healthz" ||
    die "nginx did not answer /healthz on port $TB_NGINX_PORT within ${TB_TIMEOUT}s" \
      "see $S/nginx/logs/error.log"
}

# ---------------------------------------------------------------- commands

# Redis, the three databases, their accounts and replication: what `up` and `restore` start from.
data_tier_up() {
  ensure_binaries
  require_secrets
  mkdir -p "$S"
  # Redis starts while the databases initialise.
  redis_up
  db_up
  db_setup_accounts
  db_setup_replication
}

cmd_up() {
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  data_tier_up
  migrate
  nodes_up
  nginx_up
  say "${G}stack is up${N} (state in $S)"
}

cmd_restart_app() {
  require_secrets
  db_running "$MASTER_NAME" || die "the stack is not running" "run: $0 up"
  migrate
  node_env
  nginx_up # a changed template (or TB_NGINX_FAIL_TIMEOUT) applies before the nodes roll
  # One node at a time, the next only once the last answers /readyz and every nginx worker may
  # use it again (a worker that saw it refuse skips it for TB_NGINX_FAIL_TIMEOUT). `pm2 reload` of
  # all apps does neither: in fork mode it moves on as soon as a process is spawned, so two or
  # three nodes were down at once, and with nginx's old 5 s fail_timeout the rolling-restart drill
  # saw 4-5 s without an acknowledged ballot.
  local i name port
  say "rolling restart of the nodes: one at a time, each back and ready before the next"
  for i in "${!NODE_PORTS[@]}"; do
    name=tb-node-$((i + 1)) port=${NODE_PORTS[$i]}
    "$PM2" reload "$ROOT/deploy/local/ecosystem.config.cjs" --only "$name" --update-env >/dev/null ||
      die "pm2 reload of $name failed" "see $S/logs/$name.err.log"
    wait_for "$TB_TIMEOUT" "$name ready" http_ok "http://127.0.0.1:$port/readyz" ||
      die "$name was not ready on port $port within ${TB_TIMEOUT}s after its restart (the others still run the old build)" \
        "see $S/logs/$name.err.log and $S/logs/$name.out.log"
    [ "$i" -eq $((${#NODE_PORTS[@]} - 1)) ] || sleep "$TB_NGINX_FAIL_TIMEOUT"
  done
  nodes_up # tb-logrotate, and any node pm2 did not know yet
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
  local busy=() tls_port=()
  [ "$TB_TLS" = 1 ] && tls_port=("$TB_TLS_PORT")
  for p in "$TB_NGINX_PORT" "$TB_CLIENT_PORT" "${tls_port[@]}" "${NODE_PORTS[@]}" "$TB_MASTER_PORT" \
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

cmd_status() {
  local fmt='%-10s %-6s %-8s %s\n' name port pid health
  # shellcheck disable=SC2059
  printf "$fmt" COMPONENT PORT PID HEALTH
  db_status_rows "$fmt"
  pid=- health=down
  if redis_running; then
    pid=$(cat "$S/redis/redis.pid")
    health=$(REDIS_PASSWORD=${REDIS_PASSWORD:-} redis_cli ping 2>/dev/null || echo 'not answering')
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
  if [ "$TB_TLS" = 1 ]; then
    # shellcheck disable=SC2059
    printf "$fmt" https "$TB_TLS_PORT" "$pid" "$(curl -ks -o /dev/null -w '/healthz %{http_code}' --max-time 2 "https://127.0.0.1:$TB_TLS_PORT/healthz" || true)"
  fi
  # shellcheck disable=SC2059
  printf "$fmt" client "$TB_CLIENT_PORT" "$pid" "$([ -f "$TB_CLIENT_DIST/index.html" ] && echo 'served by nginx' || echo 'client not built')"
}

# Failover and one instance at a time; backup, restore and rebuild.
# shellcheck source=deploy/local/operations.sh
source "$ROOT/deploy/local/operations.sh"
# shellcheck source=deploy/local/backups.sh
source "$ROOT/deploy/local/backups.sh"

case ${1:-} in
  up) cmd_up ;;
  start-db) cmd_start_db "${2:-}" ;;
  promote) shift && cmd_promote "$@" ;;
  rejoin) cmd_rejoin ;;
  rebuild) cmd_rebuild "${2:-}" ;;
  backup) cmd_backup "${2:-$ROOT/backups}" ;;
  restore) cmd_restore "${2:-}" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  restart-app) cmd_restart_app ;;
  rotate-logs) TB_STACK_DIR=$S "$ROOT/deploy/local/logrotate.sh" ;;
  *)
    echo "usage: $0 up|down|status|restart-app|rotate-logs|start-db NAME|promote NAME [--force]|rejoin|rebuild NAME|backup [DIR]|restore FILE" >&2
    exit 2
    ;;
esac
