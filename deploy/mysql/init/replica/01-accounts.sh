# Sourced (not executed: keep this file non-executable) by the mysql:8.4 entrypoint on a
# replica's first start, before 02-source.sh: the database and the app, migrator and replication
# accounts, created here with the binlog off because account statements never replicate (no
# password reaches a binlog). The statements are the master's own export (its
# init/master/02-export-accounts.sh, on the mysql-accounts volume, read-only here): password
# hashes, so this container never holds the application's or the migrator's password.
# shellcheck shell=bash
if [ ! -s /tb-accounts/accounts.sql ]; then
  echo >&2 'init/replica: /tb-accounts/accounts.sql is missing: the master has not finished its first start'
  exit 1
fi
docker_process_sql </tb-accounts/accounts.sql
