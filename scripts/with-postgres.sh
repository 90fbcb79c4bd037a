#!/usr/bin/env bash
# Runs a command beside a private PostgreSQL 15 server, then stops the server (also on failure).
#
#   scripts/with-postgres.sh swift test --filter PostgresHubTests
#
# initdb makes a throwaway cluster under /tmp (as the postgres user when run as root, since the
# server refuses to run as root); pg_ctl starts it on a free port of 127.0.0.1 with trust
# authentication for local connections only. The command sees HUB_TEST_POSTGRES_URL, a
# superuser URL of the server's `postgres` database (tests create their own databases), and
# HUB_TEST_REQUIRE_POSTGRES=1, which makes the PostgreSQL tests fail instead of skipping when
# the URL does not answer.
set -euo pipefail

bindir=/usr/lib/postgresql/15/bin
if [ ! -x "$bindir/initdb" ]; then
    echo "PostgreSQL 15 is not installed ($bindir/initdb is missing); run scripts/install-deps.sh test" >&2
    exit 1
fi
folder=$(mktemp -d /tmp/essaouira-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
    as_postgres "$bindir/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$folder"
}
trap stop EXIT

if [ "$(id -u)" -eq 0 ]; then chown postgres "$folder"; fi
as_postgres "$bindir/initdb" -D "$folder/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$folder/initdb.log" 2>&1 ||
    { cat "$folder/initdb.log" >&2; exit 1; }
# fsync off: the tests kill hub processes, never this server's machine, so durability across an
# operating system crash is not what they check; it keeps a shared CI machine fast.
as_postgres "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
    -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
    { cat "$folder/server.log" >&2; exit 1; }
echo "PostgreSQL 15 listening on 127.0.0.1:$port (data in $folder)"

export HUB_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
export HUB_TEST_REQUIRE_POSTGRES=1
status=0
"$@" || status=$?
exit "$status"
