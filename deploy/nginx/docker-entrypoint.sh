#!/bin/sh
# Renders the shared template with this container's values (TB_UPSTREAMS from compose), then
# runs nginx in the foreground.
set -eu
mkdir -p "$TB_NGINX_RUNTIME_DIR/tmp/client_body" "$TB_NGINX_RUNTIME_DIR/tmp/proxy" \
  "$TB_NGINX_RUNTIME_DIR/tmp/fastcgi" "$TB_NGINX_RUNTIME_DIR/tmp/uwsgi" "$TB_NGINX_RUNTIME_DIR/tmp/scgi"
sh /tb-nginx/render.sh >/etc/nginx/nginx.conf
nginx -t -q
exec nginx -g 'daemon off;'
