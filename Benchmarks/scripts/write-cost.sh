#!/usr/bin/env bash
# Instructions per replicated write against a plain SQLite write of the same row, counted by
# callgrind (repeatable whatever else the machine is doing), plus wall-clock times per write.
# Usage: Benchmarks/scripts/write-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get install -y -qq valgrind >/dev/null; }
swift build -c release --product WriteCost >/dev/null
binary=/tmp/write-cost.$$
objcopy --strip-debug "$(swift build -c release --show-bin-path)/WriteCost" "$binary"  # valgrind 3.19 cannot read DWARF 5
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" "$1" "$2" 2>&1 | awk '/refs/ {gsub(",", "", $4); print $4}'; }
for side in plain repl; do
    small=$(count 50 "$side"); large=$(count 350 "$side")
    per=$(( (large - small) / 300 ))
    echo "$side: $per instructions per create+edit pair"
    eval "per_$side=$per"
done
python3 -c "print('ratio (instructions): %.2fx' % ($per_repl / $per_plain))"
for i in 1 2 3; do "$binary" 2000 full; done
rm -f "$binary"
