#!/usr/bin/env bash
# The province in one run: a hub and three commune replicas as separate processes on 127.0.0.1.
#
#   1. Morning, the link is up: Essaouira publishes a proposal; every commune syncs.
#   2. The hub goes down. Each commune records proposals (imported from paper forms, CSV) and
#      comments in Arabic and French; Ounagha and Tamanar edit the same proposal's title;
#      citizens support proposals at different communes. A sync attempt fails cleanly.
#   3. The hub comes back; every commune syncs twice. The province is merged: same digest on
#      the hub and the three communes, and the concurrent title edit is an open conflict.
#
# HUB=postgres keeps the hub's state in PostgreSQL instead: the script then runs beside a
# private PostgreSQL 15 server (scripts/with-postgres.sh), which is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

hub_backend=${HUB:-sqlite}
case "$hub_backend" in
    sqlite | postgres) ;;
    *) echo "HUB=$hub_backend: use HUB=sqlite (the default) or HUB=postgres" >&2; exit 2 ;;
esac
if [ "$hub_backend" = postgres ] && [ -z "${HUB_TEST_POSTGRES_URL:-}" ]; then
    exec scripts/with-postgres.sh "$0" "$@"
fi

bin=.build/debug
run="demo-run/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
hub_url="http://127.0.0.1:$port"
communes=(essaouira ounagha tamanar)
hub_pid=""
samples=../shared/data/sample-proposals.csv
[ -f "$samples" ] || samples=Tests/WebTests/sample-proposals.csv  # the same file, kept in the repository

if [ "$hub_backend" = postgres ]; then
    database="demo_$(date +%Y%m%d_%H%M%S)"
    psql "$HUB_TEST_POSTGRES_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database" >/dev/null
    hub_db=(--postgres "${HUB_TEST_POSTGRES_URL%/*}/$database")
else
    hub_db=(--db "$run/hub.sqlite")
fi

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
node() { local commune=$1; shift; "$bin/replica-node" "$@" --db "$run/$commune.sqlite"; }
stop_hub() {
    if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then
        kill -TERM "$hub_pid"
        wait "$hub_pid" 2>/dev/null || true
    fi
    hub_pid=""
}
start_hub() {
    "$bin/hub-server" serve "${hub_db[@]}" --host 127.0.0.1 --port "$port" >>"$run/hub.log" 2>&1 &
    hub_pid=$!
    for _ in $(seq 1 100); do
        curl -fsS "$hub_url/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "the hub did not start; see $run/hub.log" >&2
    exit 1
}
trap stop_hub EXIT

say "Enrolling three commune replicas at the hub ($run, hub on $hub_backend)"
for commune in "${communes[@]}"; do
    token=$("$bin/hub-server" enroll "${hub_db[@]}" --commune "$commune" --name "$commune office" --json |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
    printf '%s\n' "$token" | node "$commune" init --commune "$commune" --hub "$hub_url" --token-stdin >/dev/null
    echo "  $commune: enrolled, database $run/$commune.sqlite"
done

say "Morning, link up: Essaouira publishes a proposal, every commune syncs"
start_hub
shared=$(node essaouira proposal create --title "Nettoyage de la plage et tri sélectif" \
    --body "Installer des bacs de tri le long de la corniche et organiser une journée mensuelle de nettoyage." \
    --category environnement --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
for commune in "${communes[@]}"; do node "$commune" sync >/dev/null; done
echo "  proposal $shared is on all three communes"
stop_hub

say "The link is down. Each commune keeps working"
for commune in "${communes[@]}"; do
    python3 - "$commune" "$run/$commune-forms.csv" "$samples" <<'PY'
import csv, sys
commune, out, samples = sys.argv[1], sys.argv[2], sys.argv[3]
with open(samples, newline="", encoding="utf-8") as f:
    rows = [r for r in csv.DictReader(f) if r["commune"] == commune][:4]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["title", "body", "category"])
    for r in rows:
        w.writerow([r["title"], r["body"], r["category"]])
PY
    printf '  %-9s ' "$commune:"
    node "$commune" import --csv "$run/$commune-forms.csv"
done
node essaouira comment add --proposal "$shared" --body "فكرة ممتازة، يجب إشراك جمعيات الأحياء" --alignment for >/dev/null
node ounagha comment add --proposal "$shared" --body "Il faut d'abord des poubelles dans les douars." --alignment neutral >/dev/null
node tamanar comment add --proposal "$shared" --body "الشاطئ بعيد عن تمنار، الأولوية للماء" --alignment against >/dev/null
node ounagha proposal edit "$shared" --title "Nettoyage de la plage, tri sélectif et bacs dans les douars" >/dev/null
node tamanar proposal edit "$shared" --title "تنظيف الشاطئ والفرز الانتقائي للنفايات" >/dev/null
echo "  Ounagha and Tamanar both edited the title of $shared, neither seeing the other"
node essaouira support add --proposal "$shared" --citizen c-essaouira-001 >/dev/null
node ounagha support add --proposal "$shared" --citizen c-ounagha-017 >/dev/null
node tamanar support add --proposal "$shared" --citizen c-tamanar-042 >/dev/null
node tamanar support add --proposal "$shared" --citizen c-ounagha-017 >/dev/null
echo "  citizens supported it at the three communes (one of them twice, at two communes)"
if node tamanar sync >"$run/offline-sync.txt" 2>&1; then
    echo "unexpected: sync succeeded with the hub down" >&2
    exit 1
fi
echo "  sync while the hub is down fails cleanly: $(head -n 1 "$run/offline-sync.txt")"

say "The hub is back: every commune syncs (twice, so each receives the others' changes)"
start_hub
for round in 1 2; do
    for commune in "${communes[@]}"; do
        summary=$(node "$commune" sync --json | python3 -c 'import json, sys; r = json.load(sys.stdin); print("pushed %d, pulled %d, digests %s" % (r["pushed"], r["pulled"], "match" if r["localDigest"] == r["remoteDigest"] else "differ"))')
        echo "  round $round, $commune: $summary"
    done
done
stop_hub

say "The merged province"
"$bin/hub-server" export "${hub_db[@]}" --format json >"$run/province.json"
python3 - "$run/province.json" <<'PY'
import json, sys, collections
state = json.load(open(sys.argv[1], encoding="utf-8"))["tables"]
proposals = state["proposal"]
supports = collections.Counter(s["proposal_id"] for s in state["support"] if s["present"] == 1)
per_commune = collections.Counter(p["commune"] for p in proposals)
print("  proposals per commune: " + ", ".join(f"{c} {n}" for c, n in sorted(per_commune.items())))
print(f"  comments: {len(state['comment'])}, supports: {sum(supports.values())}")
for p in proposals:
    if supports[p["id"]] or "conflicts" in p:
        print(f"  - [{p['commune']}] {p['title']}  ({supports[p['id']]} supports)")
        for field, others in p.get("conflicts", {}).items():
            for other in others:
                print(f"      open conflict on {field}: shown «{p[field]}», concurrent «{other['value']}»")
PY

say "Digests (all four must be equal)"
hub_digest=$("$bin/hub-server" digest "${hub_db[@]}")
printf '  %-10s %s\n' hub "$hub_digest"
status=0
for commune in "${communes[@]}"; do
    digest=$(node "$commune" digest)
    printf '  %-10s %s\n' "$commune" "$digest"
    [ "$digest" = "$hub_digest" ] || status=1
done
independent=$(python3 scripts/digest-from-export.py <"$run/province.json")
printf '  %-10s %s\n' "recomputed" "$independent  (from the hub's export, by scripts/digest-from-export.py)"
[ "$independent" = "$hub_digest" ] || status=1
if [ $status -ne 0 ]; then
    echo "the digests differ: the replicas did not converge" >&2
    exit 1
fi
echo "  converged."

say "Look at the databases yourself"
if [ "$hub_backend" = postgres ]; then
    echo "  (the hub's PostgreSQL server stops with this script; the replicas' files stay)"
fi
cat <<EOT
  $bin/replica-node proposal list --db $run/tamanar.sqlite
  $bin/replica-node proposal show $shared --db $run/ounagha.sqlite
  $bin/replica-node comment list --proposal $shared --db $run/essaouira.sqlite
  $bin/replica-node conflicts list --db $run/essaouira.sqlite
  $bin/replica-node export --format csv --db $run/ounagha.sqlite
EOT
if [ "$hub_backend" = sqlite ]; then
    cat <<EOT
  $bin/hub-server replicas --db $run/hub.sqlite
  sqlite3 $run/hub.sqlite 'select commune, title from proposal'
EOT
fi
