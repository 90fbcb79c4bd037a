"""Drives a running hub with simulated replicas: each is enrolled with its own credential, then, in
concurrent waves, says hello, pushes one batch of C proposals (about 1.1 KB of Arabic each, written
under its own identity) and says hello again, as `replica-node sync` does when the hub has nothing
for it. Prints throughput, latency percentiles of the whole exchange and errors as JSON.
Usage: python3 hub-load.py URL TOKENS_FILE CHANGES CONCURRENCY"""
import concurrent.futures
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

url, tokens_file, per_replica, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
target = urllib.parse.urlparse(url)
body = "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية وإنارة موفرة للطاقة. " * 6
local = threading.local()


def post(path, token, message):
    if not hasattr(local, "connection"):
        local.connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
    data = json.dumps(message, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    try:
        local.connection.request("POST", path, data, headers)
        response = local.connection.getresponse()
        answer = response.read()
    except (http.client.HTTPException, OSError):
        del local.connection
        raise
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {answer[:200]!r}")
    return json.loads(answer)


def exchange(enrollment):
    token, commune = enrollment["token"], enrollment["commune"]
    replica = str(uuid.uuid4())
    start = time.perf_counter()
    hello = {"protocolVersion": 1, "schemaVersion": 1, "replica": replica, "previousIdentities": [], "vector": {}}
    post("/v1/hello", token, hello)
    now = int(time.time() * 1000) << 16
    changes = []
    for seq in range(1, per_replica + 1):
        own = {replica: seq}
        changes.append({
            "table": "proposal", "record": str(uuid.uuid4()), "origin": replica, "seq": seq, "hlc": now + seq,
            "schema": 1, "fields": {
                "title": {"value": f"مقترح {seq}", "context": own}, "body": {"value": body, "context": own},
                "category": {"value": "urbanisme", "context": own}, "status": {"value": "submitted", "context": own},
                "commune": {"value": commune}, "created_at": {"value": now >> 16},
            }})
    batch = {"schemaVersion": 1, "changes": changes, "isComplete": True,
             "covered": [{"origin": replica, "after": 0, "through": per_replica}]}
    pushed = post("/v1/push", token, batch)
    assert pushed["applied"] == per_replica, pushed
    hello["vector"] = {replica: per_replica}
    post("/v1/hello", token, hello)
    return time.perf_counter() - start


enrollments = [json.loads(line) for line in open(tokens_file) if line.strip()]
latencies, errors = [], []
start = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
    for future in concurrent.futures.as_completed([pool.submit(exchange, e) for e in enrollments]):
        try:
            latencies.append(future.result())
        except Exception as error:  # every failure is counted and the first few shown
            errors.append(str(error)[:200])
elapsed = time.perf_counter() - start
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
print(json.dumps({
    "replicas": len(enrollments), "changes_per_replica": per_replica, "concurrency": concurrency,
    "seconds": round(elapsed, 2), "changes_per_second": round(len(latencies) * per_replica / elapsed),
    "exchanges_per_second": round(len(latencies) / elapsed, 1), "p50_ms": round(pick(0.50), 1),
    "p99_ms": round(pick(0.99), 1), "errors": len(errors), "first_errors": errors[:3],
}))
