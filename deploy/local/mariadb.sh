# The MariaDB instances of the local stack: a master and one GTID replica per port in
# TB_REPLICA_PORTS, as local processes. Sourced by deploy/local/stack.sh after its settings and
# helpers (ROOT, S, TB_MASTER_PORT, TB_REPLICA_PORTS, TB_TIMEOUT, DB_NAME, DB_USER, DB_MIGRATE_USER,
# REPL_USER, say, die, wait_for, pid_alive, require_free_port); not a command of its own.
#
# Every SQL statement sent here comes from server/src/db/ through the replication-sql CLI.
[ "${BASH_SOURCE[0]}" != "$0" ] || { echo "deploy/local/mariadb.sh is sourced by stack.sh; run that" >&2; exit 2; }

# The MariaDB instances, master first (it must start first), and what each one is.
read -r -a REPLICA_PORTS <<<"${TB_REPLICA_PORTS//,/ }"
[ ${#REPLICA_PORTS[@]} -gt 0 ] || die "TB_REPLICA_PORTS names no port" "give at least one, e.g. TB_REPLICA_PORTS=3308"
for port in "${REPLICA_PORTS[@]}"; do
  [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] ||
    die "TB_REPLICA_PORTS has '$port', which is not a port" "list ports, e.g. TB_REPLICA_PORTS=3308,3309"
done
DBS=(master) REPLICAS=()
declare -A DB_PORT=([master]=$TB_MASTER_PORT) DB_SERVER_ID=([master]=1)
for i in "${!REPLICA_PORTS[@]}"; do
  name=replica$((i + 1))
  REPLICAS+=("$name") DBS+=("$name")
  DB_PORT[$name]=${REPLICA_PORTS[$i]} DB_SERVER_ID[$name]=$((i + 2))
done
unset i name port
# Which instance is the master: `master` until an operator promotes a replica
# (deploy/local/operations.sh writes the name here). The others are its replicas; an old master
# marked `needs-rejoin` waits for `rejoin` before it replicates again.
MASTER_FILE_ROLE=$S/mariadb/current-master
MASTER_NAME=master
if [ -f "$MASTER_FILE_ROLE" ]; then
  MASTER_NAME=$(cat "$MASTER_FILE_ROLE")
  [ -n "${DB_PORT[$MASTER_NAME]+x}" ] ||
    die "$MASTER_FILE_ROLE names '$MASTER_NAME', which is not an instance of this stack" \
      "write the name of the instance that is the master (master, replica1, …) into it"
fi
DBS=("$MASTER_NAME") REPLICAS=()
for name in master "${!DB_PORT[@]}"; do
  [ "$name" = "$MASTER_NAME" ] || [[ " ${REPLICAS[*]-} " == *" $name "* ]] || REPLICAS+=("$name")
done
# Replicas in name order (replica1, replica2, …, then master once it rejoined).
mapfile -t REPLICAS < <(printf '%s\n' "${REPLICAS[@]}" | sort -V)
DBS+=("${REPLICAS[@]}")
MASTER_PORT=${DB_PORT[$MASTER_NAME]}
unset name
# The replicas that serve reads, in name order: every instance but the master and an old master
# that waits for `rejoin` (its marker). Computed on each call: promote and rejoin change it.
serving_replicas() {
  local name
  for name in $(printf '%s\n' "${!DB_PORT[@]}" | sort -V); do
    [ "$name" != "$MASTER_NAME" ] && [ ! -f "$S/mariadb/$name/needs-rejoin" ] && echo "$name"
  done
  return 0
}
# What the nodes get as DB_REPLICAS: host:port list, as server/src/config.ts reads it.
replica_addresses() {
  local name
  for name in $(serving_replicas); do printf '127.0.0.1:%s\n' "${DB_PORT[$name]}"; done | paste -sd,
}

# ---------------------------------------------------------------- names and access

db_port() { echo "${DB_PORT[$1]}"; }
# The variable that sets an instance's port, for "choose another port" advice.
db_port_var() { if [ "$1" = master ]; then echo TB_MASTER_PORT; else echo TB_REPLICA_PORTS; fi; }
db_dir() { echo "$S/mariadb/$1"; }
# Instance folders under $S that TB_REPLICA_PORTS no longer names (the stack ran with more).
db_folders_not_in_list() {
  local dir
  for dir in "$S"/mariadb/*/; do
    [ -d "$dir" ] || continue
    dir=$(basename "$dir")
    [ -n "${DB_PORT[$dir]+x}" ] || echo "$dir"
  done
}
db_sock() { echo "$S/mariadb/$1/mariadb.sock"; }
# Root, through the instance's own socket (root has socket authentication only).
dbq() {
  local name=$1
  shift
  mariadb --no-defaults --protocol=socket --socket="$(db_sock "$name")" -uroot -N -B "$@"
}

db_running() { pid_alive "$(db_dir "$1")/mariadbd.pid"; }

# `sql_for WHAT [ARGS]`: SQL from server/src/db/, the same code the unit tests, the nodes and the
# MySQL init scripts use (server/src/cli/replication-sql.ts lists the modes).
sql_for() {
  local what=$1
  shift
  if [ -f "$ROOT/server/dist/cli/replication-sql.js" ]; then
    node "$ROOT/server/dist/cli/replication-sql.js" --flavor mariadb --what "$what" "$@"
  else
    "$ROOT/node_modules/.bin/tsx" "$ROOT/server/src/cli/replication-sql.ts" --flavor mariadb --what "$what" "$@"
  fi
}

# ---------------------------------------------------------------- up

db_write_config() {
  local name=$1 role='read_only = OFF'
  [ "$name" = "$MASTER_NAME" ] || role=$'read_only = ON\nskip_slave_start = OFF'
  [[ $TB_BINLOG_EXPIRE_SECONDS =~ ^[0-9]+$ ]] && [ "$TB_BINLOG_EXPIRE_SECONDS" -ge 1 ] ||
    die "TB_BINLOG_EXPIRE_SECONDS is '$TB_BINLOG_EXPIRE_SECONDS', not a number of seconds" \
      "set it to seconds, e.g. TB_BINLOG_EXPIRE_SECONDS=86400 (one day, the default)"
  mkdir -p "$(db_dir "$name")"
  TB_DB_DIR=$(db_dir "$name") TB_DB_PORT=$(db_port "$name") TB_DB_SERVER_ID=${DB_SERVER_ID[$name]} \
    TB_DB_ROLE_OPTIONS=$role TB_BINLOG_EXPIRE_SECONDS=$TB_BINLOG_EXPIRE_SECONDS \
    envsubst '${TB_DB_DIR} ${TB_DB_PORT} ${TB_DB_SERVER_ID} ${TB_DB_ROLE_OPTIONS} ${TB_BINLOG_EXPIRE_SECONDS}' \
    <"$ROOT/deploy/local/mariadb.cnf.template" >"$(db_dir "$name")/my.cnf"
}

db_install() {
  local name=$1 dir
  dir=$(db_dir "$name")
  local attempt
  for attempt in 1 2; do
    if mariadb-install-db --defaults-file="$dir/my.cnf" --user=root --skip-test-db --skip-name-resolve \
      --auth-root-authentication-method=socket >"$dir/install.log" 2>&1; then
      return 0
    fi
    # A half-written data folder from a failed first attempt is worthless: start it over once.
    [ "$attempt" = 1 ] && { cp "$dir/install.log" "$dir/install.1.log"; rm -rf "$dir/data"; }
  done
  # The log ends with the tool's boilerplate (where to report bugs); the server's own [ERROR]
  # lines above it are what says why.
  die "mariadb-install-db failed for $name (log: $dir/install.log):
$( (grep -E '\[ERROR\]|ERROR' "$dir/install.log" || tail -n 8 "$dir/install.log") | tail -n 12)" \
    "read the log; if the data folder is damaged, remove $dir/data and run up again (data is lost)"
}

db_start() {
  local name=$1 dir
  dir=$(db_dir "$name")
  setsid mariadbd --defaults-file="$dir/my.cnf" </dev/null >>"$dir/mariadbd.out" 2>&1 &
}

db_up() {
  local name to_install=() to_start=() pids=()
  for name in "${DBS[@]}"; do
    db_running "$name" && continue
    require_free_port "$(db_port "$name")" "MariaDB $name" "$(db_port_var "$name")"
    db_write_config "$name"
    [ -d "$(db_dir "$name")/data/mysql" ] || to_install+=("$name")
    to_start+=("$name")
  done
  if [ ${#to_install[@]} -gt 0 ]; then
    say "initialising MariaDB data folders: ${to_install[*]}"
    for name in "${to_install[@]}"; do
      db_install "$name" &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || exit 1; done
  fi
  # Master first: replicas started before it would wait MASTER_CONNECT_RETRY to reconnect.
  for name in "${DBS[@]}"; do
    [[ " ${to_start[*]-} " == *" $name "* ]] || continue
    say "starting MariaDB $name on port $(db_port "$name")"
    db_start "$name"
    if [ "$name" = "$MASTER_NAME" ]; then db_wait "$name"; fi
  done
  for name in "${to_start[@]}"; do db_wait "$name"; done
}

# Root can log in through the socket: the client connects, has no statement to run, exits 0.
db_answers() { dbq "$1" </dev/null; }

db_wait() {
  local name=$1
  wait_for "$TB_TIMEOUT" "MariaDB $name" db_answers "$name" ||
    die "MariaDB $name did not accept connections within ${TB_TIMEOUT}s" \
      "see $(db_dir "$name")/error.log"
}

# The database and the accounts on EVERY instance, with the binlog off (the script says so
# first): no password reaches a binlog, so none replicates, and each instance creates its own.
db_setup_accounts() {
  local name sql
  say "applying database accounts on every instance ($DB_USER: app, $DB_MIGRATE_USER: migrations, $REPL_USER: replication; binlog off)"
  sql=$(REPL_PASSWORD=$REPL_PASSWORD DB_PASSWORD=$DB_PASSWORD DB_MIGRATE_PASSWORD=$DB_MIGRATE_PASSWORD \
    sql_for users --database "$DB_NAME" --app-user "$DB_USER" --app-host 127.0.0.1 \
    --migrate-user "$DB_MIGRATE_USER" --repl-user "$REPL_USER" --repl-host 127.0.0.1) ||
    die "the replication SQL CLI failed" "run: npm run build"
  for name in "${DBS[@]}"; do
    dbq "$name" <<<"$sql" ||
      die "creating the database accounts on $name failed" "see $(db_dir "$name")/error.log"
  done
}

# Points every replica that is not yet a replica at the master, then waits until each has applied
# the master's whole binlog (accounts and schema included) before nodes start reading from it.
db_setup_replication() {
  local name status_sql status setup_sql=''
  status_sql=$(sql_for replica-status) || die "the replication SQL CLI failed" "run: npm run build"
  for name in "${REPLICAS[@]}"; do
    status=$(dbq "$name" <<<"$status_sql") ||
      die "reading the replication status of $name failed" "see $(db_dir "$name")/error.log"
    [ -z "$status" ] || continue # already pointed at the master: its position is kept
    if [ -f "$(db_dir "$name")/needs-rejoin" ]; then
      warn "$name was the master before a failover: it stays out of replication until: $0 rejoin"
      continue
    fi
    say "pointing $name at the master (GTID, slave_pos)"
    # The same statements for every replica, so generated once (the password stays off argv).
    if [ -z "$setup_sql" ]; then
      setup_sql=$(REPL_PASSWORD=$REPL_PASSWORD sql_for replica --source-host 127.0.0.1 \
        --source-port "$MASTER_PORT" --repl-user "$REPL_USER" --connect-retry 1) ||
        die "the replication SQL CLI failed" "run: npm run build"
    fi
    dbq "$name" <<<"$setup_sql" ||
      die "configuring replication on $name failed" "see $(db_dir "$name")/error.log"
  done
  local pos wait_sql r
  pos=$(sql_for master-position | dbq "$MASTER_NAME") ||
    die "reading the master's GTID position failed" "see $(db_dir "$MASTER_NAME")/error.log"
  wait_sql=$(sql_for wait-gtid --gtid "$pos" --timeout "$TB_TIMEOUT") ||
    die "the replication SQL CLI failed" "run: npm run build"
  for name in "${REPLICAS[@]}"; do
    [ -f "$(db_dir "$name")/needs-rejoin" ] && continue
    r=$(dbq "$name" <<<"$wait_sql") || r=error
    [ "$r" = 0 ] || die "$name did not catch up with the master within ${TB_TIMEOUT}s" \
      "check replication: mariadb --no-defaults -S $(db_sock "$name") -e 'SHOW SLAVE STATUS\\G'"
  done
}

# ---------------------------------------------------------------- status

# One status row per MariaDB instance in the list. Reading the status never fails the command:
# an instance that does not answer shows as such.
db_status_rows() {
  local fmt=$1 name pid health status_sql=''
  for name in "${DBS[@]}"; do
    pid=- health=down
    if db_running "$name"; then
      pid=$(cat "$(db_dir "$name")/mariadbd.pid")
      if [ "$name" = "$MASTER_NAME" ]; then
        health="master, gtid $(sql_for master-position 2>/dev/null | dbq "$name" 2>/dev/null || echo '?')"
      else
        # Generated once for all replicas: each CLI run costs a node start.
        [ -n "$status_sql" ] || status_sql=$(sql_for replica-status 2>/dev/null) || status_sql=''
        health=$(replica_health "$name" "$status_sql")
        [ -f "$(db_dir "$name")/needs-rejoin" ] && health="old master, needs rejoin ($health)"
      fi
    fi
    # shellcheck disable=SC2059
    printf "$fmt" "$name" "$(db_port "$name")" "$pid" "$health"
  done
}

# "replicating, lag Ns" while both replication threads run; build.sh and operators read this.
replica_health() {
  local name=$1 status_sql=$2
  [ -n "$status_sql" ] || { echo 'up, status unknown (replication-sql failed)'; return 0; }
  { dbq "$name" --column-names --vertical <<<"$status_sql" 2>/dev/null || true; } | awk -F': ' '
    /Slave_IO_Running:/ {io=$2} /Slave_SQL_Running:/ {sql=$2} /Seconds_Behind_Master:/ {lag=$2}
    END { if (io == "") print "up, not replicating";
          else if (io == "Yes" && sql == "Yes") print "replicating, lag " lag "s";
          else print "up, replication io=" io " sql=" sql }'
}
