# Sourced (not executed: keep this file non-executable) by the mysql:8.4 entrypoint on a
# replica's first start, before 02-source.sh: the database and the app, migrator and replication
# accounts, created here with the binlog off because account statements never replicate (no
# password reaches a binlog). The same generated SQL as the master's.
# shellcheck shell=bash
. /tb-mysql/render.sh
tb_render /tb-mysql/master-users.sql.template | docker_process_sql
