#!/usr/bin/env bash
# Server time of four dashboard pages on a SQLite hub, as a coordinator gets them (signed in,
# over HTTP on 127.0.0.1, release build, default settings), on N proposals with 3N comments and
# on 1,000 proposals with 3,000 comments, each beside a plain SQL query of the same rows in the
# same file (the baseline): the proposals list with a filter (commune, status, third page), a
# proposal's page (its comments and history), the charts page and the CSV download.
# p50 and p99 of R requests per page (R/5 for the CSV of the large hub).
# Usage: Benchmarks/scripts/dashboard-pages.sh [N] [R] (defaults 100000 and 40)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
rounds="${2:-40}"
swift build -c release --product DashboardData >/dev/null 2>&1 || swift build -c release --product DashboardData
probe="$(swift build -c release --show-bin-path)/DashboardData"
(cd .. && { swift build -c release --product hub-server >/dev/null 2>&1 || swift build -c release --product hub-server; })
hub="$(cd .. && swift build -c release --show-bin-path)/hub-server"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
for n in 1000 "$count"; do
    "$probe" "$work/hub-$n.sqlite" "$n"
    printf 'long enough password\n' |
        "$hub" user add --db "$work/hub-$n.sqlite" --username bench --role read --password-stdin >/dev/null
done
python3 - "$hub" "$work" "$count" "$rounds" <<'PY'
import http.client, os, socket, sqlite3, subprocess, sys, time, urllib.parse
hub, work, count, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
token = "B" * 43

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def quantiles(samples):
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    return pick(0.50) * 1000, pick(0.99) * 1000

def run(n):
    path = f"{work}/hub-{n}.sqlite"
    port = free_port()
    server = subprocess.Popen([hub, "serve", "--db", path, "--port", str(port), "--log-level", "error"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    while "listening" not in server.stdout.readline():
        pass
    connection = http.client.HTTPConnection("127.0.0.1", port)
    body = urllib.parse.urlencode({"_csrf": token, "username": "bench", "password": "long enough password"})
    connection.request("POST", "/login", body, {"Cookie": f"csrf={token}", "Host": f"127.0.0.1:{port}",
                                                "Content-Type": "application/x-www-form-urlencoded"})
    answer = connection.getresponse()
    answer.read()
    cookie = answer.getheader("Set-Cookie").split(";")[0]
    db = sqlite3.connect(path)
    proposal = db.execute("SELECT id FROM proposal ORDER BY created_at LIMIT 1 OFFSET ?", (n // 2,)).fetchone()[0]
    pages = {
        "list (commune, status, page 3)": (
            "/proposals?commune=tamanar&status=accepted&page=3",
            [("SELECT count(*) FROM proposal WHERE commune = 'tamanar' AND status = 'accepted'", ()),
             ("SELECT id, title, body, category, status, answer, commune, created_at FROM proposal "
              "WHERE commune = 'tamanar' AND status = 'accepted' ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 40", ())]),
        "proposal page": (
            f"/proposals/{proposal}",
            [("SELECT * FROM proposal WHERE id = ?", (proposal,)),
             ("SELECT * FROM comment WHERE proposal_id = ?", (proposal,))]),
        "charts": (
            "/charts",
            [("SELECT commune, status, count(*) FROM proposal GROUP BY commune, status", ()),
             ("SELECT p.commune, count(*) FROM support s JOIN proposal p ON p.id = s.proposal_id "
              "WHERE s.present = 1 GROUP BY p.commune", ())]),
        "CSV download": (
            "/export.csv",
            [("SELECT id, commune, created_at, status, category, title, body, answer FROM proposal "
              "ORDER BY created_at DESC, id DESC", ())]),
    }
    results = {}
    for name, (url, queries) in pages.items():
        times, plain = [], []
        repeat = max(3, rounds // 5) if name == "CSV download" and n > 1000 else rounds
        for _ in range(repeat):
            started = time.perf_counter()
            connection.request("GET", url, headers={"Cookie": cookie, "Host": f"127.0.0.1:{port}"})
            response = connection.getresponse()
            data = response.read()
            times.append(time.perf_counter() - started)
            assert response.status == 200, (url, response.status, data[:200])
            started = time.perf_counter()
            for sql, args in queries:
                db.execute(sql, args).fetchall()
            plain.append(time.perf_counter() - started)
        results[name] = (quantiles(times), quantiles(plain))
    server.terminate()
    server.wait()
    return results

small, large = run(1000), run(count)
print(f"dashboard pages on a SQLite hub: {count} proposals and {3 * count} comments, against 1000 and 3000")
print(f"{'page':<32}{'p50 ms':>9}{'p99 ms':>9}{'p50 at 1000':>13}{'vs 1000':>9}{'plain SQL p50':>15}{'vs plain':>10}")
for name in large:
    (p50, p99), (plain50, _) = large[name]
    (small50, _), _ = small[name]
    print(f"{name:<32}{p50:>9.2f}{p99:>9.2f}{small50:>13.2f}{p50 / small50:>8.1f}x{plain50:>15.2f}{p50 / plain50:>9.1f}x")
PY
