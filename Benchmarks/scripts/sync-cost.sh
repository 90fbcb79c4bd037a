#!/usr/bin/env bash
# Instructions of the sync path (push to an empty hub, then pull by an empty replica, in one
# process, batches coded to JSON and back as over HTTP), counted by callgrind as differences of
# runs stopped after the setup, after the push, and complete (setup excluded): repeatable
# whatever else the machine is doing. Prints the count
# per change for each step, with the batch coder and with Foundation's JSON coders (the path
# before the batch coder) in the same run, and writes the profiles for callgrind_annotate.
# Usage: Benchmarks/scripts/sync-cost.sh [N] (default 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-5000}"
command -v valgrind >/dev/null || { apt-get install -y -qq valgrind >/dev/null; }
swift build -c release --product SyncCost >/dev/null 2>&1 || swift build -c release --product SyncCost
binary=/tmp/sync-cost.$$
objcopy --strip-debug "$(swift build -c release --show-bin-path)/SyncCost" "$binary"  # valgrind 3.19 cannot read DWARF 5
trap 'rm -f "$binary"' EXIT
out="${SYNC_COST_OUT:-/tmp}"
count_run() { # arguments of SyncCost; prints the instructions of the whole run
    local file="$out/sync-cost.$1.callgrind"; shift
    valgrind --tool=callgrind --callgrind-out-file="$file" "$binary" "$count" normal "$@" >/dev/null 2>&1
    callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
for variant in batch-coder foundation; do
    flag=""; [ "$variant" = foundation ] && flag="--foundation"
    setup=$(count_run "$variant.setup" $flag --stop-after setup)
    push=$(count_run "$variant.push" $flag --stop-after push)
    whole=$(count_run "$variant.whole" $flag)
    echo "$variant Push: $(( (push - setup) / count )) instructions per change"
    echo "$variant Pull: $(( (whole - push) / count )) instructions per change"
done
echo "profiles: $out/sync-cost.*.callgrind (compare a step's run with the one before it in callgrind_annotate)"
