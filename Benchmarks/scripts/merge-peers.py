"""Merge throughput of two CRDT libraries doing what MergeCost does: N proposal records (title,
~1 KB Arabic body, category, status, commune, created-at) written in one document, exported as
one update, then applied to an empty document; only the apply is timed. In memory, no disk.
Usage: python3 merge-peers.py N"""
import sys
import time

import loro
import pycrdt

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
body = "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية وإنارة موفرة للطاقة. " * 6


def record(i):
    return {"title": f"مقترح رقم {i}", "body": body, "category": "urbanisme", "status": "submitted",
            "commune": "tamanar", "created_at": 1_764_380_000_000 + i}


def pycrdt_apply():
    source = pycrdt.Doc()
    proposals = source.get("proposals", type=pycrdt.Map)
    with source.transaction():
        for i in range(count):
            proposals[f"p{i}"] = pycrdt.Map(record(i))
    update = source.get_update()
    target = pycrdt.Doc()
    target.get("proposals", type=pycrdt.Map)
    start = time.perf_counter()
    target.apply_update(update)
    elapsed = time.perf_counter() - start
    assert len(target.get("proposals", type=pycrdt.Map)) == count
    return elapsed, len(update)


def loro_apply():
    source = loro.LoroDoc()
    proposals = source.get_map("proposals")
    for i in range(count):
        item = proposals.insert_container(f"p{i}", loro.LoroMap())
        for key, value in record(i).items():
            item.insert(key, value)
    source.commit()
    update = source.export(loro.ExportMode.Updates(loro.VersionVector()))
    target = loro.LoroDoc()
    start = time.perf_counter()
    target.import_(update)
    elapsed = time.perf_counter() - start
    assert len(target.get_map("proposals")) == count
    return elapsed, len(update)


for name, run in [("pycrdt " + pycrdt.__version__, pycrdt_apply), ("loro", loro_apply)]:
    elapsed, size = run()
    print(f"{name}: apply {count} records: {elapsed:.3f} s, {count / elapsed:.0f} records/s (update {size} bytes)")
