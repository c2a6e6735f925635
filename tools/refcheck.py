#!/usr/bin/env python3
"""refcheck.py - an independent reading of the regulation's checks.

Reads a data set (a directory of CSV files or a SQLite database, see
docs/data.md) and prints the violations that docs/regulation.md (§2) defines,
one JSON object per line:

    {"unit": "", "tags": ["O1"], "subjects": ["p01", "p02"],
     "window": {"from": "...+08:00", "to": "...+08:00"}}
    {"unit": "", "tags": ["O9"], "subjects": ["p03"], "trigger": "e17"}

Lines are sorted, one per identity (unit, tag, window or trigger, set of
subjects). Standard library only. This checker is written from docs/regulation.md
and docs/data.md alone, as a second reading for differential testing of
zhidu; it shares no code with zhidu.

usage: refcheck.py DATA [--from TIME] [--as-of TIME] [--on-bad-row skip]
       [--o9-hours H] [--o10-hours H] [--o15-days D]
"""
import argparse
import calendar as _cal
import csv
import json
import os
import re
import sqlite3
import sys

LOCAL = 8 * 3600          # Asia/Shanghai, no daylight saving
DAY = 86400
WEEK = 7 * DAY
INF = float("inf")
NINF = float("-inf")
REG_ID = "师党〔2018〕12号"

TABLES = ("events", "roster", "topics", "calendar")
TYPES = frozenset(("communication", "meeting", "consultation", "directive", "incident",
                   "delay", "report", "plan", "approval", "implementation", "absence",
                   "leave_request", "handover", "delegation"))

_TS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})"
                 r"(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$")


def parse_time(s):
    """ISO 8601 subset of the contract -> seconds since the epoch (UTC), or None."""
    if s is None:
        return None
    m = _TS.match(s)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12) or not (1 <= d <= _cal.monthrange(y, mo)[1]) or y < 1:
        return None
    hh = int(m.group(4)) if m.group(4) else 0
    mi = int(m.group(5)) if m.group(5) else 0
    ss = int(m.group(6)) if m.group(6) else 0
    if hh > 23 or mi > 59 or ss > 59:
        return None
    off = LOCAL
    z = m.group(7)
    if z == "Z":
        off = 0
    elif z:
        oh, om = int(z[1:3]), int(z[4:6])
        if oh > 23 or om > 59:
            return None
        off = (oh * 3600 + om * 60) * (1 if z[0] == "+" else -1)
    days = days_from_civil(y, mo, d)
    return days * DAY + hh * 3600 + mi * 60 + ss - off


def days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return (y + (m <= 2), m, d)


def local_day(t):
    """number of the local (UTC+8) day holding instant t"""
    return (t + LOCAL) // DAY


def day_start(day):
    return day * DAY - LOCAL


def weekday(t):
    """0 = Monday, local"""
    return (local_day(t) + 3) % 7


def first_monday_at_or_after(t):
    d = local_day(t)
    start = day_start(d)
    if start < t:
        d += 1
    while (d + 3) % 7 != 0:
        d += 1
    return day_start(d)


def rfc3339(t):
    t = int(t)
    lt = t + LOCAL
    d, s = divmod(lt, DAY)
    y, m, dd = civil_from_days(d)
    return "%04d-%02d-%02dT%02d:%02d:%02d+08:00" % (y, m, dd, s // 3600, s // 60 % 60, s % 60)


def lst(v):
    """a list cell: split on ';', empty items dropped, nothing trimmed"""
    if v is None:
        return []
    return [x for x in v.split(";") if x != ""]


# ---------------------------------------------------------------- loading

def _norm(v):
    if v is None:
        return None
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    v = str(v)
    return v if v != "" else None


def load(path):
    """-> {table: (has_unit_column, [row dict])}; missing cells are None"""
    out = {}
    if os.path.isdir(path):
        for name in TABLES:
            fn = os.path.join(path, name + ".csv")
            if not os.path.exists(fn):
                out[name] = (False, [])
                continue
            with open(fn, encoding="utf-8-sig", newline="") as f:
                r = csv.reader(f)
                try:
                    header = next(r)
                except StopIteration:
                    out[name] = (False, [])
                    continue
                rows = []
                for rec in r:
                    if rec == []:
                        continue
                    row = {}
                    for i, h in enumerate(header):
                        if h not in row or row[h] is None:
                            row[h] = _norm(rec[i]) if i < len(rec) else None
                    rows.append(row)
                out[name] = ("unit" in header, rows)
    else:
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        for name in TABLES:
            try:
                cur = db.execute('SELECT * FROM "%s"' % name)
            except sqlite3.Error:
                out[name] = (False, [])
                continue
            cols = [c[0] for c in cur.description]
            rows = [{c: _norm(v) for c, v in zip(cols, rec)} for rec in cur]
            out[name] = ("unit" in cols, rows)
        db.close()
    return out


class Event:
    __slots__ = ("idx", "id", "time", "type", "actor", "targets", "observers",
                 "kind", "topic", "outcome", "end", "ref")

    def __init__(self, idx, row):
        self.idx = idx
        self.id = row.get("id")
        self.time = parse_time(row.get("time"))
        self.type = row.get("type")
        self.actor = row.get("actor")
        self.targets = lst(row.get("targets"))
        self.observers = lst(row.get("observers"))
        self.kind = row.get("kind")
        self.topic = lst(row.get("topic"))
        self.outcome = row.get("outcome")
        self.end = parse_time(row.get("end"))
        self.ref = row.get("ref")

    def bad(self, row):
        """a bad row (skipped with --on-bad-row skip): no id, no readable time,
        a type outside the contract's closed set, an unreadable end"""
        return (self.id is None or self.time is None or self.type not in TYPES or
                (row.get("end") is not None and self.end is None))


class Roster:
    def __init__(self, rows):
        self.rows = []     # (person, role, from, to, areas)
        for r in rows:
            p = r.get("person")
            role = r.get("role")
            if p is None or role is None:
                continue
            f = r.get("from")
            t = r.get("to")
            ft = NINF if f is None else parse_time(f)
            tt = INF if t is None else parse_time(t)
            if ft is None or tt is None:
                continue   # unreadable: a bad row
            self.rows.append((p, role, ft, tt, lst(r.get("areas"))))
        self._cache = {}

    def at(self, roles, t):
        key = (roles, t)
        c = self._cache.get(key)
        if c is None:
            c = frozenset(p for (p, role, f, to, _) in self.rows
                          if role in roles and f <= t < to)
            self._cache[key] = c
        return c

    def whole(self, roles, a, b):
        return frozenset(p for (p, role, f, to, _) in self.rows
                         if role in roles and f <= a and to >= b)

    def areas(self, x, t):
        s = set()
        for (p, role, f, to, ar) in self.rows:
            if p == x and role == "班子成员" and f <= t < to:
                s.update(ar)
        return s


S_ = ("书记",)
P_ = ("校长",)
M_ = ("班子成员",)
D_ = ("党委办公室主任", "校长办公室主任")
L_ = ("书记", "校长")


def communicate(e, x, y):
    return (e.actor is not None and
            ((e.actor == x and y in e.targets) or (e.actor == y and x in e.targets)))


# ---------------------------------------------------------------- checks

def check_unit(unit, events, roster, topics, cal, opts, out):
    def viol(tag, subjects, window=None, trigger=None):
        key = (unit, tag,
               ("w", window[0], window[1]) if window is not None else ("t", trigger),
               frozenset(subjects))
        out.add(key)

    times = [e.time for e in events if e.time is not None]
    if not times:
        return
    R0 = opts.r0 if opts.r0 is not None else day_start(local_day(min(times)))
    R1 = opts.r1 if opts.r1 is not None else max(times)
    ev = [e for e in events if e.time is not None and R0 <= e.time <= R1]
    ev.sort(key=lambda e: (e.time, e.idx))
    bytype = {}
    for e in ev:
        bytype.setdefault(e.type, []).append(e)

    def of(t):
        return bytype.get(t, [])

    byref = {}
    for e in ev:
        if e.ref is not None:
            byref.setdefault((e.type, e.ref), []).append(e)

    def refs(typ, ref):
        if ref is None:
            return []
        return byref.get((typ, ref), [])

    cons_by_topic = {}
    for c in of("consultation"):
        for T in set(c.topic):
            cons_by_topic.setdefault(T, []).append(c)

    vac = []
    semesters = []
    anchors = set()
    for r in cal:
        k = r.get("kind")
        # a missing bound is open (like the roster's); an unreadable one is a bad row
        f = NINF if r.get("from") is None else parse_time(r.get("from"))
        t = INF if r.get("to") is None else parse_time(r.get("to"))
        if f is None or t is None:
            continue
        if k == "vacation":
            vac.append((f, t))
        elif k == "semester":
            semesters.append((f, t))
        elif k == "cycle-anchor" and f != NINF:
            anchors.add(f)
    anchors = sorted(anchors)

    def overlaps_vac(a, b):
        return any(f < b and a < t for (f, t) in vac)

    def judged(a, b):
        return R0 <= a and b <= R1

    # O1 ---------------------------------------------------------------
    comms = of("communication") + of("consultation")
    a = first_monday_at_or_after(R0)
    while a + WEEK <= R1:
        b = a + WEEK
        if not overlaps_vac(a, b):
            Ss = roster.whole(S_, a, b)
            Ps = roster.whole(P_, a, b)
            wk = [e for e in comms if a <= e.time < b]
            for s in Ss:
                for p in Ps:
                    if not any(communicate(e, s, p) for e in wk):
                        viol("O1", {s, p}, window=(a, b))
        a = b

    # O2 ---------------------------------------------------------------
    huddles = [e for e in of("meeting") if e.kind == "领导班子碰头会"]
    M0 = first_monday_at_or_after(R0)
    origins = []
    if not anchors or M0 < anchors[0]:
        origins.append((M0, anchors[0] if anchors else INF))
    for i, A in enumerate(anchors):
        origins.append((A, anchors[i + 1] if i + 1 < len(anchors) else INF))
    for (O, N) in origins:
        a = O
        while a < N and a + 14 * DAY <= R1:
            b = a + 14 * DAY
            if a >= R0 and not overlaps_vac(a, b):
                if not any(a <= e.time < b for e in huddles):
                    viol("O2", set(), window=(a, b))
            a = b

    # O2.monday, O3 ----------------------------------------------------
    for e in huddles:
        if weekday(e.time) != 0:
            viol("O2.monday", set(), trigger=e.id)
        allowed = roster.at(M_, e.time) | roster.at(D_, e.time)
        people = set(e.targets) | set(e.observers)
        if e.actor is not None:
            people.add(e.actor)
        for x in people:
            if x not in allowed:
                viol("O3", {x}, trigger=e.id)

    # O4 - O8 ----------------------------------------------------------
    for e in of("meeting"):
        if e.kind not in ("党委常委会", "党委全委会", "校长办公会"):
            continue
        t = e.time
        Ss = roster.at(S_, t)
        Ps = roster.at(P_, t)
        for T in set(e.topic):
            before = [c for c in cons_by_topic.get(T, []) if c.time <= t]
            # O4 / O5
            if Ss and Ps:
                if e.kind in ("党委常委会", "党委全委会"):
                    ok = any(c.actor in Ss and set(c.targets) & Ps for c in before)
                    if not ok:
                        viol("O4", {T}, trigger=e.id)
                else:
                    ok = any(c.actor in Ps and set(c.targets) & Ss for c in before)
                    if not ok:
                        viol("O5", {T}, trigger=e.id)
            # O6
            if before:
                latest = max(before, key=lambda c: (c.time, c.idx))
                if latest.outcome == "disagree":
                    viol("O6", {T}, trigger=e.id)
            row = topics.get(T)
            if row is None:
                continue
            cats = lst(row.get("category"))
            lead = row.get("lead")
            if lead is None:
                continue
            if "三重一大" in cats:
                tareas = set(lst(row.get("areas")))
                for x in roster.at(M_, t):
                    if x == lead:
                        continue
                    if not (roster.areas(x, t) & tareas):
                        continue
                    if not any(c.actor == lead and x in c.targets for c in before):
                        viol("O7", {T, x}, trigger=e.id)
            if "长远发展" in cats or "师生权益" in cats:
                if not any(d.kind == "讨论会" and d.actor == lead and T in d.topic
                           and d.time <= t for d in of("meeting")):
                    viol("O8", {T}, trigger=e.id)

    # O9 ---------------------------------------------------------------
    h9 = opts.o9_hours * 3600
    for e in of("delay"):
        if e.actor is None:
            continue
        L = roster.at(L_, e.time)
        if not L:
            continue
        met = any(r.actor == e.actor and set(r.targets) & L and e.time <= r.time <= e.time + h9
                  for r in refs("report", e.id))
        if not met and e.time + h9 <= R1:
            viol("O9", {e.actor}, trigger=e.id)

    # O10 --------------------------------------------------------------
    h10 = opts.o10_hours * 3600
    for e in of("incident"):
        if e.actor is None:
            continue
        reps = [r for r in refs("report", e.id)
                if r.actor == e.actor and e.time <= r.time <= e.time + h10]
        for y in roster.at(L_, e.time):
            if y == e.actor:
                continue
            met = any(y in r.targets for r in reps)
            if not met and e.time + h10 <= R1:
                viol("O10", {e.actor, y}, trigger=e.id)

    # O11 --------------------------------------------------------------
    for i in of("implementation"):
        if i.ref is None:
            viol("O11", set(), trigger=i.id)
            continue
        ok = any(a.outcome == "approved" and a.actor is not None and
                 a.actor in roster.at(L_, a.time) and a.time <= i.time
                 for a in refs("approval", i.ref))
        if not ok:
            viol("O11", {i.ref}, trigger=i.id)

    # O12, O13 ---------------------------------------------------------
    talks = [e for e in of("communication") if e.kind == "谈心谈话"]
    for (a, b) in set(semesters):
        if not judged(a, b):
            continue
        st = [e for e in talks if a <= e.time < b]
        pairs = set()
        for e in st:
            if e.actor is None:
                continue
            for y in e.targets:
                pairs.add(frozenset((e.actor, y)))
        Mw = roster.whole(M_, a, b)
        for y in roster.whole(S_, a, b) | roster.whole(P_, a, b):
            for x in Mw:
                if x != y and frozenset((x, y)) not in pairs:
                    viol("O12", {x, y}, window=(a, b))
        Ml = sorted(Mw)
        for i in range(len(Ml)):
            for j in range(i + 1, len(Ml)):
                if frozenset((Ml[i], Ml[j])) not in pairs:
                    viol("O13", {Ml[i], Ml[j]}, window=(a, b))

    # O14, O15 ---------------------------------------------------------
    d15 = opts.o15_days * DAY
    for e in of("absence"):
        if e.actor is None:
            continue
        t = e.time
        L = roster.at(L_, t)
        M = roster.at(M_, t)
        if e.actor in L:
            hs = [h for h in refs("handover", e.id) if h.actor == e.actor and h.time <= t]
            for y in L:
                if y != e.actor and not any(y in h.targets for h in hs):
                    viol("O14", {e.actor, y}, trigger=e.id)
        elif e.actor in M:
            ok = False
            for q in refs("leave_request", e.id):
                if q.actor != e.actor or q.id is None:
                    continue
                if any(a.outcome == "approved" and a.actor is not None and
                       a.actor in roster.at(L_, a.time) and a.time <= t
                       for a in refs("approval", q.id)):
                    ok = True
                    break
            if not ok:
                viol("O15.leave", {e.actor}, trigger=e.id)
            if e.end is not None and e.end - t >= d15:
                others = M - {e.actor}
                if others:
                    if not any(d.time <= t and set(d.targets) & others
                               for d in refs("delegation", e.id)):
                        viol("O15.delegation", {e.actor}, trigger=e.id)

    # O16 --------------------------------------------------------------
    y0 = civil_from_days(local_day(R0))[0]
    y1 = civil_from_days(local_day(R1))[0]
    for y in range(y0, y1 + 1):
        a = day_start(days_from_civil(y, 1, 1))
        b = day_start(days_from_civil(y + 1, 1, 1))
        if not judged(a, b):
            continue
        for tag, kind in (("O16.life", "民主生活会"), ("O16.report", "述职述廉会")):
            if not any(m.kind == kind and REG_ID in m.topic and a <= m.time < b
                       for m in of("meeting")):
                viol(tag, set(), window=(a, b))

    # O17 --------------------------------------------------------------
    boards = [m for m in of("meeting") if m.kind in ("党委常委会", "校长办公会")]
    for e in of("directive"):
        nxt = None
        for m in boards:          # sorted by (time, input order)
            if m.time > e.time:
                nxt = m
                break
        if nxt is None:
            continue              # pending
        ids = set(e.topic)
        if not (ids & set(nxt.topic)):
            viol("O17", ids, trigger=e.id)


def run(path, opts):
    data = load(path)
    ev_unit, ev_rows = data["events"]
    events_by_unit = {}
    for i, row in enumerate(ev_rows):
        e = Event(i, row)
        if e.bad(row):
            continue
        u = (row.get("unit") or "") if ev_unit else ""
        events_by_unit.setdefault(u, []).append(e)
    out = set()
    for unit, events in events_by_unit.items():
        def rows_for(name, shared_empty):
            has, rows = data[name]
            if not has:
                return rows
            res = []
            for r in rows:
                u = r.get("unit") or ""
                if u == unit or (shared_empty and u == ""):
                    res.append(r)
            return res
        roster = Roster(rows_for("roster", False))
        topics = {}
        for r in rows_for("topics", False):
            if r.get("topic") is not None:
                topics[r["topic"]] = r
        cal = rows_for("calendar", True)
        check_unit(unit, events, roster, topics, cal, opts, out)
    lines = []
    for (unit, tag, wt, subj) in out:
        o = {"unit": unit, "tags": [tag], "subjects": sorted(subj)}
        if wt[0] == "w":
            o["window"] = {"from": rfc3339(wt[1]), "to": rfc3339(wt[2])}
        else:
            o["trigger"] = wt[1]
        lines.append(json.dumps(o, ensure_ascii=False, sort_keys=True))
    lines.sort()
    return lines


def main(argv):
    ap = argparse.ArgumentParser(description="independent checker for 师党〔2018〕12号")
    ap.add_argument("data")
    ap.add_argument("--from", dest="frm")
    ap.add_argument("--as-of", dest="asof")
    ap.add_argument("--on-bad-row", choices=("stop", "skip"), default="skip",
                    help="accepted for symmetry with zhidu; bad rows are always skipped")
    ap.add_argument("--o9-hours", type=float, default=72)
    ap.add_argument("--o10-hours", type=float, default=2)
    ap.add_argument("--o15-days", type=float, default=3)
    opts = ap.parse_args(argv)
    opts.r0 = opts.r1 = None
    if opts.frm is not None:
        opts.r0 = parse_time(opts.frm)
        if opts.r0 is None:
            ap.error("bad --from time")
    if opts.asof is not None:
        opts.r1 = parse_time(opts.asof)
        if opts.r1 is None:
            ap.error("bad --as-of time")
    for line in run(opts.data, opts):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
