# What an operator does to the local stack's databases besides up and down (docs/operations.md):
# start one instance, promote a replica to master, rejoin the old master as a replica; backups.sh
# (backup, restore, rebuild) builds on the helpers here. Sourced by deploy/local/stack.sh after
# mariadb.sh (MASTER_NAME, REPLICAS, DB_PORT, db_* helpers, sql_for); not a command of its own.
# Every SQL statement comes from server/src/db/replication.ts through the replication-sql CLI.
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

# Sends SIGHUP to every node: each re-reads $S/db-topology (server/src/db/topology.ts): the master
# it writes to and the replicas it reads from.
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
  write_topology
  say "telling the nodes (SIGHUP): new master 127.0.0.1:$MASTER_PORT, reads from: $(serving_replicas | paste -sd' ')"
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
  write_topology
  say "telling the nodes (SIGHUP): reads from: $(serving_replicas | paste -sd' ')"
  signal_nodes
  say "${G}$name is a replica again${N} ($((SECONDS - t0))s) and serves reads"
}
