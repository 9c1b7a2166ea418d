#!/bin/sh
# Renders nginx.conf.template to stdout, for the local stack and the Docker image alike.
# Input (environment): TB_UPSTREAMS="host:port host:port …", TB_NGINX_LISTEN, TB_CLIENT_LISTEN,
# TB_CLIENT_ROOT, TB_NGINX_RUNTIME_DIR, TB_NGINX_ERROR_LOG, TB_NGINX_ACCESS_LOG, TB_NGINX_USER,
# TB_BOARD_FRAME_ANCESTORS (who may frame /board/…: a CSP source list, default 'none');
# optional HTTPS: TB_TLS_LISTEN (a port) with TB_TLS_CERT and TB_TLS_KEY (PEM files).
# Capacity: TB_NGINX_WORKERS (default the larger of 8 and the core count), TB_NGINX_NOFILE
# (descriptors per worker, default 20000), TB_NGINX_WORKER_CONNECTIONS (default NOFILE - 1000),
# TB_NGINX_BACKLOG (4096), TB_NGINX_UPSTREAM_SOURCES ("127.0.0.1 127.0.0.2 …": source addresses
# for the connections to the nodes' socket path; default none, the system's choice).
# TB_NGINX_RESOLVER ("ADDRESS [valid=5s]", default none): a DNS server nginx asks itself, every
# `valid` seconds, for the addresses of each TB_UPSTREAMS name (`server … resolve`, nginx 1.27.3
# or later): one name of a Kubernetes headless Service becomes every ready node pod, followed as
# pods come and go. Without it names are resolved once, at start (local stack, Docker).
# Only these names are substituted, so nginx's own $variables pass through untouched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${TB_UPSTREAMS:?TB_UPSTREAMS must list the nodes as host:port}"
: "${TB_NGINX_LISTEN:=8080}"
: "${TB_CLIENT_LISTEN:=5173}"
: "${TB_CLIENT_ROOT:?TB_CLIENT_ROOT must name the built client folder}"
: "${TB_NGINX_RUNTIME_DIR:?TB_NGINX_RUNTIME_DIR must name a writable folder}"
: "${TB_NGINX_ERROR_LOG:=$TB_NGINX_RUNTIME_DIR/logs/error.log}"
: "${TB_NGINX_ACCESS_LOG:=$TB_NGINX_RUNTIME_DIR/logs/access.log}"
: "${TB_NGINX_USER:=root}"
[ -n "${TB_BOARD_FRAME_ANCESTORS:-}" ] || TB_BOARD_FRAME_ANCESTORS="'none'"
case $TB_BOARD_FRAME_ANCESTORS in
  *[\"\;\{\}\$]*)
    echo "TB_BOARD_FRAME_ANCESTORS must be a CSP source list such as 'self' https://slides.example" >&2
    exit 1
    ;;
esac
# X-Frame-Options cannot list origins: DENY or SAMEORIGIN where it can say the same, else absent.
case $TB_BOARD_FRAME_ANCESTORS in
  "'none'") TB_BOARD_X_FRAME_OPTIONS=DENY ;;
  "'self'") TB_BOARD_X_FRAME_OPTIONS=SAMEORIGIN ;;
  *) TB_BOARD_X_FRAME_OPTIONS= ;;
esac
cores=$(nproc 2>/dev/null || echo 1)
: "${TB_NGINX_WORKERS:=$((cores > 8 ? cores : 8))}"
: "${TB_NGINX_NOFILE:=20000}"
: "${TB_NGINX_WORKER_CONNECTIONS:=$((TB_NGINX_NOFILE > 2000 ? TB_NGINX_NOFILE - 1000 : TB_NGINX_NOFILE / 2))}"
: "${TB_NGINX_BACKLOG:=4096}"
for n in "$TB_NGINX_WORKERS" "$TB_NGINX_NOFILE" "$TB_NGINX_WORKER_CONNECTIONS" "$TB_NGINX_BACKLOG"; do
  case $n in '' | *[!0-9]*)
    echo "TB_NGINX_WORKERS, TB_NGINX_NOFILE, TB_NGINX_WORKER_CONNECTIONS and TB_NGINX_BACKLOG must be numbers" >&2
    exit 1
    ;;
  esac
done
# The nodes' socket path from several source addresses: a split by the client's cid (hashed, so
# one client keeps its source), the last one taking the remainder.
TB_UPSTREAM_SOURCE_MAP= TB_UPSTREAM_BIND=
set -- ${TB_NGINX_UPSTREAM_SOURCES:-}
if [ $# -gt 0 ]; then
  share=$((10000 / $#))
  TB_UPSTREAM_SOURCE_MAP=$(
    printf '  split_clients "$arg_cid" $tb_upstream_source {\n'
    i=0
    for a in "$@"; do
      case $a in *[!0-9.]* | '') echo "TB_NGINX_UPSTREAM_SOURCES must list IPv4 addresses" >&2 && exit 1 ;; esac
      i=$((i + 1))
      if [ "$i" -lt $# ]; then
        printf '    %d.%02d%% %s;\n' $((share / 100)) $((share % 100)) "$a"
      else
        printf '    * %s;\n' "$a"
      fi
    done
    printf '  }'
  ) || exit 1
  TB_UPSTREAM_BIND='      proxy_bind $tb_upstream_source;'
fi
# Passive health: two failures take a node out for 5 s.
TB_RESOLVER= resolve=
if [ -n "${TB_NGINX_RESOLVER:-}" ]; then
  case $TB_NGINX_RESOLVER in *[\;\{\}\$\"]*)
    echo "TB_NGINX_RESOLVER must be a resolver address and options, e.g. kube-dns.kube-system.svc.cluster.local valid=5s" >&2
    exit 1
    ;;
  esac
  TB_RESOLVER="  resolver ${TB_NGINX_RESOLVER};"
  resolve=' resolve'
fi
TB_UPSTREAM_SERVERS=$(for u in $TB_UPSTREAMS; do
  printf '    server %s max_fails=2 fail_timeout=5s%s;\n' "$u" "$resolve"
done)
TB_TLS_DIRECTIVES=
if [ -n "${TB_TLS_LISTEN:-}" ]; then
  : "${TB_TLS_CERT:?TB_TLS_CERT must name the certificate (PEM) for TB_TLS_LISTEN}"
  : "${TB_TLS_KEY:?TB_TLS_KEY must name the private key (PEM) for TB_TLS_LISTEN}"
  TB_TLS_DIRECTIVES=$(printf '    listen %s ssl;\n    ssl_certificate %s;\n    ssl_certificate_key %s;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_session_cache shared:tb_tls:1m;' \
    "$TB_TLS_LISTEN" "$TB_TLS_CERT" "$TB_TLS_KEY")
fi
export TB_RESOLVER TB_NGINX_WORKERS TB_NGINX_NOFILE TB_NGINX_WORKER_CONNECTIONS TB_NGINX_BACKLOG \
  TB_UPSTREAM_SOURCE_MAP TB_UPSTREAM_BIND TB_TLS_DIRECTIVES TB_UPSTREAM_SERVERS TB_NGINX_LISTEN TB_CLIENT_LISTEN TB_CLIENT_ROOT TB_NGINX_RUNTIME_DIR \
  TB_NGINX_ERROR_LOG TB_NGINX_ACCESS_LOG TB_NGINX_USER TB_BOARD_FRAME_ANCESTORS TB_BOARD_X_FRAME_OPTIONS
envsubst '${TB_RESOLVER} ${TB_NGINX_WORKERS} ${TB_NGINX_NOFILE} ${TB_NGINX_WORKER_CONNECTIONS} ${TB_NGINX_BACKLOG} ${TB_UPSTREAM_SOURCE_MAP} ${TB_UPSTREAM_BIND} ${TB_TLS_DIRECTIVES} ${TB_UPSTREAM_SERVERS} ${TB_NGINX_LISTEN} ${TB_CLIENT_LISTEN} ${TB_CLIENT_ROOT} ${TB_NGINX_RUNTIME_DIR} ${TB_NGINX_ERROR_LOG} ${TB_NGINX_ACCESS_LOG} ${TB_NGINX_USER} ${TB_BOARD_FRAME_ANCESTORS} ${TB_BOARD_X_FRAME_OPTIONS}' \
  <"${TB_NGINX_TEMPLATE:-$here/nginx.conf.template}"
