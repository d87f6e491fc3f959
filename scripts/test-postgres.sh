#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL server on 127.0.0.1 for the storage tests and print its
# SQLAlchemy URL. Installs Debian's postgresql package when missing. Idempotent.
#   DDKIT_PG_PORT (default 54329)   DDKIT_PG_DIR (default /tmp/ddkit-pg-$UID)
set -euo pipefail
port=${DDKIT_PG_PORT:-54329}
dir=${DDKIT_PG_DIR:-/tmp/ddkit-pg-$(id -u)}
url="postgresql+psycopg://ddkit@127.0.0.1:${port}/ddkit_test"
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "Installing Debian's postgresql package" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# PostgreSQL refuses to run as root: as root, the server runs as the 'postgres' user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_owner "$bindir/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off" start >/dev/null
fi
psql=( "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qAt )
"${psql[@]}" -c "select 1 from pg_roles where rolname='ddkit'" | grep -q 1 \
  || "${psql[@]}" -c "create role ddkit login createdb"
# The tests drop their databases "with (force)"; an autovacuum worker still on one can only be
# stopped by a member of pg_signal_backend.
"${psql[@]}" -c "grant pg_signal_backend to ddkit" 2>/dev/null || true
"${psql[@]}" -c "select 1 from pg_database where datname='ddkit_test'" | grep -q 1 \
  || "${psql[@]}" -c "create database ddkit_test owner ddkit"
echo "$url"
