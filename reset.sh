#!/usr/bin/env bash
# Rebuilds the server and client and restarts only that side, keeping every byte of data:
# pending migrations run, the nodes reload one at a time (pm2 reload), nginx reloads.
# With a running Docker stack instead: rebuilds the images, runs the migrations (the migrate
# service), then recreates the nodes one at a time, each healthy (/readyz) before the next, with
# nginx reloaded after each so it resolves the new container; nginx itself last.
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
  dc+=(--env-file .env -f docker-compose.yml)
  deploy/docker-secrets.sh
  if [ "$build" = 1 ]; then
    echo "== build (the server image runs the unit tests; the nginx image builds the client)"
    "${dc[@]}" build migrate nginx || { echo "error: the image build failed; nothing was restarted" >&2; exit 1; }
  fi
  echo "== migrations (migrate service)"
  "${dc[@]}" run --rm migrate || { echo "error: the migrations failed; no node was restarted" >&2; exit 1; }
  # One node at a time: the others keep the sockets and ballots meanwhile; a node that does not
  # become healthy stops the reset with the remaining nodes still on the old image.
  for b in backend1 backend2 backend3; do
    echo "== restarting $b"
    "${dc[@]}" up -d --no-deps --no-build --force-recreate "$b"
    id=$("${dc[@]}" ps -q "$b")
    deadline=$((SECONDS + ${TB_RESET_NODE_TIMEOUT:-120}))
    until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null)" = healthy ]; do
      if [ $SECONDS -ge $deadline ]; then
        echo "error: $b is not healthy after ${TB_RESET_NODE_TIMEOUT:-120}s; stopped here ('${dc[*]} logs $b')" >&2
        exit 1
      fi
      sleep 2
    done
    # nginx resolved the node's name at start: a reload picks up the new container's address.
    "${dc[@]}" exec -T nginx nginx -s reload
  done
  echo "== restarting nginx (new client build)"
  "${dc[@]}" up -d --no-deps --no-build nginx
fi
echo "reset done in $((SECONDS - T0))s"
