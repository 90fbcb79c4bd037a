#!/usr/bin/env bash
# Incremental sync of 10 changes when replica and hub each hold N rows, against the same sync on
# empty databases (IncrementalCost: real SQLite files, synchronous = FULL, messages coded to JSON
# and back as over HTTP, in one process), and the pushed bytes, as JSON and gzip-compressed,
# against the raw field sizes. Three kinds of change: new proposals, edits to a short title,
# edits to the titles of the sample proposals.
# Usage: Benchmarks/scripts/incremental-sync.sh [N] (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product IncrementalCost >/dev/null 2>&1 || swift build -c release --product IncrementalCost
bodies=$(mktemp -d)
trap 'rm -rf "$bodies"' EXIT
# Titles of the sample proposals (Arabic and French, 32 to 82 bytes), for edits of a realistic size.
python3 -c 'import csv, sys; [print(row["title"]) for row in csv.DictReader(open(sys.argv[1]))]' \
    ../Tests/WebTests/sample-proposals.csv >"$bodies/.titles"
INCREMENTAL_TITLES=$bodies/.titles INCREMENTAL_BODIES=$bodies "$(swift build -c release --show-bin-path)/IncrementalCost" "${1:-1000000}" 10 15
# A push body of 1 KiB or more travels gzip-compressed at level 1 (HTTPSyncTransport), as gzip -1 does.
for body in "$bodies"/*; do
    echo "$(basename "$body" | tr - ' '): last pushed body $(wc -c <"$body") bytes of JSON, $(gzip -1 -c "$body" | wc -c) bytes gzip-compressed (level 1)"
done
