#!/usr/bin/env bash
# Raises the open-file limit to the hard limit (one descriptor per socket in each worker), then
# runs the capacity benchmark with the given arguments (see bench/capacity.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)"
exec npx tsx bench/capacity.ts "$@"
