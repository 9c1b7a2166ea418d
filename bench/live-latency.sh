#!/usr/bin/env bash
# Raises the open-file limit to the hard limit (one descriptor per viewer socket), then runs the
# live latency benchmark with the given arguments (see bench/live-latency.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)"
exec npx tsx bench/live-latency.ts "$@"
