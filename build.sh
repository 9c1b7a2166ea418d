#!/usr/bin/env bash
# Brings the whole Tallyboard topology up with one command, test-gated.
#
#   ./build.sh            Docker when an engine answers (`docker info`), else local processes
#   ./build.sh --local    local processes: MariaDB master + replicas (TB_REPLICA_PORTS, 2 by
#                         default), Redis, 3 nodes, nginx
#   ./build.sh --docker   docker-compose.yml (MySQL 8.4 master + 2 replicas, Redis 7, …)
#   ./build.sh --down     stops everything this script started (data is kept)
#   ./build.sh --tls      (with the local stack) HTTPS on TB_TLS_PORT (8443) too: a self-signed
#                         certificate made into the stack folder, or TB_TLS_CERT + TB_TLS_KEY
#   ./build.sh --demo     also seeds an open demo election (join code DEMO42); never by default
#
# Operations on the running local stack (deploy/local/operations.sh; runbook: docs/operations.md):
#   ./build.sh --promote replica1|replica2 [--force]   make a replica the master (refused when it
#                         is behind, with the distance, unless --force); the nodes follow, no restart
#   ./build.sh --rejoin   the old master becomes a replica of the new one
#   ./build.sh --backup [DIR]    consistent dump from a replica with its GTID position (backups/)
#   ./build.sh --restore FILE    a fresh stack (empty TB_STACK_DIR) from a backup, replicas rebuilt
#
# First run: creates .env from .env.example with fresh secrets. Then: npm ci when needed, the
# unit tests (nothing starts when they fail), the build, the stack, and a table of what runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
T0=$SECONDS

if [ -t 1 ]; then B=$'\033[1m' R=$'\033[31m' G=$'\033[32m' N=$'\033[0m'; else B= R= G= N=; fi
step() { printf '\n%s== %s%s  (at %ss)\n' "$B" "$*" "$N" "$((SECONDS - T0))"; }
die() {
  printf '%serror:%s %s\n' "$R" "$N" "$1" >&2
  [ -n "${2:-}" ] && printf '  what to do: %s\n' "$2" >&2
  exit 1
}
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-tallyboard}

mode=auto
# The operations take an argument, so they are parsed before the plain flags; each runs alone.
case ${1:-} in
  --promote | --rejoin | --backup | --restore)
    op=${1#--}
    shift
    case $op in
      promote) [ $# -ge 1 ] || die "--promote needs the replica to promote" "e.g. ./build.sh --promote replica1 [--force]" ;;
      restore) [ $# -eq 1 ] || die "--restore needs the backup file" "e.g. ./build.sh --restore backups/tallyboard-….sql.gz" ;;
      rejoin) [ $# -eq 0 ] || die "--rejoin takes no argument" "./build.sh --rejoin" ;;
      backup) [ $# -le 1 ] || die "--backup takes at most a folder" "./build.sh --backup [DIR]" ;;
    esac
    exec deploy/local/stack.sh "$op" "$@"
    ;;
esac
for arg in "$@"; do
  case $arg in
    --local) mode=local ;;
    --docker) mode=docker ;;
    --down) mode=down ;;
    --tls) export TB_TLS=1 ;;
    --demo) export SEED_DEMO=1 ;;
    -h | --help)
      sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown option ${arg}" "use --local, --docker, --down, --tls, --demo, --promote, --rejoin, --backup, --restore or nothing (see ./build.sh --help)" ;;
  esac
done

docker_answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }
compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose --env-file .env -f docker-compose.yml "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose --env-file .env -f docker-compose.yml "$@"
  else
    die "neither 'docker compose' nor docker-compose is installed" \
      "apt-get install -y docker-compose (or the Docker Compose plugin), or use ./build.sh --local"
  fi
}

# ------------------------------------------------------------------ .env with fresh secrets
new_secret() { openssl rand -hex "${1:-24}" 2>/dev/null || node -e "process.stdout.write(require('crypto').randomBytes(${1:-24}).toString('hex'))"; }
# A secret .env.example gained after .env was made (e.g. DB_MIGRATE_PASSWORD): appended, fresh.
add_missing_secrets() {
  local line key added=()
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^([A-Z_][A-Z0-9_]*)=generate$ ]] || continue
    key=${BASH_REMATCH[1]}
    grep -q "^$key=" .env && continue
    printf '%s=%s\n' "$key" "$(new_secret)" >>.env
    added+=("$key")
  done <.env.example
  [ ${#added[@]} -eq 0 ] || printf 'added to .env with fresh values: %s\n' "${added[*]}"
}
ensure_env() {
  [ -f .env ] && { add_missing_secrets; return 0; }
  [ -f .env.example ] || die ".env.example is missing" "restore it from git: git checkout .env.example"
  local tmp line key
  tmp=$(mktemp)
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line =~ ^([A-Z_][A-Z0-9_]*)=generate$ ]]; then
      key=${BASH_REMATCH[1]}
      if [ "$key" = ADMIN_PASSWORD ]; then line="$key=$(new_secret 9)"; else line="$key=$(new_secret)"; fi
    fi
    printf '%s\n' "$line" >>"$tmp"
  done <.env.example
  mv "$tmp" .env
  chmod 600 .env
  CREATED_ENV=1
}
env_value() { sed -n "s/^$1=//p" .env | tail -1 | sed 's/^"\(.*\)"$/\1/'; }

print_login() {
  printf '  admin login: %s / %s   (from .env)\n' "$(env_value ADMIN_EMAIL)" "$(env_value ADMIN_PASSWORD)"
}

# ------------------------------------------------------------------ --down
if [ "$mode" = down ]; then
  stopped=0
  if [ -d "${TB_STACK_DIR:-.stack}" ]; then
    step "stopping the local stack"
    deploy/local/stack.sh down
    stopped=1
  fi
  if [ -f .env ] && docker_answers && [ -n "$(compose ps -q 2>/dev/null)" ]; then
    step "stopping the Docker stack"
    compose down
    stopped=1
  fi
  [ "$stopped" = 1 ] || echo "nothing to stop"
  exit 0
fi

if [ "$mode" = auto ]; then
  if [ "${TB_TLS:-}" = 1 ]; then mode=local; elif docker_answers; then mode=docker; else mode=local; fi
fi
[ "${TB_TLS:-}" = 1 ] && [ "$mode" = docker ] &&
  die "--tls is for the local stack" "use ./build.sh --local --tls, or put TLS in front of the Docker nginx"

ensure_env
if [ "${CREATED_ENV:-0}" = 1 ]; then
  step "created .env with fresh secrets"
  print_login
fi

# ------------------------------------------------------------------ node modules, tests, build
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund || die "npm ci failed" "check the network access to the npm registry, then run ./build.sh again"
fi

if [ "$mode" = local ]; then
  step "system packages (MariaDB, Redis, nginx)"
  scripts/system-deps.sh stack
fi

# A content hash of every tracked or new (not ignored) file: the unit tests and the build are
# skipped on a warm run only when this exact source already passed / was built.
cache=node_modules/.cache/tallyboard
mkdir -p "$cache"
source_hash() {
  git ls-files -co --exclude-standard -z 2>/dev/null | xargs -0 sha1sum 2>/dev/null | sha1sum | cut -c1-16
}
hash=$(source_hash)
if [ -n "$hash" ] && [ "$(cat "$cache/unit-tests-passed" 2>/dev/null)" = "$hash" ]; then
  step "unit tests already passed for this exact source ($hash)"
else
  step "unit tests (nothing starts if they fail)"
  npm run --silent test:unit || die "unit tests failed: nothing was started" "fix the failing tests above, then run ./build.sh again"
  echo "$hash" >"$cache/unit-tests-passed"
fi

# ------------------------------------------------------------------ start
if [ "$mode" = docker ]; then
  step "secrets for Compose (.secrets/ from .env)"
  deploy/docker-secrets.sh
  step "docker compose up (the images run the unit tests again in their build)"
  compose up -d --build || die "docker compose up failed" "read the output above; 'docker compose logs' shows the services"
  port=$(env_value TB_NGINX_PORT)
  port=${TB_NGINX_PORT:-${port:-8080}}
  deadline=$((SECONDS + 300))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/readyz"; do
    [ $SECONDS -lt $deadline ] || die "the Docker stack did not become ready within 5 minutes" "docker compose ps; docker compose logs"
    sleep 2
  done
  step "components"
  compose ps
else
  rebuilt=0
  if [ -f server/dist/main.js ] && [ -f server/dist/cli/migrate.js ] && [ -f client/dist/index.html ] &&
    [ -n "$hash" ] && [ "$(cat "$cache/built" 2>/dev/null)" = "$hash" ]; then
    step "build is up to date (same source as the last build)"
  else
    step "build (shared, server, client)"
    npm run --silent build || die "the build failed: nothing was (re)started" "fix the errors above, then run ./build.sh again"
    echo "$hash" >"$cache/built"
    rebuilt=1
  fi
  step "local stack"
  if [ "$rebuilt" = 1 ] && [ -f "${TB_STACK_DIR:-.stack}/pm2/pm2.pid" ] &&
    kill -0 "$(cat "${TB_STACK_DIR:-.stack}/pm2/pm2.pid")" 2>/dev/null; then
    # Nodes already running old code: start what is down, then reload them gracefully.
    deploy/local/stack.sh up
    deploy/local/stack.sh restart-app
  else
    deploy/local/stack.sh up
  fi
  step "components"
  deploy/local/stack.sh status
  port=${TB_NGINX_PORT:-$(env_value TB_NGINX_PORT)}
  port=${port:-8080}
fi

cport=${TB_CLIENT_PORT:-$(env_value TB_CLIENT_PORT)}
cport=${cport:-5173}
printf '\n%sTallyboard is up%s (%s mode, %ss)\n' "$G" "$N" "$mode" "$((SECONDS - T0))"
printf '  app:    http://localhost:%s/   (also http://localhost:%s/)\n' "$port" "$cport"
printf '  admin:  http://localhost:%s/admin\n' "$port"
[ "${SEED_DEMO:-}" = 1 ] && printf '  demo:   http://localhost:%s/vote/DEMO42   (seeded by --demo)\n' "$port"
if [ "$mode" = local ] && [ -f "${TB_STACK_DIR:-.stack}/tls/enabled" ]; then
  printf '  https:  https://localhost:%s/   (self-signed unless TB_TLS_CERT is set)\n' "${TB_TLS_PORT:-8443}"
fi
if [ "$mode" = local ]; then
  nport=${TB_NODE_PORTS:-$(env_value TB_NODE_PORTS | tr -d '"')}
  nport=${nport:-3001}
  nport=${nport%% *}
  # Operator endpoints are on the nodes' own ports only; nginx answers 404 for them.
  printf '  health: http://127.0.0.1:%s/api/health   metrics: http://127.0.0.1:%s/metrics (each node port)\n' "$nport" "$nport"
else
  printf '  health: docker compose exec backend1 node -e "fetch(%s).then((r) => r.text()).then(console.log)" (and /metrics)\n' "'http://127.0.0.1:3000/api/health'"
fi
print_login
printf '  stop:   ./build.sh --down      rebuild app only, keep data: ./reset.sh\n'
