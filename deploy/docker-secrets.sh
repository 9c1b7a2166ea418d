#!/usr/bin/env bash
# Writes the Docker stack's secrets from .env into .secrets/, one file each, for Compose's
# `secrets:` (docker-compose.yml mounts them under /run/secrets; the containers read NAME_FILE).
# The folder is private (0700, yours); the files inside are 0644 because Compose (without Swarm)
# bind-mounts them with their host owner and mode, and the containers' users (node, mysql, redis)
# are not you. Re-run after changing a secret in .env; `./build.sh --docker` and `./reset.sh` do.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f .env ] || { echo "error: .env is missing: run ./build.sh once to create it" >&2; exit 1; }
value() { sed -n "s/^$1=//p" .env | tail -1 | sed 's/^"\(.*\)"$/\1/'; }
umask 077
mkdir -p .secrets
chmod 700 .secrets
put() { # put FILE VALUE
  [ -n "$2" ] || { echo "error: $1 has no value in .env" >&2; exit 1; }
  printf '%s' "$2" >".secrets/$1.tmp"
  chmod 644 ".secrets/$1.tmp"
  mv ".secrets/$1.tmp" ".secrets/$1"
}
put mysql_root_password "$(value MYSQL_ROOT_PASSWORD)"
put db_password "$(value DB_PASSWORD)"
put db_migrate_password "$(value DB_MIGRATE_PASSWORD)"
put repl_password "$(value REPL_PASSWORD)"
put session_secret "$(value SESSION_SECRET)"
put admin_password "$(value ADMIN_PASSWORD)"
redis=$(value REDIS_PASSWORD)
put redis_password "$redis"
# Generated secrets are hex, so the password needs no escaping in the URL.
put redis_url "redis://:${redis}@redis:6379"
