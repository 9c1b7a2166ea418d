# Fills the generated SQL templates' password placeholders, SQL-escaped, from the environment.
# shellcheck shell=bash
tb_sql_escape() {
  local s=${1//\\/\\\\}
  printf '%s' "${s//\'/\\\'}"
}
tb_render() {
  shopt -u patsub_replacement 2>/dev/null || true # '&' in a password must stay literal
  local t db migrate repl
  t=$(cat "$1")
  db=$(tb_sql_escape "${DB_PASSWORD:?DB_PASSWORD is not set}")
  migrate=$(tb_sql_escape "${DB_MIGRATE_PASSWORD:?DB_MIGRATE_PASSWORD is not set}")
  repl=$(tb_sql_escape "${REPL_PASSWORD:?REPL_PASSWORD is not set}")
  t=${t//__DB_PASSWORD__/$db}
  t=${t//__DB_MIGRATE_PASSWORD__/$migrate}
  t=${t//__REPL_PASSWORD__/$repl}
  printf '%s\n' "$t"
}
