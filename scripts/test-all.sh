#!/usr/bin/env bash
# Every test, in the order that fails fastest: format, lint, types, unit, then the integration
# and browser suites, which start their own stack (MariaDB master + 2 replicas, Redis, 3 nodes,
# nginx) on free ports under /tmp and remove it afterwards. This is what `npm test` and CI run.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

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
npx jest --selectProjects integration --runInBand
step "browser tests (headless Chromium against the real stack)"
npx jest --selectProjects e2e --runInBand
step "all tests passed"
