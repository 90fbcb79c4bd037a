#!/usr/bin/env bash
# Builds the version-1 fixture with the programs of the release before schema versioning.
set -euo pipefail
B=${B:?set B to the bin folder of the release to record, such as .build/debug}
rn() { "$B/replica-node" "$@"; }
"$B/hub-server" enroll --db hub.sqlite --commune essaouira --name "Essaouira office" --json > e.json
"$B/hub-server" enroll --db hub.sqlite --commune ounagha --name "Ounagha office" --json > o.json
PORT=18791
"$B/hub-server" serve --db hub.sqlite --port $PORT > hub.log 2>&1 &
HUB=$!
trap 'kill $HUB' EXIT
sleep 2
TE=$(python3 -c 'import json;print(json.load(open("e.json"))["token"])')
TO=$(python3 -c 'import json;print(json.load(open("o.json"))["token"])')
rn init --db office.sqlite --commune essaouira --hub http://127.0.0.1:$PORT --token "$TE"
rn init --db other.sqlite --commune ounagha --hub http://127.0.0.1:$PORT --token "$TO"
P1=$(rn proposal create --db office.sqlite --title "تهيئة ساحة مولاي الحسن" --body "Aménager la place ⵜⴰⵚⵚⵓⵔⵜ" --category urbanisme)
P2=$(rn proposal create --db office.sqlite --title "Nettoyage de la plage" --body "Chaque samedi" --category environnement)
P3=$(rn proposal create --db other.sqlite --title "ماء صالح للشرب في الدواوير" --body "Raccorder les douars")
C1=$(rn comment add --db office.sqlite --proposal "$P1" --body "Bonne idée" --alignment for --author amina)
C2=$(rn comment add --db office.sqlite --proposal "$P1" --parent "$C1" --body "نعم، موافق" --alignment for)
C3=$(rn comment add --db office.sqlite --proposal "$P1" --parent "$C2" --body "ⴰⵣⵓⵍ" --alignment neutral)
C4=$(rn comment add --db office.sqlite --proposal "$P2" --body "À supprimer" --alignment against)
rn comment delete --db office.sqlite "$C4"
rn support add --db office.sqlite --proposal "$P1" --citizen c-1
rn support add --db office.sqlite --proposal "$P1" --citizen c-2
rn support add --db other.sqlite --proposal "$P3" --citizen c-9
E1=$(rn event create --db office.sqlite --title "Atelier budget participatif" --kind workshop --date 2026-12-03 --venue "Dar Souiri")
rn attendance add --db office.sqlite --event "$E1" --participant p-1
rn attendance add --db office.sqlite --event "$E1" --participant p-2
rn sync --db office.sqlite > /dev/null
rn sync --db other.sqlite > /dev/null
rn sync --db office.sqlite > /dev/null
# concurrent edits of one title: an open conflict once both are synced
rn proposal edit --db office.sqlite "$P1" --title "تهيئة الساحة — نسخة الصويرة"
rn proposal edit --db other.sqlite "$P1" --title "Aménagement de la place (Ounagha)"
rn support add --db other.sqlite --proposal "$P1" --citizen c-3
rn sync --db other.sqlite > /dev/null
rn sync --db office.sqlite > /dev/null
rn sync --db other.sqlite > /dev/null
sqlite3 office.sqlite "PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
sqlite3 office.sqlite ".backup 'v1-office.sqlite'"
# the hub of that release, with a dashboard account (its tables were made by the engine then)
printf '%s\n' "long enough password" | "$B/hub-server" user add --db hub.sqlite --username amina --role admin --password-stdin
sqlite3 hub.sqlite "PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
sqlite3 hub.sqlite ".backup 'v1-hub.sqlite'"
rn status --db office.sqlite --json --timeout 1 > status.json || true
rn conflicts list --db office.sqlite --json > conflicts.json
P1=$P1 P2=$P2 P3=$P3 C1=$C1 C2=$C2 C3=$C3 C4=$C4 E1=$E1 python3 - <<'PY'
import json, os, sqlite3
env = os.environ
db = sqlite3.connect("office.sqlite")
rows = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ["proposal", "comment", "support", "event", "attendance", "crdt_log", "crdt_conflict"]}
vector = dict(db.execute("SELECT origin, seq FROM crdt_vector").fetchall())
vector.update(db.execute("SELECT replica, seq FROM crdt_self").fetchall())  # its own writes
def plain(value):
    return next(iter(value.values())) if isinstance(value, dict) else value
conflict = json.load(open("conflicts.json"))[0]
json.dump({
    "comments": [env["C1"], env["C2"], env["C3"], env["C4"]],
    "conflict": {"field": conflict["field"], "others": [plain(v) for v in conflict["others"]],
                 "record": conflict["record"], "shown": plain(conflict["shown"]), "table": conflict["table"]},
    "conflicted": env["P1"],
    "digest": json.load(open("status.json"))["digest"],
    "event": env["E1"],
    "hubAccount": "amina",
    "madeBy": "replica-node 0.1.0 (schema version 1), Tests/Fixtures/make-v1-fixture.sh",
    "proposals": [env["P1"], env["P2"], env["P3"]],
    "rows": rows,
    "vector": vector,
}, open("v1-office.json", "w"), ensure_ascii=False, indent=2, sort_keys=True)
PY
