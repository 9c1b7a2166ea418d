#!/usr/bin/env bash
# Makes sure the system binaries the stack and its tests need are present: MariaDB, Redis (server
# and redis-cli), nginx, logrotate, openssl (self-signed certificates), Chromium (browser tests)
# and docker-compose (static check of the compose file). Installs the missing ones with apt-get
# when run as root on Debian/Ubuntu; otherwise prints the command.
# Usage: scripts/system-deps.sh [stack|test]   (test adds chromium and docker-compose)
set -euo pipefail

want=(mariadbd:mariadb-server mariadb-install-db:mariadb-server mariadb:mariadb-client
  redis-server:redis-server redis-cli:redis-tools nginx:nginx logrotate:logrotate openssl:openssl)
if [ "${1:-stack}" = test ]; then
  want+=(chromium:chromium docker-compose:docker-compose)
fi

missing=()
for pair in "${want[@]}"; do
  bin=${pair%%:*} pkg=${pair#*:}
  if ! command -v "$bin" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$bin" ] && ! [ -x "/usr/bin/$bin" ]; then
    [[ " ${missing[*]-} " == *" $pkg "* ]] || missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing missing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's nginx and mariadb packages start system services on install where systemd runs;
  # ours use their own ports and folders, so nothing else is needed here.
else
  echo "missing system packages: ${missing[*]}" >&2
  echo "install them with: sudo sh -c '$cmd'" >&2
  exit 1
fi
