"""The size of an SQLite database for the storage figures of Benchmarks/scripts.

measure(path) checkpoints the WAL, vacuums, and returns the file's bytes (pages times page size)
and the bytes of each table and index (SQLite's dbstat; empty when dbstat is not compiled in).
"""
import sqlite3


def measure(path):
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("VACUUM")
    size = db.execute("PRAGMA page_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]
    try:
        parts = dict(db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall())
    except sqlite3.OperationalError:
        parts = {}
    db.close()
    return size, parts
