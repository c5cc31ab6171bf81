#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for the tests (no container runtime here).
#   tools/pg-throwaway.sh start DIR [PORT]  -> initdb in DIR, start on 127.0.0.1:PORT (default: a free one),
#                                             print the connection string on stdout
#   tools/pg-throwaway.sh stop DIR          -> fast shutdown, then DIR is deleted
# initdb refuses to run as root, so as root the cluster runs as the 'postgres' user.
set -euo pipefail
cmd="${1:?start|stop}"
dir="${2:?directory}"
bin=""
if ! command -v initdb >/dev/null 2>&1; then
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/"
fi
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    port="${3:-}"
    if [ -z "$port" ]; then
      port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)"
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; fi
    as_owner "${bin}initdb" -D "$dir/data" -A trust -U modelops -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_owner "${bin}pg_ctl" -D "$dir/data" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      -l "$dir/log" -w start >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=modelops;Database=postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "${bin}pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
