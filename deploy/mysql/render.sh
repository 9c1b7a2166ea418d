# Fills the generated SQL templates' password placeholders, SQL-escaped, from the environment:
# each secret from NAME_FILE (a Compose secret under /run/secrets) or else NAME. Only the
# placeholders a template holds are needed, so a replica renders its source statement with the
# replication password alone.
# shellcheck shell=bash
tb_sql_escape() {
  local s=${1//\\/\\\\}
  printf '%s' "${s//\'/\\\'}"
}
# tb_secret NAME: the contents of the file NAME_FILE names (trailing newlines dropped), else $NAME.
tb_secret() {
  local file_var="${1}_FILE"
  if [ -n "${!file_var:-}" ]; then
    cat "${!file_var}" || return 1
  else
    printf '%s' "${!1:?$1 (or ${1}_FILE) is not set}"
  fi
}
tb_render() {
  shopt -u patsub_replacement 2>/dev/null || true # '&' in a password must stay literal
  local t name value
  t=$(cat "$1")
  for name in DB_PASSWORD DB_MIGRATE_PASSWORD REPL_PASSWORD; do
    [[ $t == *"__${name}__"* ]] || continue
    value=$(tb_secret "$name") || return 1
    value=$(tb_sql_escape "$value")
    t=${t//__${name}__/$value}
  done
  printf '%s\n' "$t"
}
