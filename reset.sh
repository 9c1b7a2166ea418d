#!/usr/bin/env bash
# Rebuilds the server and client and restarts only that side, keeping every byte of data:
# pending migrations run, nginx reloads when its config changed, the nodes restart one at a time
# (each ready before the next: deploy/local/stack.sh restart-app).
# With a running Docker stack instead, rebuilds and recreates the backend and nginx services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-tallyboard}
T0=$SECONDS
build=1
[ "${1:-}" = --no-build ] && build=0 # the build is already fresh (tests)

stack_dir=${TB_STACK_DIR:-.stack}
if [ -f "$stack_dir/mariadb/master/mariadbd.pid" ] || [ ! -f .env ] || ! command -v docker >/dev/null 2>&1 ||
  ! timeout 10 docker info >/dev/null 2>&1; then
  if [ "$build" = 1 ]; then
    echo "== build (shared, server, client)"
    npm run --silent build || { echo "error: the build failed; nothing was restarted" >&2; exit 1; }
  fi
  echo "== restarting nodes and nginx (data kept)"
  deploy/local/stack.sh restart-app
  deploy/local/stack.sh status
else
  if docker compose version >/dev/null 2>&1; then dc=(docker compose); else dc=(docker-compose); fi
  "${dc[@]}" --env-file .env -f docker-compose.yml up -d --build --no-deps backend1 backend2 backend3 nginx
fi
echo "reset done in $((SECONDS - T0))s"
