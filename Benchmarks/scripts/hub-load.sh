#!/usr/bin/env bash
# The hub under load: R simulated replicas (default 1,500, one per Moroccan commune; enrolled
# under the three communes of the schema in turn), each pushing C proposals (default 100) in one
# exchange, W at a time (default 64), against a release hub-server on loopback (durable).
# Prints throughput, p50/p99 latency of an exchange, errors and the hub's peak memory (VmHWM).
# Usage: Benchmarks/scripts/hub-load.sh [R] [C] [W]
set -euo pipefail
cd "$(dirname "$0")/../.."
replicas="${1:-1500}"; changes="${2:-100}"; concurrency="${3:-64}"
if [ -z "${BIN:-}" ]; then  # BIN=path/to/release/bin skips the build
    swift build -c release --product hub-server >/dev/null 2>&1 || swift build -c release --product hub-server
fi
bin="${BIN:-$(swift build -c release --show-bin-path)}"
work="$(mktemp -d)"
trap 'kill "$hub_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
# Two enrollments at a time, each into its own file (gathered afterwards, in order).
mkdir "$work/tokens"
seq 0 $((replicas - 1)) | xargs -P 2 -I{} sh -c '
    commune=$(echo "essaouira ounagha tamanar" | cut -d" " -f$(( {} % 3 + 1 )))
    "$0" enroll --db "$1/hub.sqlite" --commune "$commune" --json >"$1/tokens/{}.json"
    python3 -c "import json,sys; d=json.load(open(sys.argv[2])); d[\"commune\"]=sys.argv[1]; open(sys.argv[2], \"w\").write(json.dumps(d) + \"\\n\")" "$commune" "$1/tokens/{}.json"
' "$bin/hub-server" "$work"
seq 0 $((replicas - 1)) | while read -r i; do cat "$work/tokens/$i.json"; done >"$work/tokens.jsonl"
[ "$(wc -l <"$work/tokens.jsonl")" -eq "$replicas" ] || { echo "only $(wc -l <"$work/tokens.jsonl") of $replicas enrollments succeeded" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin/hub-server" serve --db "$work/hub.sqlite" --port "$port" --log-level warning --rate-limit 600 >"$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
python3 Benchmarks/scripts/hub-load.py "http://127.0.0.1:$port" "$work/tokens.jsonl" "$changes" "$concurrency"
echo "hub peak resident memory (VmHWM): $(awk '/VmHWM/ {print $2}' "/proc/$hub_pid/status") KiB"
