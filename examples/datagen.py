"""datagen.py - what the example generators examples/*/make_data.py share.

Each make_data.py writes one scenario: its people, roster, topics and calendar,
and its events one by one, every departure from the regular business with a
comment naming the tag it breaks or keeps. This module holds the rest, the
same for every scenario:

* DataSet: the event log (events named by a symbolic key; ids are given at
  the end, in time order) and the violations the scenario declares;
* the output: the four tables as CSV files and as a SQLite database, in the
  format of docs/data.md, and the command line
  every make_data.py has:

      python3 examples/X/make_data.py              # write the data set beside it
      python3 examples/X/make_data.py --out DIR    # ... into DIR instead
      python3 examples/X/make_data.py --expected   # the violations the scenario
                                                   # declares, one JSON line each
      python3 examples/X/make_data.py --why        # the same with the reasons

* small helpers for dates and absences.

Standard library only. A make_data.py finds this module through its own
location (the directory above it), whatever the current directory.
"""
import csv
import datetime as dt
import json
import os
import sqlite3
import sys

EVENT_COLS = ["id", "time", "type", "actor", "targets", "observers", "kind", "topic",
              "outcome", "end", "ref", "note"]
ROSTER_COLS = ["person", "name", "role", "from", "to", "areas"]
TOPIC_COLS = ["topic", "title", "category", "lead", "areas"]
CALENDAR_COLS = ["name", "kind", "from", "to"]


# ------------------------------------------------------------------ dates
def D(s):
    """The date of "YYYY-MM-DD"."""
    return dt.datetime.strptime(s, "%Y-%m-%d").date()


def week(monday):
    """The week starting on `monday` as a violation window (from, to)."""
    return (monday.isoformat(), (monday + dt.timedelta(days=7)).isoformat())


def mondays(first, last):
    """first, first + 7 days, ... up to and including last."""
    m = first
    while m <= last:
        yield m
        m += dt.timedelta(days=7)


class Absences(list):
    """(person, first day, last day) of every absence, appended by the scenario;
    used to keep the regular business realistic (nobody talks or meets while
    away)."""

    def has(self, person, day):
        """Is `person` away on `day`?"""
        return any(q == person and f <= day <= t for (q, f, t) in self)

    def present(self, people, day, without=()):
        """`people` but those away on `day` and those in `without`, in order."""
        return [p for p in people if p not in without and not self.has(p, day)]


# ------------------------------------------------------------------ the log
class DataSet:
    """The events and the declared violations of one scenario.

    id_format numbers the events of a unit in time order ("E%04d" gives E0001,
    ...). With `units` (a list of unit names) every table gets a `unit` column
    and every unit numbers its events from 1; without, the single unit is ""
    and no table has a unit column. Keys, refs and triggers name events of the
    same unit."""

    def __init__(self, dbname, id_format="%04d", units=None):
        self.dbname = dbname
        self.id_format = id_format
        self.unit_column = units is not None
        self.units = list(units) if units is not None else [""]
        self.events = {u: [] for u in self.units}
        self.keys = {u: set() for u in self.units}
        self.expected = []

    def ev(self, key, time, type_, actor="", targets=(), observers=(), kind="", topic=(),
           outcome="", end="", ref="", note="", unit=""):
        """Add one event; `ref` names another event of the unit by its key."""
        assert key not in self.keys[unit], key
        self.keys[unit].add(key)
        self.events[unit].append(dict(key=key, time=time, type=type_, actor=actor,
                                      targets=list(targets), observers=list(observers),
                                      kind=kind, topic=list(topic), outcome=outcome, end=end,
                                      ref=ref, note=note))
        return key

    def violation(self, tag, subjects, trigger=None, window=None, why="", unit=""):
        """Declare an intended violation: `trigger` an event key, or `window`
        a (from, to) pair of dates; subjects are event keys or plain ids."""
        self.expected.append(dict(unit=unit, tag=tag, subjects=sorted(subjects),
                                  trigger=trigger, window=window, why=why))

    def consultation(self, key, time, actor, targets, topics, outcome="agree", note="",
                     unit=""):
        return self.ev(key, time, "consultation", actor, targets, topic=topics,
                       outcome=outcome, note=note, unit=unit)

    def discussion(self, key, time, actor, targets, topics, note, unit=""):
        """a 讨论会 convened by actor (O8)"""
        return self.ev(key, time, "meeting", actor, targets, kind="讨论会", topic=topics,
                       note=note, unit=unit)

    # -------------------------------------------------------------- output
    def finish(self):
        """The ids {(unit, key): id} and the rows of the events table."""
        ids = {}
        rows = []
        for u in self.units:
            evs = sorted(self.events[u], key=lambda e: (e["time"], e["key"]))
            for n, e in enumerate(evs, 1):
                ids[(u, e["key"])] = self.id_format % n
            for e in evs:
                ref = e["ref"]
                if ref:
                    assert (u, ref) in ids, ref
                    ref = ids[(u, ref)]
                row = [ids[(u, e["key"])], e["time"], e["type"], e["actor"],
                       ";".join(e["targets"]), ";".join(e["observers"]), e["kind"],
                       ";".join(e["topic"]), e["outcome"], e["end"], ref, e["note"]]
                rows.append([u] + row if self.unit_column else row)
        return ids, rows

    def tables(self, roster, topics, calendar):
        """{name: (columns, rows)}; roster, topics and calendar rows are given
        whole (with their unit first when the data set has a unit column)."""
        ids, ev_rows = self.finish()
        unit = ["unit"] if self.unit_column else []
        return ids, {"events": (unit + EVENT_COLS, ev_rows),
                     "roster": (unit + ROSTER_COLS, [list(r) for r in roster]),
                     "topics": (unit + TOPIC_COLS, [list(t) for t in topics]),
                     "calendar": (unit + CALENDAR_COLS, [list(c) for c in calendar])}

    def _subjects(self, ids, v):
        u = v["unit"]
        return [ids[(u, s)] if s in self.keys[u] else s for s in v["subjects"]]

    def expected_lines(self, ids):
        """The declared violations as sorted JSON lines (zhidu's jsonl fields
        that identify a violation)."""
        out = []
        for v in self.expected:
            u = v["unit"]
            o = {"unit": u, "tags": [v["tag"]], "subjects": sorted(self._subjects(ids, v))}
            if v["trigger"]:
                o["trigger"] = ids[(u, v["trigger"])]
            else:
                o["window"] = {"from": v["window"][0] + "T00:00:00+08:00",
                               "to": v["window"][1] + "T00:00:00+08:00"}
            out.append(json.dumps(o, ensure_ascii=False, sort_keys=True))
        return sorted(out)

    def why_lines(self, ids):
        """The declared violations with their reasons, in declaration order."""
        out = []
        for v in self.expected:
            u = v["unit"]
            trig = ids[(u, v["trigger"])] if v["trigger"] else "%s..%s" % v["window"]
            fields = [v["tag"], trig, ",".join(self._subjects(ids, v)), v["why"]]
            out.append("\t".join(([u] if self.unit_column else []) + fields))
        return out

    def main(self, script, roster, topics, calendar, argv=None):
        """The command line of a make_data.py (`script` is its __file__)."""
        argv = sys.argv[1:] if argv is None else argv
        ids, tabs = self.tables(roster, topics, calendar)
        if "--expected" in argv:
            for line in self.expected_lines(ids):
                print(line)
            return
        if "--why" in argv:
            for line in self.why_lines(ids):
                print(line)
            return
        out = os.path.dirname(os.path.abspath(script))
        if "--out" in argv:
            out = argv[argv.index("--out") + 1]
        write(out, self.dbname, tabs)


def named_roster(roster, names):
    """Roster rows (person, role, from, to, areas) with the person's name
    (from `names`) put after the person."""
    return [[p, names[p], role, f, t, a] for (p, role, f, t, a) in roster]


def write(outdir, dbname, tabs):
    """Write every table as outdir/NAME.csv and all of them to outdir/dbname
    (SQLite, TEXT columns, an empty value as NULL)."""
    for name, (cols, rows) in tabs.items():
        with open(os.path.join(outdir, name + ".csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(cols)
            w.writerows(rows)
    db = os.path.join(outdir, dbname)
    if os.path.exists(db):
        os.remove(db)
    c = sqlite3.connect(db)
    c.execute("PRAGMA journal_mode=MEMORY")
    c.execute("PRAGMA synchronous=OFF")
    for name, (cols, rows) in tabs.items():
        c.execute('CREATE TABLE "%s" (%s)' % (name, ", ".join('"%s" TEXT' % x for x in cols)))
        c.executemany('INSERT INTO "%s" VALUES (%s)' % (name, ", ".join("?" * len(cols))),
                      [[v if v != "" else None for v in r] for r in rows])
    c.commit()
    c.execute("VACUUM")
    c.close()
