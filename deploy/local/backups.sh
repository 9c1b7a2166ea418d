# Backups of the local stack and copies made from them (docs/operations.md): a consistent dump
# from a replica with its GTID position, a fresh stack restored from one, and one instance rebuilt
# from a copy of a replicating replica. Sourced by deploy/local/stack.sh after operations.sh
# (replicating, wait_replicating, slave_field, signal_nodes); not a command of its own.
[ "${BASH_SOURCE[0]}" != "$0" ] || { echo "deploy/local/backups.sh is sourced by stack.sh; run that" >&2; exit 2; }

# ---------------------------------------------------------------- backup and restore

# The GTID position a `mariadb-dump --master-data=2 --gtid` on stdin was taken at (a comment
# near its end: "-- SET GLOBAL gtid_slave_pos='0-1-42';").
dump_gtid() { sed -n "s/^-- SET GLOBAL gtid_slave_pos='\([^']*\)'.*/\1/p" | tail -n 1; }

# mariadb-dump's options for a consistent snapshot of instance $1 with its GTID position as a
# comment: from a replica, where it stands in the master's history (`--dump-slave`: its SQL thread
# pauses for the snapshot's first moment, then resumes); from the master, its own binlog position.
dump_options() {
  local pos=--master-data=2
  [ "$1" = "$MASTER_NAME" ] || pos=--dump-slave=2
  echo "--single-transaction $pos --gtid --quick --routines --triggers"
}

# A consistent dump of the app's database from a replicating replica (the master if none is),
# with the GTID position in the master's history it corresponds to, gzipped, owner-only.
cmd_backup() {
  local dir=$1 src='' name t0=$SECONDS
  for name in "${REPLICAS[@]}"; do
    [ -f "$(db_dir "$name")/needs-rejoin" ] && continue
    db_running "$name" || continue
    replicating "$name" && src=$name && break
  done
  if [ -z "$src" ]; then
    warn "no replica is replicating: backing up the master itself"
    src=$MASTER_NAME
  fi
  db_running "$src" || die "MariaDB $src is not running" "run: $0 up"
  mkdir -p "$dir"
  local file
  file=$(cd "$dir" && pwd)/tallyboard-$(date -u +%Y%m%dT%H%M%SZ).sql.gz
  say "backing up $DB_NAME from $src into $file"
  # --single-transaction: one consistent snapshot, no table locks; --master-data=2 --gtid: the
  # snapshot's GTID position as a comment (a brief global read lock takes it).
  (
    umask 077
    set -o pipefail
    # shellcheck disable=SC2046 # the options are words
    mariadb-dump --no-defaults --protocol=socket --socket="$(db_sock "$src")" -uroot \
      $(dump_options "$src") --databases "$DB_NAME" 2>"$S/backup.err" | gzip -c >"$file"
  ) || die "mariadb-dump failed: $(tail -n 3 "$S/backup.err")" \
    "see $S/backup.err; if $src's replication stayed stopped: START SLAVE on it (docs/operations.md)"
  local gtid
  # mariadb-dump writes the position at the END of the dump (after the data it belongs to).
  gtid=$(gzip -dc "$file" | dump_gtid)
  printf 'file=%s\nsource=%s\ngtid=%s\ntaken_at=%s\n' "$(basename "$file")" "$src" "$gtid" \
    "$(date -u +%FT%TZ)" >"$file.info"
  chmod 600 "$file.info"
  say "${G}backup done${N} ($((SECONDS - t0))s, $(du -h "$file" | cut -f1)): GTID position '$gtid'"
  echo "$file"
}

# Loads a dump into a stack with no data yet (a fresh TB_STACK_DIR): the master imports it, the
# replicas replicate the import (so they are rebuilt from it), then migrations, nodes and nginx.
cmd_restore() {
  local file=$1 name t0=$SECONDS
  [ -n "$file" ] && [ -r "$file" ] || die "restore needs a readable backup file" "e.g. $0 restore backups/tallyboard-….sql.gz"
  case $file in *.gz) gzip -t "$file" || die "$file is not a complete gzip file" "use another backup" ;; esac
  for name in "${DBS[@]}" $(db_folders_not_in_list); do
    [ -d "$(db_dir "$name")/data/mysql" ] &&
      die "this stack ($S) already has data ($name)" \
        "restore into a fresh folder: TB_STACK_DIR=/new/folder $0 restore $file (then switch to it), or stop this one and move $S away first"
  done
  data_tier_up
  say "loading $file into the master ($MASTER_NAME); the replicas replicate it"
  { if [[ $file == *.gz ]]; then gzip -dc "$file"; else cat "$file"; fi; } | dbq "$MASTER_NAME" ||
    die "loading the backup failed" "see $(db_dir "$MASTER_NAME")/error.log; remove $S and retry"
  db_setup_replication # waits until every replica applied the import
  migrate
  nodes_up
  nginx_up
  say "${G}restored${N} from $file ($((SECONDS - t0))s); the backup was at GTID '$(sed -n 's/^gtid=//p' "$file.info" 2>/dev/null)'"
}

# ---------------------------------------------------------------- rebuild one replica

# Rebuilds instance NAME from scratch as a replica of the current master: an old master gone for
# good (or one the new master refuses at rejoin), or a replica further behind than the binlog
# expiry. Its data folder is DELETED; the data comes from a consistent dump of a replicating
# replica (the master if none), loaded with the binlog off, and replication starts at the
# dump's GTID position.
cmd_rebuild() {
  local name=$1 src='' n t0=$SECONDS
  [ -n "$name" ] || die "rebuild needs the instance to rebuild" "e.g. $0 rebuild master"
  db_known "$name"
  [ "$name" != "$MASTER_NAME" ] || die "$name is the master: it cannot be rebuilt as a replica" \
    "promote another instance first ($0 promote …)"
  for n in "${REPLICAS[@]}"; do
    [ "$n" = "$name" ] || [ -f "$(db_dir "$n")/needs-rejoin" ] || ! db_running "$n" && continue
    replicating "$n" && src=$n && break
  done
  src=${src:-$MASTER_NAME}
  if db_running "$name"; then
    say "stopping MariaDB $name"
    local p
    p=$(cat "$(db_dir "$name")/mariadbd.pid")
    kill "$p" 2>/dev/null || true
    wait_for "$TB_TIMEOUT" "$name to stop" bash -c "! kill -0 $p 2>/dev/null || grep -q '^[0-9]* (.*) Z' /proc/$p/stat" ||
      die "$name did not stop within ${TB_TIMEOUT}s" "kill -9 $p, then run this again"
  fi
  say "deleting $name's data and installing it afresh"
  rm -rf "$(db_dir "$name")/data" "$(db_dir "$name")/needs-rejoin"
  db_write_config "$name"
  db_install "$name"
  db_start "$name"
  db_wait "$name"
  local sql
  sql=$(REPL_PASSWORD=$REPL_PASSWORD DB_PASSWORD=$DB_PASSWORD DB_MIGRATE_PASSWORD=$DB_MIGRATE_PASSWORD \
    sql_for users --database "$DB_NAME" --app-user "$DB_USER" --app-host 127.0.0.1 \
    --migrate-user "$DB_MIGRATE_USER" --repl-user "$REPL_USER" --repl-host 127.0.0.1)
  dbq "$name" <<<"$sql" || die "creating the accounts on $name failed" "see $(db_dir "$name")/error.log"
  say "copying $DB_NAME from $src into $name (one consistent snapshot, binlog off)"
  local dump=$S/rebuild-$name.sql
  (
    umask 077
    # shellcheck disable=SC2046 # the options are words
    mariadb-dump --no-defaults --protocol=socket --socket="$(db_sock "$src")" -uroot \
      $(dump_options "$src") --databases "$DB_NAME" >"$dump" 2>"$S/rebuild.err"
  ) || die "mariadb-dump from $src failed: $(tail -n 3 "$S/rebuild.err")" "see $S/rebuild.err"
  local gtid
  gtid=$(dump_gtid <"$dump")
  { sql_for unlogged && cat "$dump"; } | dbq "$name" ||
    { rm -f "$dump"; die "loading the copy into $name failed" "see $(db_dir "$name")/error.log"; }
  rm -f "$dump"
  say "$name replicates from $MASTER_NAME starting at '$gtid'"
  { [ -z "$gtid" ] || sql_for replica-position --gtid "$gtid"; } | dbq "$name"
  REPL_PASSWORD=$REPL_PASSWORD sql_for replica --source-host 127.0.0.1 --source-port "$MASTER_PORT" \
    --repl-user "$REPL_USER" --connect-retry 1 | dbq "$name" ||
    die "pointing $name at $MASTER_NAME failed" "see $(db_dir "$name")/error.log"
  wait_replicating "$name"
  local pos r
  pos=$(sql_for master-position | dbq "$MASTER_NAME")
  r=$(sql_for wait-gtid --gtid "$pos" --timeout "$TB_TIMEOUT" | dbq "$name") || r=error
  [ "$r" = 0 ] || die "$name did not catch up with $MASTER_NAME within ${TB_TIMEOUT}s: $(slave_field "$name" Last_SQL_Error)" \
    "see $(db_dir "$name")/error.log"
  write_topology
  signal_nodes
  say "${G}$name rebuilt${N} as a replica of $MASTER_NAME ($((SECONDS - t0))s); it serves reads"
}
