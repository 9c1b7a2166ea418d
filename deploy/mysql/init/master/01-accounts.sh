# Sourced (not executed: keep this file non-executable) by the mysql:8.4 entrypoint on the
# master's first start: creates the database, the app, migrator and replication accounts from
# the SQL generated out of server/src/db/replication.ts, with the passwords from .env. The script
# turns the binlog off first: every replica runs the same file itself (init/replica).
# shellcheck shell=bash
. /tb-mysql/render.sh
tb_render /tb-mysql/master-users.sql.template | docker_process_sql
# Replication only over TLS (the replicas' CHANGE REPLICATION SOURCE says SOURCE_SSL=1): a replica
# that tries in clear text is refused. The export (02-export-accounts.sh) carries it to replicas.
docker_process_sql <<<"SET SESSION sql_log_bin = 0; ALTER USER 'repl'@'%' REQUIRE SSL; SET SESSION sql_log_bin = 1;"
