# Sourced (not executed: keep this file non-executable) by the mysql:8.4 entrypoint on a
# replica's first start, last: from now on nobody writes here but replication, root included
# (super_read_only). Persisted (mysqld-auto.cnf in the data directory) rather than given on the
# command line, because the entrypoint's temporary server for these init scripts takes the
# command line too and must still create root and the accounts. Nothing else ran with the binlog
# on: the time-zone tables are skipped (MYSQL_INITDB_SKIP_TZINFO) and arrive from the master, and
# every account statement above ran with sql_log_bin = 0, so the replica holds no GTID of its own.
# shellcheck shell=bash
docker_process_sql <<<'SET PERSIST super_read_only = ON;'
