#!/usr/bin/env bash
# Every test, in the order that fails fastest: format, lint, types, unit, then the integration
# and browser suites, which start their own stack (MariaDB master + 2 replicas, Redis, 3 nodes,
# nginx) on free ports under /tmp and remove it afterwards. This is what `npm test` and CI run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# The suites that start a stack get a hard time limit and --forceExit, so a stuck test or a
# leaked timer fails the run in minutes instead of holding CI until its own limit. If a suite is
# killed before its teardown ran, the stacks it started (folders newer than this marker) are
# stopped here, so no database, Redis or node outlives the run.
marker=$(mktemp "${TMPDIR:-/tmp}/tb-test-run.XXXXXX")
cleanup() {
  local dir
  for dir in "${TMPDIR:-/tmp}"/tb-stack-*; do
    [ -d "$dir" ] && [ "$dir" -nt "$marker" ] || continue
    echo "stopping a stack left behind in $dir" >&2
    TB_STACK_DIR=$dir TB_ENV_FILE=$dir/.env TB_TIMEOUT=10 deploy/local/stack.sh down >/dev/null 2>&1 || true
    rm -rf -- "$dir"
  done
  rm -f -- "$marker"
}
trap cleanup EXIT
stack_suite() { # stack_suite MINUTES PROJECT
  timeout --kill-after=30s "$1m" npx jest --selectProjects "$2" --runInBand --forceExit || {
    local rc=$?
    [ "$rc" -eq 124 ] && echo "the $2 tests did not finish within $1 minutes" >&2
    return "$rc"
  }
}

step "system packages"
scripts/system-deps.sh test

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

step "format"
npx prettier --check . --log-level warn
step "build shared"
npm run build -w shared --silent
step "lint"
npx eslint . --max-warnings=0
step "types"
npm run typecheck --silent
step "unit tests"
npx jest --selectProjects unit
step "build server and client"
npm run build --silent
step "integration tests (real MariaDB master + replicas, Redis, nginx, three nodes)"
stack_suite 20 integration
step "browser tests (headless Chromium against the real stack)"
stack_suite 15 e2e
step "fault drills (master down, rolling restart, replica lag, failover, backup/restore under load)"
stack_suite 25 drills
step "all tests passed"
