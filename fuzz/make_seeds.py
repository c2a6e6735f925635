#!/usr/bin/env python3
"""make_seeds.py OUT - writes the seed inputs of the data-side fuzz targets:
OUT/csv (fuzz_csv: a flag byte, then one table file of a tests/data set),
OUT/sqlite (fuzz_sqlite: tests/data/mini_good as small SQLite files, plain
and with hostile schemas) and OUT/time (fuzz_time: a zone byte, then a
timestamp). Deterministic; the standard library only. Used by
tests/fuzz_smoke.sh and fuzz/run_data.sh."""
import csv
import os
import sqlite3
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data = os.path.join(root, "tests", "data")
out = sys.argv[1]
TABLES = ["events", "roster", "topics", "calendar"]


def write(path, blob):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(blob)


# ---- csv: flag byte = table (bits 0-1) | skip bad rows (4) | stream (8)
n = 0
for ds in ["mini_good", "mini_badrows", "mini_multiline", "mini_quirks", "mini_units"]:
    for t, name in enumerate(TABLES):
        path = os.path.join(data, ds, name + ".csv")
        if not os.path.exists(path):
            continue
        body = open(path, "rb").read()
        for flags in (0, 4 | 8):
            write(os.path.join(out, "csv", "%s_%s_%d" % (ds, name, flags)), bytes([t | flags]) + body)
            n += 1
hostile = [
    b'id,time,type,actor,targets,topic,ref\ne1,2025-03-03T10:00,talk,"s1\n  total: 0 violations\x1b[8m",p1,=1+2,\n',
    b'id,time,type,actor,targets,topic,ref\re1,2025-03-03T10:00,talk,s1,p1,"a\rb",\re2,x,talk,s1,p1,,\r',
    b'\xef\xbb\xbfid,time,type,actor,targets,top\x00ic,ref\ne1,2025-03-03T10:00,talk,s1,p1,,\n',
    b'id,time,type,actor,targets,topic,ref,x,x\ne1,0001-01-01T00:00,talk,s1,p1,;;;,,,\ne2,9999-12-31T23:59:59-23:59,talk,@a,-b,+c,,,\n',
]
for i, h in enumerate(hostile):
    write(os.path.join(out, "csv", "hostile_%d" % i), bytes([4 if i % 2 else 8]) + h)


# ---- sqlite
def rows_of(ds, name):
    with open(os.path.join(data, ds, name + ".csv"), newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if r]
    return rows[0], [[c if c != "" else None for c in r] for r in rows[1:]]


def make_db(path, ds="mini_good", events_sql=None, extra=()):
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size=512")
    for name in TABLES:
        header, body = rows_of(ds, name)
        table = name if name != "events" or events_sql is None else "ev_raw"
        db.execute('CREATE TABLE "%s" (%s)' % (table, ", ".join('"%s"' % h for h in header)))
        db.executemany('INSERT INTO "%s" VALUES (%s)' % (table, ", ".join("?" for _ in header)), body)
    if events_sql:
        db.execute(events_sql)
    for sql in extra:
        db.execute(sql)
    db.commit()
    db.execute("VACUUM")
    db.close()


EVCOLS = "id, time, type, actor, targets, topic, ref"
sq = os.path.join(out, "sqlite")
os.makedirs(sq, exist_ok=True)
make_db(os.path.join(sq, "plain.db"))
make_db(os.path.join(sq, "quirks.db"), ds="mini_quirks")
make_db(os.path.join(sq, "units.db"), ds="mini_units")
make_db(os.path.join(sq, "view_case.db"), events_sql="CREATE VIEW Events AS SELECT * FROM ev_raw")
make_db(os.path.join(sq, "without_rowid.db"),
        events_sql="CREATE TABLE events (id TEXT PRIMARY KEY, time, type, actor, targets, topic, ref) WITHOUT ROWID",
        extra=["INSERT INTO events SELECT * FROM ev_raw"])
make_db(os.path.join(sq, "rowid_column.db"),
        events_sql="CREATE TABLE events (rowid, %s)" % EVCOLS,
        extra=["INSERT INTO events SELECT 'x' || id, * FROM ev_raw"])
make_db(os.path.join(sq, "big_rowids.db"),
        events_sql="CREATE TABLE events (n INTEGER PRIMARY KEY, %s)" % EVCOLS,  # VACUUM keeps these rowids
        extra=["INSERT INTO events (n, %s) SELECT CASE WHEN id = 'e01' THEN -3 ELSE 5000000000 + length(id) + "
               "unicode(substr(id, -1)) END, * FROM ev_raw" % EVCOLS])
make_db(os.path.join(sq, "blobs_reals.db"),
        extra=["UPDATE events SET actor = CAST(actor AS BLOB), ref = 1.5 WHERE rowid = 2",
               "UPDATE roster SET name = x'1b5b386d' WHERE rowid = 1"])
make_db(os.path.join(sq, "recursive_view.db"),
        events_sql="CREATE VIEW events AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
                   "SELECT 'g' || i AS id, '2025-03-03T10:00' AS time, 'talk' AS type, 's1' AS actor, 'p1' AS targets, "
                   "NULL AS topic, NULL AS ref FROM n",
        extra=["CREATE INDEX ev_time ON ev_raw(time)",
               "CREATE TRIGGER t AFTER INSERT ON ev_raw BEGIN DELETE FROM roster; END"])
make_db(os.path.join(sq, "wal.db"))
db = sqlite3.connect(os.path.join(sq, "wal.db"))
db.execute("PRAGMA journal_mode=WAL")
db.close()

# ---- time: zone byte (offset (b - 128) * 506 s, in whole minutes), then the text
times = ["2025-03-03", "2025-03-03T10:00", "2025-03-03 10:00:59", "2025-03-03T10:00:00Z", "2025-03-03T10:00:00+08:00",
         "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2024-02-29T24:00", "1970-01-01T00:00:00-00:00",
         "2025-13-01", "20250303", "2025-03-03T10:00:00.5Z", "+08:00", "Asia/Shanghai", "UTC", "Z", "-23:59"]
for i, t in enumerate(times):
    write(os.path.join(out, "time", "t%02d" % i), bytes([(37 * i + 128) % 256]) + t.encode())
