#!/usr/bin/env bash
# Incremental sync of 10 changes when replica and hub each hold N rows, against the same sync on
# empty databases (IncrementalCost: real SQLite files, synchronous = FULL, messages coded to JSON
# and back as over HTTP, in one process), and the pushed bytes against the raw field sizes.
# Usage: Benchmarks/scripts/incremental-sync.sh [N] (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product IncrementalCost >/dev/null 2>&1 || swift build -c release --product IncrementalCost
"$(swift build -c release --show-bin-path)/IncrementalCost" "${1:-1000000}" 10 15
