#!/usr/bin/env bash
# Runs schemathesis against a live hub: every operation of Docs/openapi.yaml with generated
# (valid and invalid) requests and a valid credential, checking that no answer is a 5xx and that
# every answer matches the document (status, content type, body schema).
#
# Schemathesis comes from PyPI into .build-security/venv when missing. Tunables:
#   SECURITY_MAX_EXAMPLES (default 500)  examples per operation and phase
#   SECURITY_SEED         (default 1)   hypothesis seed, for a reproducible run
#   SCHEMATHESIS_VERSION  (default 4.32.5)
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
MAX_EXAMPLES=${SECURITY_MAX_EXAMPLES:-500}
SEED=${SECURITY_SEED:-1}
VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
VENV=.build-security/venv

if [[ ! -x "$VENV/bin/schemathesis" ]]; then
    python=$(command -v python3)
    for candidate in /root/.pyenv/versions/3.12*/bin/python3; do [[ -x $candidate ]] && python=$candidate; done
    "$python" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "schemathesis==$VERSION"
fi

$SWIFT build --product hub-server
BIN="$($SWIFT build --show-bin-path)/hub-server"
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

TOKEN=$("$BIN" enroll --db "$WORK/hub.sqlite" --commune essaouira --name "schemathesis" --json |
    sed -E 's/.*"token":"([^"]+)".*/\1/')
"$BIN" serve --db "$WORK/hub.sqlite" --host 127.0.0.1 --port 0 --rate-limit 1000000 --unauthenticated-rate-limit 1000000 --log-level error \
    >"$WORK/stdout" 2>"$WORK/stderr" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$WORK/stdout" 2>/dev/null && break
    sleep 0.1
done
URL=$(sed -nE 's/.*listening on (http:\/\/[^ ]+).*/\1/p' "$WORK/stdout" | head -1)
[[ -n $URL ]] || { echo "hub-server did not start:" >&2; cat "$WORK/stderr" >&2; exit 1; }
echo "hub-server at $URL; schemathesis $("$VENV/bin/schemathesis" --version | awk '{print $NF}')"

status=0
"$VENV/bin/schemathesis" run Docs/openapi.yaml \
    --url "$URL" \
    -H "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --workers 1 \
    --request-timeout 20 \
    --suppress-health-check all \
    --no-color || status=$?

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "hub-server died during the run:" >&2
    cat "$WORK/stderr" >&2
    status=1
fi
exit $status
