#!/usr/bin/env python3
"""mkdb.py OUT.db [--csv DIR | --csv-text DIR] [--sql SCRIPT]... - builds a
SQLite data set for tests/run_data.sh (OUT.db is replaced).

--csv DIR       loads every DIR/*.csv as a table named after the file, one
                column per header name, declared without a type (so values
                keep the storage class they are inserted with); rows in file
                order (rowid N = the N-th data row); blank lines skipped; an
                empty cell becomes NULL.
--csv-text DIR  the same, but an empty cell stays the empty text ''.
--sql SCRIPT    runs an SQL script (DROP, ALTER, UPDATE, INSERT, CREATE VIEW,
                ...) once the tables are loaded.
"""
import csv
import glob
import os
import sqlite3
import sys


def load_csv(db, directory, empty):
    for path in sorted(glob.glob(os.path.join(directory, "*.csv"))):
        table = os.path.splitext(os.path.basename(path))[0]
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [r for r in csv.reader(f) if r]
        header, body = rows[0], rows[1:]
        cols = ", ".join('"%s"' % h.replace('"', '""') for h in header)
        db.execute('CREATE TABLE "%s" (%s)' % (table.replace('"', '""'), cols))
        marks = ", ".join("?" for _ in header)
        db.executemany('INSERT INTO "%s" VALUES (%s)' % (table.replace('"', '""'), marks),
                       [[c if c != "" else empty for c in r] for r in body])


def main(argv):
    if len(argv) < 1 or len(argv) % 2 != 1:
        sys.exit(__doc__)
    out, args = argv[0], argv[1:]
    if os.path.exists(out):
        os.remove(out)
    db = sqlite3.connect(out)
    for opt, val in zip(args[::2], args[1::2]):
        if opt == "--csv":
            load_csv(db, val, None)
        elif opt == "--csv-text":
            load_csv(db, val, "")
        elif opt == "--sql":
            db.executescript(val)
        else:
            sys.exit("mkdb.py: unknown option " + opt)
    db.commit()
    db.close()


main(sys.argv[1:])
