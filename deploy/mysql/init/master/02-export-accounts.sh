# Sourced (not executed: keep this file non-executable) by the mysql:8.4 entrypoint on the
# master's first start, after 01-accounts.sh: writes the three accounts as MySQL prints them
# (password HASHES, `SHOW CREATE USER` with print_identified_with_as_hex, and their grants) to
# the mysql-accounts volume. Each replica loads that file at its first start (init/replica), so
# no replica is given the application's or the migrator's password. The volume is mounted at
# /var/lib/mysql-files, a folder of the image owned by mysql, so this script (run as mysql) may
# write it.
# shellcheck shell=bash
tb_accounts=/var/lib/mysql-files/accounts.sql
{
  echo '-- Written by deploy/mysql/init/master/02-export-accounts.sh: hashes, no password.'
  echo 'SET SESSION sql_log_bin = 0;'
  echo 'CREATE DATABASE IF NOT EXISTS `tallyboard` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;'
  for tb_user in tallyboard tallyboard_migrate repl; do
    docker_process_sql -N -B --raw <<<"SET SESSION print_identified_with_as_hex = ON; SHOW CREATE USER '$tb_user'@'%';" |
      sed 's/^CREATE USER /CREATE USER IF NOT EXISTS /; s/$/;/'
    docker_process_sql -N -B --raw <<<"SHOW GRANTS FOR '$tb_user'@'%';" | sed 's/$/;/'
  done
  echo 'SET SESSION sql_log_bin = 1;'
} >"$tb_accounts.tmp"
mv "$tb_accounts.tmp" "$tb_accounts"
