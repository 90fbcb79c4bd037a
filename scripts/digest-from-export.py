#!/usr/bin/env python3
"""Recomputes a replica's state digest from its canonical JSON export, independently of the engine.

    replica-node export --format json --db replica.sqlite | scripts/digest-from-export.py
    hub-server export --db hub.sqlite --format json | scripts/digest-from-export.py

Each record's hash is SHA-256 of its table name, a newline, and its canonical line (keys sorted,
no white space, UTF-8, minimal escaping); the digest is SHA-256 of
"essaouira-state-v1 schema <version>\\n" followed by the sum of the record hashes modulo 2**256
as 32 big-endian bytes. The output must equal `replica-node digest` / `hub-server digest`.
"""
import hashlib
import json
import sys


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def main():
    state = json.load(sys.stdin)
    total = 0
    for table, rows in state["tables"].items():
        for row in rows:
            digest = hashlib.sha256(table.encode("utf-8") + b"\n" + canonical(row)).digest()
            total = (total + int.from_bytes(digest, "big")) % (1 << 256)
    label = f"essaouira-state-v1 schema {state['schema']}\n".encode("utf-8")
    print(hashlib.sha256(label + total.to_bytes(32, "big")).hexdigest())


if __name__ == "__main__":
    main()
