#!/usr/bin/env bash
# Database bytes per proposal before and after collection, against plain SQLite tables of the
# same final data: N proposals (about 1.1 KB of Arabic each) written through the engine, each
# edited three times (title and status), one comment per proposal edited once, every fourth
# comment deleted (tombstone). Every database is checkpointed and vacuumed before it is measured.
# Usage: Benchmarks/scripts/storage-collect.sh [N] (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
swift build -c release --product StorageCollect >/dev/null 2>&1 || swift build -c release --product StorageCollect
probe="$(swift build -c release --show-bin-path)/StorageCollect"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$probe" build "$count" "$work/before.sqlite"
cp "$work/before.sqlite" "$work/after.sqlite"
"$probe" collect "$work/after.sqlite" 0
python3 - "$work" "$count" <<'PY'
import sqlite3, sys
sys.path.insert(0, "scripts")
import dbsize
work, count = sys.argv[1], int(sys.argv[2])
# The plain tables: the replica's final proposal and comment rows, same columns and values
# (deleted comments keep their placeholder row), without merge metadata, log or conflicts.
plain = sqlite3.connect(f"{work}/plain.sqlite")
plain.execute(f"ATTACH DATABASE '{work}/before.sqlite' AS replica")
for table in ("proposal", "comment"):
    columns = [r[1] for r in plain.execute(f"PRAGMA replica.table_info({table})") if not r[1].startswith("crdt_")]
    types = {r[1]: r[2] for r in plain.execute(f"PRAGMA replica.table_info({table})")}
    plain.execute(f"CREATE TABLE main.{table} (id TEXT PRIMARY KEY NOT NULL, "
                  + ", ".join(f"{c} {types[c]}" for c in columns if c != "id") + ")")
    plain.execute(f"INSERT INTO main.{table} SELECT {', '.join(columns)} FROM replica.{table}")
plain.commit()
plain.execute("DETACH DATABASE replica")
plain.close()
def measure(path):
    size, parts = dbsize.measure(path)
    db = sqlite3.connect(path)
    log = db.execute("SELECT count(*) FROM crdt_log").fetchone()[0] if "crdt_log" in parts else None
    db.close()
    return size, parts, log
baseline, _, _ = measure(f"{work}/plain.sqlite")
print(f"{count} proposals, 3 edits each, {count} comments (1 edit each, one in four deleted)")
print(f"{'database':<34}{'bytes per proposal':>20}{'vs plain':>10}{'log entries':>13}{'log + index per proposal':>26}")
print(f"{'plain tables (same final data)':<34}{baseline / count:>20,.0f}{'1.00x':>10}{'-':>13}{'-':>26}")
for label, name in (("replica before collection", "before"), ("replica after collection", "after")):
    size, parts, log = measure(f"{work}/{name}.sqlite")
    log_bytes = parts.get("crdt_log", 0) + parts.get("crdt_log_record", 0)
    print(f"{label:<34}{size / count:>20,.0f}{size / baseline:>9.2f}x{log:>13,}{log_bytes / count:>26,.0f}")
PY
