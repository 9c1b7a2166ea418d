# What an operator does to the local stack's databases besides up and down (docs/operations.md):
# start one instance, promote a replica to master, rejoin the old master as a replica, back up
# from a replica, restore into a fresh stack. Sourced by deploy/local/stack.sh after mariadb.sh
# (MASTER_NAME, REPLICAS, DB_PORT, db_* helpers, sql_for); not a command of its own. Every SQL
# statement comes from server/src/db/replication.ts through the replication-sql CLI.
[ "${BASH_SOURCE[0]}" != "$0" ] || { echo "deploy/local/operations.sh is sourced by stack.sh; run that" >&2; exit 2; }

# How long promote waits for a replica to apply what it received, or to reach a live master.
TB_PROMOTE_WAIT=${TB_PROMOTE_WAIT:-30}

# ---------------------------------------------------------------- helpers

db_known() {
  [ -n "${DB_PORT[$1]+x}" ] || die "no MariaDB instance named '$1' in this stack" "one of: ${DBS[*]}"
}

# The sequence number a GTID list reaches in domain 0 (the only one here): with gtid_strict_mode
# the difference between two instances' numbers is how many transactions one is behind.
gtid_seq() {
  local best=0 part parts=()
  IFS=, read -r -a parts <<<"$1"
  for part in "${parts[@]}"; do
    [[ $part =~ ^[[:space:]]*0-[0-9]+-([0-9]+) ]] || continue
    [ "${BASH_REMATCH[1]}" -gt "$best" ] && best=${BASH_REMATCH[1]}
  done
  echo "$best"
}

# `gtid_current NAME`: everything the instance has, logged or applied.
gtid_current() { sql_for gtid-positions | dbq "$1" | cut -f3; }
# `gtid_received NAME`: what a replica's IO thread fetched (applied or not), from SHOW SLAVE STATUS.
gtid_received() {
  sql_for replica-status | dbq "$1" --column-names --vertical 2>/dev/null |
    awk -F': ' '/Gtid_IO_Pos:/ {print $2}'
}
# `slave_field NAME FIELD`: one field of SHOW SLAVE STATUS (empty when not a replica).
slave_field() {
  sql_for replica-status | dbq "$1" --column-names --vertical 2>/dev/null |
    awk -F': ' -v f="$2" '$1 ~ "^ *" f "$" {print $2}'
}

# Sends SIGHUP to every node: each re-reads $S/master-address (server/src/db/master-link.ts).
# The pids come from one pm2 listing (a pm2 command per node would cost seconds of paused writes).
signal_nodes() {
  pm2_running || { warn "the nodes are not running: they read the new master when they start"; return 0; }
  local name status pid
  while read -r name status pid; do
    [[ $name == tb-node-* ]] || continue
    if [ "$status" = online ] && [ "${pid:-0}" != 0 ] && kill -HUP "$pid" 2>/dev/null; then continue; fi
    warn "could not signal $name ($status); it reads the master address when it starts"
  done < <(pm2_list)
}

# The GTID position a `mariadb-dump --master-data=2 --gtid` on stdin was taken at (a comment
# near its end: "-- SET GLOBAL gtid_slave_pos='0-1-42';").
dump_gtid() { sed -n "s/^-- SET GLOBAL gtid_slave_pos='\([^']*\)'.*/\1/p" | tail -n 1; }

# Both replication threads of NAME run, connected to the CURRENT master (after a forced failover
# a replica left behind may still follow the old one).
replicating() {
  [ "$(slave_field "$1" Slave_IO_Running)" = Yes ] && [ "$(slave_field "$1" Slave_SQL_Running)" = Yes ] &&
    [ "$(slave_field "$1" Master_Port)" = "$MASTER_PORT" ]
}

# Waits until NAME's IO thread is connected to its master; fails with its last error. The GTID
# wait alone cannot tell: an instance AHEAD of its master has "reached" every position it has.
wait_replicating() {
  local name=$1 err
  wait_for "$TB_TIMEOUT" "$name replicating" replicating "$name" && return 0
  err=$(slave_field "$name" Last_IO_Error)$(slave_field "$name" Last_SQL_Error)
  die "$name does not replicate from $MASTER_NAME${err:+: $err}" \
    "if it holds transactions $MASTER_NAME lacks (a forced failover), rebuild it: $0 rebuild $name"
}

node_writable() { curl -fsS --max-time 2 "http://127.0.0.1:$1/api/health" 2>/dev/null | grep -q '"writable":true'; }

wait_nodes_writable() {
  pm2_running || return 0
  local port
  for port in "${NODE_PORTS[@]}"; do
    wait_for "$TB_TIMEOUT" "node on $port writable" node_writable "$port" ||
      die "the node on port $port does not take writes ${TB_TIMEOUT}s after the switch" \
        "curl http://127.0.0.1:$port/api/health; see $S/logs/"
  done
}

# ---------------------------------------------------------------- one instance

# Starts one instance that is down (e.g. the master after a crash) and nothing else: no account,
# replication or migration step (a replica reconnects to its master by itself within a second).
cmd_start_db() {
  local name=$1 t0=$SECONDS
  [ -n "$name" ] || die "start-db needs an instance name" "e.g. $0 start-db master"
  db_known "$name"
  if db_running "$name"; then
    say "MariaDB $name is already running"
    return 0
  fi
  [ -d "$(db_dir "$name")/data/mysql" ] || die "$name has no data folder yet" "run: $0 up"
  require_free_port "$(db_port "$name")" "MariaDB $name" "$(db_port_var "$name")"
  db_write_config "$name"
  say "starting MariaDB $name on port $(db_port "$name")"
  db_start "$name"
  db_wait "$name"
  say "MariaDB $name answers ($((SECONDS - t0))s)"
}

# ---------------------------------------------------------------- promote

cmd_promote() {
  local target='' force=0 arg
  for arg in "$@"; do
    case $arg in
      --force) force=1 ;;
      -*) die "unknown option $arg" "usage: $0 promote replica1|replica2 [--force]" ;;
      *) target=$arg ;;
    esac
  done
  [ -n "$target" ] || die "promote needs the replica to promote" "e.g. $0 promote replica1"
  db_known "$target"
  local old=$MASTER_NAME t0=$SECONDS
  [ "$target" != "$old" ] || die "$target is already the master" "nothing to do"
  [ ! -f "$(db_dir "$target")/needs-rejoin" ] ||
    die "$target was the master before a failover and is not a replica yet" "run: $0 rejoin"
  db_running "$target" && db_answers "$target" ||
    die "$target is not running" "start it: $0 start-db $target"

  local old_up=0 behind=0 where='' promote_sql setup_sql pos_sql
  # Every statement is generated before writes pause: each generation costs a node start.
  promote_sql=$(sql_for promote) && pos_sql=$(sql_for master-position) && setup_sql=$(REPL_PASSWORD=$REPL_PASSWORD sql_for replica \
    --source-host 127.0.0.1 --source-port "${DB_PORT[$target]}" --repl-user "$REPL_USER" --connect-retry 1) ||
    die "the replication SQL CLI failed" "run: npm run build"
  db_running "$old" && db_answers "$old" && old_up=1
  if [ "$old_up" = 1 ]; then
    # Switchover: the master stops taking writes (the nodes answer 503 master_unavailable and the
    # clients retry), the target applies all of it, then takes over. Nothing committed is lost.
    say "the master ($old) answers: writes pause on it while $target catches up"
    sql_for read-only --on | dbq "$old" || die "could not make $old read-only" "see $(db_dir "$old")/error.log"
    local pos r
    pos=$(dbq "$old" <<<"$pos_sql")
    r=$(sql_for wait-gtid --gtid "$pos" --timeout "$TB_PROMOTE_WAIT" | dbq "$target") || r=error
    if [ "$r" != 0 ]; then
      local have
      have=$(gtid_current "$target")
      behind=$(($(gtid_seq "$pos") - $(gtid_seq "$have")))
      where="$target is at '$have', the master $old at '$pos'"
    fi
  else
    # Failover: the master is gone. Each replica first applies what it already received; the
    # target must then hold at least as much as every other replica.
    say "the master ($old) does not answer: failover to $target"
    local name io r have best=0 best_name=''
    for name in "${REPLICAS[@]}"; do
      [ -f "$(db_dir "$name")/needs-rejoin" ] && continue
      db_running "$name" && db_answers "$name" || continue
      io=$(gtid_received "$name")
      if [ -n "$io" ]; then
        r=$(sql_for wait-gtid --gtid "$io" --timeout "$TB_PROMOTE_WAIT" | dbq "$name") || r=error
        [ "$r" = 0 ] || warn "$name did not apply all it received ($io) within ${TB_PROMOTE_WAIT}s"
      fi
      have=$(gtid_current "$name")
      [ "$(gtid_seq "$have")" -gt "$best" ] && best=$(gtid_seq "$have") best_name="$name at '$have'"
    done
    have=$(gtid_current "$target")
    behind=$((best - $(gtid_seq "$have")))
    [ "$behind" -gt 0 ] && where="$target is at '$have', $best_name"
  fi
  if [ "$behind" -gt 0 ]; then
    if [ "$force" = 0 ]; then
      [ "$old_up" = 1 ] && sql_for read-only | dbq "$old" # writes go on where they were
      die "$target is behind by $behind transaction(s): $where" \
        "wait and retry, promote the replica that is ahead, or add --force (those $behind transaction(s) are then lost)"
    fi
    warn "promoting $target although it is behind by $behind transaction(s) (--force): $where"
  fi

  say "promoting $target to master"
  dbq "$target" <<<"$promote_sql" || die "promoting $target failed" "see $(db_dir "$target")/error.log"
  mkdir -p "$S/mariadb"
  echo "$target" >"$MASTER_FILE_ROLE.new" && mv "$MASTER_FILE_ROLE.new" "$MASTER_FILE_ROLE"
  touch "$(db_dir "$old")/needs-rejoin"
  MASTER_NAME=$target MASTER_PORT=${DB_PORT[$target]}
  # Each instance's next start keeps its new role (read_only on the old master).
  db_write_config "$target"
  db_write_config "$old"
  write_master_address
  say "telling the nodes (SIGHUP): new master 127.0.0.1:$MASTER_PORT"
  signal_nodes

  local name
  for name in "${REPLICAS[@]}"; do
    [ "$name" = "$target" ] || [ "$name" = "$old" ] || [ -f "$(db_dir "$name")/needs-rejoin" ] && continue
    if db_running "$name" && [ "$(gtid_seq "$(gtid_current "$name")")" -gt "$(gtid_seq "$(gtid_current "$target")")" ]; then
      warn "$name holds transactions $target lacks (--force): it cannot follow $target; rebuild it: $0 rebuild $name"
    elif db_running "$name"; then
      say "pointing $name at the new master $target"
      dbq "$name" <<<"$setup_sql" || warn "could not point $name at $target: see $(db_dir "$name")/error.log"
    else
      warn "$name is down: point it at $target once it runs ($0 up does, or see docs/operations.md)"
    fi
  done

  wait_nodes_writable
  say "${G}$target is the master${N} ($((SECONDS - t0))s); $old is out until: ./build.sh --rejoin"
}

# ---------------------------------------------------------------- rejoin

# The old master (marked needs-rejoin by promote) becomes a replica of the current master, from
# its own position. When it holds transactions the new master never got (a forced failover), the
# new master refuses it and it must be rebuilt from a backup instead.
cmd_rejoin() {
  local name='' n t0=$SECONDS
  for n in "${DBS[@]}"; do [ -f "$(db_dir "$n")/needs-rejoin" ] && name=$n; done
  [ -n "$name" ] || die "no instance waits to rejoin" "promote marks the old master; $0 status shows the roles"
  db_running "$name" || cmd_start_db "$name"
  say "$name rejoins as a replica of $MASTER_NAME (port $MASTER_PORT)"
  local own have
  own=$(gtid_current "$name")
  have=$(sql_for master-position | dbq "$MASTER_NAME")
  if [ "$(gtid_seq "$own")" -gt "$(gtid_seq "$have")" ]; then
    die "$name holds $(($(gtid_seq "$own") - $(gtid_seq "$have"))) transaction(s) $MASTER_NAME never got ($name at '$own', $MASTER_NAME at '$have'): it cannot rejoin" \
      "rebuild it from the current data (those transactions are dropped): $0 rebuild $name"
  fi
  REPL_PASSWORD=$REPL_PASSWORD sql_for rejoin --source-host 127.0.0.1 --source-port "$MASTER_PORT" \
    --repl-user "$REPL_USER" --connect-retry 1 ${own:+--gtid "$own"} | dbq "$name" ||
    die "configuring $name as a replica failed" "see $(db_dir "$name")/error.log"
  wait_replicating "$name"
  local pos r err
  pos=$(sql_for master-position | dbq "$MASTER_NAME")
  r=$(sql_for wait-gtid --gtid "$pos" --timeout "$TB_TIMEOUT" | dbq "$name") || r=error
  if [ "$r" != 0 ]; then
    err=$(slave_field "$name" Last_IO_Error)$(slave_field "$name" Last_SQL_Error)
    die "$name did not catch up with $MASTER_NAME within ${TB_TIMEOUT}s${err:+: $err}" \
      "if it holds transactions the new master lacks (a forced failover), rebuild it: docs/operations.md, 'A master gone for good'"
  fi
  rm -f "$(db_dir "$name")/needs-rejoin"
  say "${G}$name is a replica again${N} ($((SECONDS - t0))s); the nodes read from it after their next restart (./reset.sh)"
}

# ---------------------------------------------------------------- backup and restore

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
  ensure_binaries
  require_secrets
  mkdir -p "$S"
  redis_up
  db_up
  db_setup_accounts
  db_setup_replication
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
  say "${G}$name rebuilt${N} as a replica of $MASTER_NAME ($((SECONDS - t0))s)"
}
