# Sourced by the MariaDB image's entrypoint on an instance's first start (docker-entrypoint-initdb.d):
# runs the SQL the init container generated with the server image's cli/replication-sql.js
# (the accounts with the binlog off on every instance; on the replica also CHANGE MASTER TO and
# START SLAVE), then deletes it: it holds passwords.
# shellcheck shell=bash
for f in /tb-init/*.sql; do
  [ -f "$f" ] || continue
  docker_process_sql <"$f"
  rm -f "$f"
done
