#!/usr/bin/env bash
# Size-bounded log rotation for the local stack, with Debian's logrotate: the nodes' logs (pm2),
# nginx's access and error logs, each MariaDB instance's error log and Redis's log, all under
# $TB_STACK_DIR. A log that reaches TB_LOG_MAX_SIZE (default 50M) is rotated; TB_LOG_KEEP (default
# 5) rotated copies are kept, gzipped but the newest. Worst case on disk per log:
# (TB_LOG_KEEP + 1) × TB_LOG_MAX_SIZE plus what is written between two checks.
#
#   deploy/local/logrotate.sh            one pass (deploy/local/stack.sh rotate-logs)
#   deploy/local/logrotate.sh --every N  a pass every N seconds (pm2 runs it as tb-logrotate)
#
# pm2, MariaDB and Redis append to their files (O_APPEND), so they are rotated by copy and
# truncate; nginx reopens its files on USR1. Binlogs are not logs here: they expire by
# binlog_expire_logs_seconds (docs/security.md).
set -euo pipefail

S=${TB_STACK_DIR:?TB_STACK_DIR is not set}
size=${TB_LOG_MAX_SIZE:-50M}
keep=${TB_LOG_KEEP:-5}
[[ $size =~ ^[0-9]+[kMG]?$ ]] || { echo "TB_LOG_MAX_SIZE must look like 50M, 500k or 1G" >&2; exit 2; }
[[ $keep =~ ^[0-9]+$ ]] || { echo "TB_LOG_KEEP must be a number" >&2; exit 2; }
command -v logrotate >/dev/null 2>&1 || [ -x /usr/sbin/logrotate ] ||
  { echo "logrotate is not installed (apt-get install -y logrotate)" >&2; exit 1; }
PATH=$PATH:/usr/sbin

pass() {
  mkdir -p "$S/logrotate"
  local conf=$S/logrotate/logrotate.conf
  # logrotate refuses a config that others may write, and a log folder writable by a group that
  # is not root's: both are this user's own here.
  cat >"$conf.new" <<CONF
# Written by deploy/local/logrotate.sh on every pass; edit that script, not this file.
size $size
rotate $keep
missingok
notifempty
compress
delaycompress
$S/logs/*.log $S/mariadb/*/error.log $S/redis/redis.log {
  copytruncate
}
$S/nginx/logs/access.log $S/nginx/logs/error.log {
  sharedscripts
  postrotate
    [ -f "$S/nginx/nginx.pid" ] && kill -USR1 "\$(cat "$S/nginx/nginx.pid")" 2>/dev/null || true
  endscript
}
CONF
  chmod 0644 "$conf.new"
  mv "$conf.new" "$conf"
  logrotate --state "$S/logrotate/state" "$conf"
}

if [ "${1:-}" = --every ]; then
  every=${2:?--every takes seconds}
  while :; do
    pass || echo "log rotation pass failed; retrying in ${every}s" >&2
    sleep "$every"
  done
else
  pass
fi
