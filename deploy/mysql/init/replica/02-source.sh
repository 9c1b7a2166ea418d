# Sourced (not executed: keep this file non-executable) by the mysql:8.4 entrypoint on a
# replica's first start: points it at mysql-master by GTID auto-position and starts it, with
# the SQL generated out of server/src/db/replication.ts. Replication resumes on later starts.
# shellcheck shell=bash
. /tb-mysql/render.sh
tb_render /tb-mysql/replica-source.sql.template | docker_process_sql
