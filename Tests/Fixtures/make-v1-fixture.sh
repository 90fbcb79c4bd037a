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
echo "{\"proposals\": [\"$P1\", \"$P2\", \"$P3\"], \"conflicted\": \"$P1\", \"comments\": [\"$C1\", \"$C2\", \"$C3\", \"$C4\"], \"event\": \"$E1\"}" > ids.json
