#!/usr/bin/env bash
# End-to-end sync throughput over loopback HTTP with release builds of both programs:
# N proposals (about 1.1 KB of Arabic each) imported on a replica, pushed to an empty hub, then
# pulled by a fresh replica. Both sides are durable (WAL, synchronous = FULL).
# Usage: Benchmarks/scripts/sync-throughput.sh [N] (default 100000)
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${1:-100000}"
if [ -z "${BIN:-}" ]; then  # BIN=path/to/release/bin skips the build
    swift build -c release --product hub-server >/dev/null 2>&1 || swift build -c release --product hub-server
    swift build -c release --product replica-node >/dev/null 2>&1 || swift build -c release --product replica-node
fi
bin="${BIN:-$(swift build -c release --show-bin-path)}"
work="$(mktemp -d)"
trap 'kill "$hub_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 - "$count" "$work" <<'PY'
import csv, sys
count, folder = int(sys.argv[1]), sys.argv[2]
body = "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية وإنارة موفرة للطاقة. " * 6
for part, start in enumerate(range(0, count, 20000)):  # replica-node import takes files up to 32 MiB
    with open(f"{folder}/proposals-{part:03d}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["title", "body", "category"])
        for i in range(start, min(count, start + 20000)):
            w.writerow([f"مقترح رقم {i}", body, "urbanisme"])
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token() { "$bin/hub-server" enroll --db "$work/hub.sqlite" --commune tamanar --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
first=$(token); second=$(token)
"$bin/hub-server" serve --db "$work/hub.sqlite" --port "$port" >"$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
printf '%s\n' "$first" | "$bin/replica-node" init --db "$work/a.sqlite" --commune tamanar --hub "http://127.0.0.1:$port" --token-stdin >/dev/null
printf '%s\n' "$second" | "$bin/replica-node" init --db "$work/b.sqlite" --commune tamanar --hub "http://127.0.0.1:$port" --token-stdin >/dev/null
elapsed() { python3 -c "import time,sys; print('%.2f' % (time.time() - float(sys.argv[1])))" "$1"; }
start=$(date +%s.%N)
for file in "$work"/proposals-*.csv; do "$bin/replica-node" import --csv "$file" --db "$work/a.sqlite" >/dev/null; done
import_s=$(elapsed "$start")
# Peak resident memory (KiB) and CPU seconds of each replica-node run from GNU time; the hub's
# memory from its VmHWM, its CPU seconds from /proc (user + system, in clock ticks).
hub_ticks() { awk '{print $14 + $15}' "/proc/$hub_pid/stat"; }
ticks=$(getconf CLK_TCK)
before=$(hub_ticks); start=$(date +%s.%N)
/usr/bin/time -f "%M %U %S" -o "$work/push.rss" "$bin/replica-node" sync --db "$work/a.sqlite" --batch-limit 2000 >/dev/null
push_s=$(elapsed "$start"); push_hub=$(( $(hub_ticks) - before ))
before=$(hub_ticks); start=$(date +%s.%N)
/usr/bin/time -f "%M %U %S" -o "$work/pull.rss" "$bin/replica-node" sync --db "$work/b.sqlite" --batch-limit 2000 >/dev/null
pull_s=$(elapsed "$start"); pull_hub=$(( $(hub_ticks) - before ))
hub_kib=$(awk '/VmHWM/ {print $2}' "/proc/$hub_pid/status")
read -r push_kib push_user push_sys < <(tail -1 "$work/push.rss")
read -r pull_kib pull_user pull_sys < <(tail -1 "$work/pull.rss")
echo "peak resident memory: pushing replica $push_kib KiB, pulling replica $pull_kib KiB, hub $hub_kib KiB (target: pulling replica under 150 MB)"
awk -v h="$push_hub" -v t="$ticks" -v u="$push_user" -v s="$push_sys" 'BEGIN { printf "CPU during the push: hub %.2f s, replica %.2f s\n", h / t, u + s }'
awk -v h="$pull_hub" -v t="$ticks" -v u="$pull_user" -v s="$pull_sys" 'BEGIN { printf "CPU during the pull: hub %.2f s, replica %.2f s\n", h / t, u + s }'
# Baseline in the same run: the same rows, with the same ids (time-ordered UUIDv7, read from the
# replica) in the same order, inserted into a plain SQLite table (same columns and commune index,
# WAL, synchronous = FULL) by SQLite's C code through Python's executemany, in transactions of
# 2,000 rows as the sync's batches: what storing the data alone costs here.
python3 - "$count" "$import_s" "$push_s" "$pull_s" "$work" <<'PY'
import sqlite3, sys, time
n, imp, push, pull = int(sys.argv[1]), *map(float, sys.argv[2:5])
work = sys.argv[5]
source = sqlite3.connect(f"file:{work}/b.sqlite?mode=ro", uri=True)
rows = source.execute("SELECT id, title, body, category, status, commune, created_at FROM proposal ORDER BY id").fetchall()
source.close()
db = sqlite3.connect(f"{work}/baseline.sqlite", isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = FULL")
db.execute("CREATE TABLE proposal (id TEXT PRIMARY KEY NOT NULL, title TEXT, body TEXT, category TEXT, status TEXT, "
           "answer TEXT, commune TEXT, author TEXT, created_at INTEGER, withdrawn INTEGER, hidden INTEGER)")
db.execute("CREATE INDEX proposal_commune ON proposal(commune)")
start = time.time()
for i in range(0, len(rows), 2000):
    db.execute("BEGIN")
    db.executemany("INSERT INTO proposal(id, title, body, category, status, commune, created_at) VALUES (?,?,?,?,?,?,?)",
                   rows[i:i + 2000])
    db.execute("COMMIT")
plain = time.time() - start
db.close()
print(f"{n} proposals: import {imp:.2f} s ({n/imp:,.0f}/s); push to an empty hub {push:.2f} s ({n/push:,.0f} changes/s); "
      f"pull by an empty replica {pull:.2f} s ({n/pull:,.0f} changes/s); target 50,000/s")
print(f"baseline, same run: plain SQLite inserts of the same rows in transactions of 2,000 {plain:.2f} s "
      f"({n/plain:,.0f} rows/s); push {plain/push:.2f}x and pull {plain/pull:.2f}x of its rate")
PY
a=$("$bin/replica-node" digest --db "$work/a.sqlite"); b=$("$bin/replica-node" digest --db "$work/b.sqlite")
h=$("$bin/hub-server" digest --db "$work/hub.sqlite")
[ "$a" = "$h" ] && [ "$b" = "$h" ] && echo "digests equal: $h" || { echo "digests differ" >&2; exit 1; }
# Storage: database bytes per proposal against a plain SQLite table of the same rows (both
# checkpointed and vacuumed), and where the replica's bytes go, table by table.
python3 - "$work" "$count" "$bin" <<'PY'
import glob, os, sqlite3, csv, sys, uuid
sys.path.insert(0, "Benchmarks/scripts")
import dbsize
work, count = sys.argv[1], int(sys.argv[2])
plain = sqlite3.connect(f"{work}/plain.sqlite")
plain.execute("CREATE TABLE proposal (id TEXT PRIMARY KEY NOT NULL, title TEXT, body TEXT, category TEXT, status TEXT, "
              "answer TEXT, commune TEXT, author TEXT, created_at INTEGER, withdrawn INTEGER, hidden INTEGER)")
for name in sorted(glob.glob(f"{work}/proposals-*.csv")):
    with open(name, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    plain.executemany("INSERT INTO proposal(id, title, body, category, status, commune, created_at) VALUES (?,?,?,?,?,?,?)",
                      [(str(uuid.uuid4()), r["title"], r["body"], r["category"], "submitted", "tamanar", 1764380000000)
                       for r in rows])
plain.commit()
replica, parts = dbsize.measure(f"{work}/a.sqlite")
baseline, _ = dbsize.measure(f"{work}/plain.sqlite")
tables = sorted(parts.items(), key=lambda part: -part[1])[:6]
print(f"storage: replica {replica / count:,.0f} bytes per proposal, plain table {baseline / count:,.0f} "
      f"({replica / baseline:.2f}x); largest parts: " + ", ".join(f"{n} {b / count:,.0f}" for n, b in tables))
PY
