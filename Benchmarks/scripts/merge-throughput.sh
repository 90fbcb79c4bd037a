#!/usr/bin/env bash
# Merge throughput against CRDT peers, in the same script run: N proposal records applied as
# remote updates to an empty replica (MergeCost: durable, NORMAL, and NORMAL on /dev/shm) and to
# an empty pycrdt (Yjs's Rust core) and loro document (in memory). Prints the ratios.
# Usage: Benchmarks/scripts/merge-throughput.sh [N] (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
python3 -c 'import pycrdt, loro' 2>/dev/null || pip install -q pycrdt loro
swift build -c release --product MergeCost >/dev/null 2>&1 || swift build -c release --product MergeCost
ours="$("$(swift build -c release --show-bin-path)/MergeCost" "$count")"
peers="$(python3 scripts/merge-peers.py "$count")"
echo "$ours"
echo "$peers"
python3 - "$ours" "$peers" <<'PY'
import re, sys
ours, peers = sys.argv[1], sys.argv[2]
rate = lambda line: float(re.search(r"([0-9.]+) (?:changes|records)/s", line).group(1))
mine = {m.group(1): rate(m.group(0)) for m in re.finditer(r"apply \d+ changes \(([^)]*)\).*", ours)}
for peer in peers.splitlines():
    name = peer.split(":")[0]
    for mode, value in mine.items():
        print(f"ours ({mode}) / {name}: {value / rate(peer):.2f}x the peer's throughput")
PY
