#!/usr/bin/env bash
# Times first pushes of N proposals per replica into a SQLite hub and into PostgreSQL hubs, with
# the built binaries on loopback. Run beside a private server:
#
#   scripts/with-postgres.sh scripts/hub-backends-push.sh [N] [debug|release]
#
# Cases: one replica into a SQLite hub; one replica into one PostgreSQL process; three replicas
# at once into one SQLite hub; three replicas at once into two PostgreSQL processes on one
# database. Prints one line per case: seconds of the slowest sync and changes per second.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-2000}"
configuration="${2:-debug}"
bin=".build/$configuration"
: "${HUB_TEST_POSTGRES_URL:?run this through scripts/with-postgres.sh}"
work=$(mktemp -d /tmp/hub-backends.XXXXXX)
cleanup() {
    # start_hub runs in a command substitution (a subshell): its servers' ids are kept in a file.
    if [ -f "$work/pids" ]; then while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$work/pids"; fi
    if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

make_csv() { # commune file
    python3 - "$1" "$2" "$count" <<'PY'
import csv, sys
commune, path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["title", "body", "category"])
    for i in range(count):
        writer.writerow([f"مقترح {commune} رقم {i}", f"Proposition {i} de {commune} : نص المقترح", "urbanisme"])
PY
}

start_hub() { # name database-options... ; prints the URL
    local name=$1
    shift
    "$bin/hub-server" serve "$@" --port 0 --rate-limit 1000000 --log-level "${HUB_LOG_LEVEL:-warning}" >"$work/$name.out" 2>"$work/$name.err" &
    echo $! >>"$work/pids"
    for _ in $(seq 1 200); do
        if grep -q "listening on" "$work/$name.out" 2>/dev/null; then break; fi
        sleep 0.1
    done
    grep -o 'http://[0-9.:]*' "$work/$name.out"
}

replica() { # name commune hub token
    local db="$work/$1.sqlite"
    printf '%s\n' "$4" | "$bin/replica-node" init --db "$db" --commune "$2" --hub "$3" --token-stdin >/dev/null
    make_csv "$2" "$work/$1.csv"
    "$bin/replica-node" import --db "$db" --csv "$work/$1.csv" >/dev/null
}

timed_syncs() { # label name...
    local label=$1
    shift
    local started ended
    started=$(date +%s.%N)
    local waits=()
    for name in "$@"; do
        "$bin/replica-node" sync --db "$work/$name.sqlite" --batch-limit 500 --json >"$work/$name.sync" 2>"$work/$name.sync-err" &
        waits+=($!)
    done
    for pid in "${waits[@]}"; do wait "$pid"; done
    ended=$(date +%s.%N)
    python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); print(f'{sys.argv[4]}: {n} changes in {s:.2f} s, {n/s:.0f} changes/s')" \
        "$started" "$ended" "$(($# * count))" "$label"
}

pg_database() { # name
    psql "$HUB_TEST_POSTGRES_URL" -X -q -c "CREATE DATABASE $1" >/dev/null
    echo "${HUB_TEST_POSTGRES_URL%/*}/$1"
}

communes=(essaouira ounagha tamanar)

# One replica, SQLite hub.
sqlite_one=$(start_hub sqlite-one --db "$work/hub-one.sqlite")
token=$("$bin/hub-server" enroll --db "$work/hub-one.sqlite" --commune tamanar --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
replica r-sqlite tamanar "$sqlite_one" "$token"
timed_syncs "1 replica -> SQLite hub" r-sqlite

# One replica, one PostgreSQL process.
pg_one=$(pg_database bench_one)
pg_url=$(start_hub pg-one --postgres "$pg_one")
token=$("$bin/hub-server" enroll --postgres "$pg_one" --commune tamanar --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
replica r-pg tamanar "$pg_url" "$token"
timed_syncs "1 replica -> 1 PostgreSQL process" r-pg

# Three replicas at once, SQLite hub.
sqlite_three=$(start_hub sqlite-three --db "$work/hub-three.sqlite")
names=()
for commune in "${communes[@]}"; do
    token=$("$bin/hub-server" enroll --db "$work/hub-three.sqlite" --commune "$commune" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    replica "s3-$commune" "$commune" "$sqlite_three" "$token"
    names+=("s3-$commune")
done
timed_syncs "3 replicas at once -> SQLite hub" "${names[@]}"

# Three replicas at once, two PostgreSQL processes on one database.
pg_three=$(pg_database bench_three)
urls=("$(start_hub pg-a --postgres "$pg_three")" "$(start_hub pg-b --postgres "$pg_three")")
names=()
index=0
for commune in "${communes[@]}"; do
    token=$("$bin/hub-server" enroll --postgres "$pg_three" --commune "$commune" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    replica "p3-$commune" "$commune" "${urls[$((index % 2))]}" "$token"
    names+=("p3-$commune")
    index=$((index + 1))
done
timed_syncs "3 replicas at once -> 2 PostgreSQL processes" "${names[@]}"

echo "changes logged: SQLite hub $(sqlite3 "$work/hub-three.sqlite" 'select count(*) from crdt_log'), PostgreSQL $(psql "$pg_three" -X -A -t -c 'select count(*) from hub_log') (expected $((3 * count)) each)"
