#!/usr/bin/env python3
"""gen_data.py - random but realistic data sets for 师党〔2018〕12号.

Writes a data set in exactly the format of docs/data.md: a directory of CSV
files (--out)
and/or a SQLite database with the same content (--sqlite).

    gen_data.py --seed 7 --out DIR [--sqlite FILE] [--units N] [--events N]
                [--start 2025-02-24] [--weeks 26]

The data mostly keeps the regulation and breaks it now and then, and it walks
the edges the contract allows: periods starting exactly at Monday 00:00, a new
书记 or 校长 part way through, back-to-back roster rows, vacations, several
cycle anchors (shared and per unit), timestamps with and without offsets (Z,
+08:00, other offsets, date-only, 'T' or space, with or without seconds), CRLF
and LF, a byte-order mark, random column order and extra columns, quoted
fields with commas, quotes and newlines, lists with empty items, missing
values (NULL or '' in SQLite), unknown kinds and categories, refs to missing
events, topics without rows and with duplicate rows, observers who are not
members, absences with and without end, ids with spaces, commas, quotes,
backslashes, tabs and newlines, tables without a unit column (shared by every
unit), rows of unit "" and a unit "", tables with no rows, SQLite views, a last
line without its line end. No two events of a unit share a timestamp; event
ids are unique; only the event types of the contract are used (unless
--bad-rows). The same seed gives the same data whichever outputs are written.

Rows are written as they are generated (streaming), so millions of events are
fine for benchmarks: --events is approximate (it sets the weekly density).
"""
import argparse
import bisect
import csv
import os
import random
import sqlite3
import sys

LOCAL = 8 * 3600
DAY = 86400
WEEK = 7 * DAY
HOUR = 3600
MIN = 60
REG_ID = "师党〔2018〕12号"

EVENT_COLS = ["id", "time", "type", "actor", "targets", "observers", "kind",
              "topic", "outcome", "end", "ref"]
ROSTER_COLS = ["person", "name", "role", "from", "to", "areas"]
TOPIC_COLS = ["topic", "title", "category", "lead", "areas"]
CAL_COLS = ["name", "kind", "from", "to"]

AREAS = ["教学", "科研", "人事", "财务", "学生工作", "后勤", "基建", "国际交流",
         "党建", "宣传", "安全稳定", "研究生"]
CATS = ["三重一大", "党建", "行政", "长远发展", "师生权益", "基建", "人事任免"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
         "杰", "涛", "明", "超", "秀英", "桂英", "建华", "志强"]
UNIT_NAMES = ["文学院", "u2", "数学与统计学院", "School of Physics", "后勤处",
              "外国语学院", "u7", "法学院", 'Dept "A", 2', "研究生院\\分部"]


# ---------------------------------------------------------------- time

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


def local_midnight(t):
    return ((t + LOCAL) // DAY) * DAY - LOCAL


def monday_of(t):
    d = (t + LOCAL) // DAY
    d -= (d + 3) % 7
    return d * DAY - LOCAL


def parse_date(s):
    y, m, d = (int(x) for x in s.split("-"))
    return days_from_civil(y, m, d) * DAY - LOCAL


OTHER_OFFSETS = [0, 9 * 60, -3 * 60, 5 * 60 + 30, -(9 * 60 + 30), 1 * 60, 14 * 60, -12 * 60]


class TimeFmt:
    """formats instants in the many ways the contract allows"""

    def __init__(self, rng):
        self.rng = rng

    def _parts(self, t, off_min):
        lt = t + off_min * 60
        d, s = divmod(lt, DAY)
        y, m, dd = civil_from_days(d)
        return "%04d-%02d-%02d" % (y, m, dd), s // 3600, s // 60 % 60, s % 60

    def fmt(self, t, plain=False):
        r = self.rng.random()
        if plain:
            r = 0.3
        lsec = (t + LOCAL) % DAY
        if lsec == 0 and r < 0.35:
            return self._parts(t, 480)[0]             # date alone
        if r < 0.45:
            off = 480
            suffix = ""
        elif r < 0.65:
            off = 480
            suffix = "+08:00"
        elif r < 0.8:
            off = 0
            suffix = "Z"
        else:
            off = self.rng.choice(OTHER_OFFSETS)
            sign = "+" if off >= 0 else "-"
            suffix = "%s%02d:%02d" % (sign, abs(off) // 60, abs(off) % 60)
        date, h, mi, s = self._parts(t, off)
        sep = "T" if self.rng.random() < 0.6 else " "
        if s == 0 and self.rng.random() < 0.5:
            return "%s%s%02d:%02d%s" % (date, sep, h, mi, suffix)
        return "%s%s%02d:%02d:%02d%s" % (date, sep, h, mi, s, suffix)


# ---------------------------------------------------------------- output

class Table:
    """one table written streaming to CSV and/or SQLite"""

    def __init__(self, gen, name, cols, unit_col):
        self.gen = gen
        self.name = name
        # the table's own generators for layout choices, all drawn up front, so
        # that the content is the same whichever outputs are asked for
        rng = self.rng = random.Random("%d-%s" % (gen.a.seed, name))
        self.rng_db = random.Random("%d-%s-db" % (gen.a.seed, name))
        self.cols = list(cols)
        if unit_col:
            self.cols.append("unit")
        self.order = list(self.cols)
        if rng.random() < 0.5:
            rng.shuffle(self.order)
        self.extra = rng.random() < 0.3
        if self.extra:
            self.order.insert(rng.randrange(len(self.order) + 1), "备注")
        bom = rng.random() < 0.3
        term = "\r\n" if rng.random() < 0.5 else "\n"
        quoting = csv.QUOTE_ALL if rng.random() < 0.2 else csv.QUOTE_MINIMAL
        self.chop = rng.random() < 0.2           # no line end after the last row
        # now and then a table has a header and no rows at all
        self.mute = name in ("topics", "calendar") and rng.random() < 0.05
        dbcols = list(self.cols)
        if rng.random() < 0.5:
            rng.shuffle(dbcols)
        if self.extra:
            dbcols.append("备注")
        # now and then the table is a view over a differently named table
        tname = name if rng.random() < 0.8 else name + "_raw"
        self.null_empty = rng.random() < 0.7     # missing as NULL (else mostly '')
        self.f = None
        self.w = None
        if gen.out:
            self.f = open(os.path.join(gen.out, name + ".csv"), "w", encoding="utf-8", newline="")
            if bom and not (gen.a.no_quoted_bom and quoting == csv.QUOTE_ALL):
                self.f.write("\ufeff")
            self.w = csv.writer(self.f, lineterminator=term, quoting=quoting)
            self.term = term
            self.w.writerow(self.order)
        self.batch = []
        if gen.db is not None:
            self.dbcols = dbcols
            gen.db.execute('CREATE TABLE "%s" (%s)' % (
                tname, ", ".join('"%s" TEXT' % c for c in dbcols)))
            if tname != name:
                gen.db.execute('CREATE VIEW "%s" AS SELECT * FROM "%s"' % (name, tname))
            self.sql = 'INSERT INTO "%s" (%s) VALUES (%s)' % (
                tname, ", ".join('"%s"' % c for c in dbcols), ", ".join("?" * len(dbcols)))

    def write(self, row):
        if self.mute:
            return
        if self.extra and "备注" not in row:
            row["备注"] = self.rng.choice(["", "补录", "见附件, 第2页", '说明"甲"'])
        if self.w is not None:
            self.w.writerow([row.get(c) or "" for c in self.order])
        if self.gen.db is not None:
            vals = []
            for c in self.dbcols:
                v = row.get(c)
                if v is None or v == "":
                    v = None if (self.null_empty or self.rng_db.random() < 0.2) else ""
                vals.append(v)
            self.batch.append(vals)
            if len(self.batch) >= 20000:
                self.flush()

    def flush(self):
        if self.batch:
            self.gen.db.executemany(self.sql, self.batch)
            self.batch = []

    def close(self):
        if self.f:
            if self.chop:
                self.f.flush()
                self.f.seek(0, os.SEEK_END)
                self.f.truncate(self.f.tell() - len(self.term))
            self.f.close()
        if self.gen.db is not None:
            self.flush()


# ---------------------------------------------------------------- model

class RosterRow:
    __slots__ = ("person", "name", "role", "frm", "to", "areas")

    def __init__(self, person, name, role, frm, to, areas=None):
        self.person, self.name, self.role = person, name, role
        self.frm, self.to, self.areas = frm, to, areas


class Unit:
    def __init__(self, gen, uid, ui):
        self.gen = gen
        self.uid = uid
        self.ui = ui
        self.used = set()
        self.rows = []
        self.names = {}
        self.seq = 0
        self.cal_anchor = []
        self.vacations = []
        self.pending_directives = []
        self.recent_events = []      # ids of recent events (for refs)
        self._bounds = None
        self._rows_id = None

    # roster queries -------------------------------------------------
    def holders(self, roles, t):
        # the roster is constant between two consecutive row bounds: cache per interval
        if self._bounds is None or self._rows_id is not self.rows:
            self._rows_id = self.rows
            self._bounds = sorted({x for r in self.rows for x in (r.frm, r.to) if x is not None})
            self._hcache = {}
        key = (roles, bisect.bisect_right(self._bounds, t))
        h = self._hcache.get(key)
        if h is None:
            h = sorted({r.person for r in self.rows if r.role in roles
                        and (r.frm is None or r.frm <= t) and (r.to is None or t < r.to)})
            self._hcache[key] = h
        return h

    def members(self, t):
        return self.holders(("班子成员",), t)

    def sec(self, t):
        h = self.holders(("书记",), t)
        return h[0] if h else None

    def pres(self, t):
        h = self.holders(("校长",), t)
        return h[0] if h else None

    def areas_of(self, x, t):
        s = set()
        for r in self.rows:
            if r.person == x and r.role == "班子成员" and (r.frm is None or r.frm <= t) \
                    and (r.to is None or t < r.to):
                s.update(r.areas or [])
        return s

    # ids and times --------------------------------------------------
    def new_id(self):
        self.seq += 1
        g = self.gen
        style = (self.seq * 7 + self.ui) % 5
        if style == 0:
            return "u%d-事件%d" % (self.ui, self.seq)
        if style == 1 and g.numeric_ids:
            g.num_seq += 1                 # one sequence for all units: unique
            return str(1000000 + g.num_seq)
        return "u%d-e%06d" % (self.ui, self.seq)

    def slot(self, lo, hi, align=MIN):
        """a free instant in [lo, hi) for this unit (aligned to `align` seconds mostly)"""
        rng = self.gen.rng
        if hi <= lo:
            hi = lo + 1
        for _ in range(50):
            if rng.random() < 0.1:
                t = rng.randrange(lo, hi)
            else:
                t = lo + rng.randrange(max(1, (hi - lo) // align)) * align
            if t not in self.used:
                self.used.add(t)
                return t
        t = lo
        while t in self.used:
            t += 1
        self.used.add(t)
        return t

    def take(self, t):
        """exactly t if free, else None"""
        if t in self.used:
            return None
        self.used.add(t)
        return t

    def work_time(self, day0, hour_lo=8, hour_hi=21):
        return self.slot(day0 + hour_lo * HOUR, day0 + hour_hi * HOUR)

    def prune(self, before):
        self.used = {t for t in self.used if t >= before}


class Gen:
    def __init__(self, a):
        self.rng = random.Random(a.seed)
        self.a = a
        self.out = a.out
        self.multi = a.units > 1
        self.tf = TimeFmt(self.rng)
        if self.out:
            os.makedirs(self.out, exist_ok=True)
        self.db = None
        if a.sqlite:
            if os.path.exists(a.sqlite):
                os.remove(a.sqlite)
            self.db = sqlite3.connect(a.sqlite)
            self.db.execute("PRAGMA journal_mode=OFF")
            self.db.execute("PRAGMA synchronous=OFF")
        self.start = parse_date(a.start)
        self.end = self.start + a.weeks * WEEK
        # with several units, a table without a unit column applies to every unit
        self.shared_roster = self.multi and self.rng.random() < 0.15
        self.shared_topics = self.multi and self.rng.random() < 0.25
        self.cal_units = self.multi and self.rng.random() < 0.85
        self.t_events = Table(self, "events", EVENT_COLS, self.multi)
        self.t_roster = Table(self, "roster", ROSTER_COLS, self.multi and not self.shared_roster)
        self.t_topics = Table(self, "topics", TOPIC_COLS, self.multi and not self.shared_topics)
        self.t_cal = Table(self, "calendar", CAL_COLS, self.cal_units)
        names = list(UNIT_NAMES)
        self.rng.shuffle(names)
        uids = [names[i % len(names)] + ("" if i < len(names) else str(i)) for i in range(a.units)]
        if self.multi and self.rng.random() < 0.3:
            uids[-1] = ""                 # events with an empty unit form unit ""
        self.units = [Unit(self, u, i + 1) for i, u in enumerate(uids)]
        self.per_week = max(4.0, a.events / max(1, a.units * a.weeks))
        self.dir_seq = 0
        self.numeric_ids = self.rng.random() < 0.3
        self.num_seq = 0

    # helpers --------------------------------------------------------
    def lst(self, items):
        """a list cell, now and then with empty items"""
        items = list(items)
        if not items:
            return None
        r = self.rng.random()
        if r < 0.06 and len(items) > 1:
            i = self.rng.randrange(1, len(items))
            items.insert(i, "")
        elif r < 0.09:
            items.append("")
        elif r < 0.11:
            items.insert(0, "")
        return ";".join(items)

    def ts(self, t):
        return None if t is None else self.tf.fmt(t)

    def name(self):
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def maybe(self, p):
        return self.rng.random() < p

    # reference data ---------------------------------------------------
    def make_roster(self, u):
        rng = self.rng
        span = self.end - self.start
        ids = ["p%02d" % i for i in range(1, 21)]
        if rng.random() < 0.4:     # Chinese ids for some people
            ids = [self.name() + ("" if i < 10 else str(i)) for i in range(20)]
            ids = list(dict.fromkeys(ids))
            while len(ids) < 20:
                ids.append("p%02d" % len(ids))
        for p in ids:
            u.names[p] = self.name()
        n = rng.randint(6, 10)
        team = ids[:n]
        u.spare = ids[n:]
        u.outsiders = ["x%02d" % i for i in range(1, 4)] + ["外聘专家"]
        since = self.start - rng.randint(100, 1500) * DAY

        def frm():
            return None if rng.random() < 0.3 else local_midnight(since - rng.randint(0, 300) * DAY)

        def mid(lo=0.15, hi=0.85):
            t = self.start + int(span * rng.uniform(lo, hi))
            if rng.random() < 0.5:
                return monday_of(t)       # exactly Monday 00:00
            return local_midnight(t) + rng.randint(8, 18) * HOUR + rng.choice([0, 30]) * MIN

        def areas():
            return rng.sample(AREAS, rng.randint(1, 3))

        s0, p0 = team[0], team[1]
        rows = []
        # secretary, possibly replaced part way through
        if rng.random() < 0.5:
            tc = mid()
            if rng.random() < 0.5:
                new = team[rng.randrange(2, n)]           # promoted member
            else:
                new = u.spare.pop(0)
                rows.append(RosterRow(new, u.names[new], "班子成员", tc, None, areas()))
            rows.append(RosterRow(s0, u.names[s0], "书记", frm(), tc,
                                  areas() if rng.random() < 0.3 else None))
            rows.append(RosterRow(s0, u.names[s0], "班子成员", frm(), tc, areas()))
            rows.append(RosterRow(new, u.names[new], "书记", tc, None))
        else:
            f = frm()
            rows.append(RosterRow(s0, u.names[s0], "书记", f, None,
                                  areas() if rng.random() < 0.3 else None))
            rows.append(RosterRow(s0, u.names[s0], "班子成员", f, None, areas()))
        # president
        if rng.random() < 0.35:
            tc = mid()
            new = u.spare.pop(0)
            rows.append(RosterRow(p0, u.names[p0], "校长", frm(), tc))
            rows.append(RosterRow(p0, u.names[p0], "班子成员", frm(), tc, areas()))
            rows.append(RosterRow(new, u.names[new], "校长", tc, None))
            rows.append(RosterRow(new, u.names[new], "班子成员", tc, None, areas()))
        elif rng.random() < 0.05:
            pass                                   # no president at all
        else:
            f = frm()
            rows.append(RosterRow(p0, u.names[p0], "校长", f, None))
            rows.append(RosterRow(p0, u.names[p0], "班子成员", f, None, areas()))
        # other members
        for i, x in enumerate(team[2:]):
            r = rng.random()
            if r < 0.12:       # two back-to-back rows (area change)
                tc = mid()
                rows.append(RosterRow(x, u.names[x], "班子成员", frm(), tc, areas()))
                rows.append(RosterRow(x, u.names[x], "班子成员", tc, None, areas()))
            elif r < 0.2:      # joins part way
                rows.append(RosterRow(x, u.names[x], "班子成员", mid(), None, areas()))
            elif r < 0.27:     # leaves part way
                rows.append(RosterRow(x, u.names[x], "班子成员", frm(), mid(), areas()))
            else:
                rows.append(RosterRow(x, u.names[x], "班子成员", frm(), None,
                                      areas() if rng.random() < 0.95 else None))
        # office directors
        d1, d2 = u.spare.pop(0), u.spare.pop(0)
        rows.append(RosterRow(d1, u.names[d1], "党委办公室主任", frm(), None))
        if rng.random() < 0.3:
            tc = mid()
            d3 = u.spare.pop(0)
            rows.append(RosterRow(d2, u.names[d2], "校长办公室主任", frm(), tc))
            rows.append(RosterRow(d3, u.names[d3], "校长办公室主任", tc, None))
        else:
            rows.append(RosterRow(d2, u.names[d2], "校长办公室主任", frm(), None))
        u.directors = [d1, d2]
        rng.shuffle(rows)
        u.rows = rows
        for r in rows:
            self.t_roster.write({
                "person": r.person, "name": r.name, "role": r.role,
                "from": self.ts(r.frm), "to": self.ts(r.to),
                "areas": self.lst(r.areas or []), "unit": u.uid})

    def make_topics(self, u):
        rng = self.rng
        n = rng.randint(12, 30)
        ids = []
        for i in range(1, n + 1):
            r = rng.random()
            if r < 0.6:
                ids.append("T%02d" % i)
            elif r < 0.9:
                ids.append("议题%d" % i)
            elif r < 0.95:
                ids.append("议题 %d,甲" % i)      # a space and a comma in an id
            else:                                 # quotes, a backslash, a tab, a newline
                ids.append(rng.choice(['T"%d"', "T\\%d", "T\t%d", "议题\n%d", "T%d "]) % i)
        u.topics = ids
        u.topic_rows = {}
        members = sorted({r.person for r in u.rows if r.role == "班子成员"})
        for t in ids:
            if rng.random() < 0.12:
                continue                          # topic without a row
            rows = 2 if rng.random() < 0.12 else 1
            for k in range(rows):
                cats = rng.sample(CATS, rng.randint(0, 2))
                if rng.random() < 0.3 and "三重一大" not in cats:
                    cats.append("三重一大")
                lead = rng.choice(members) if rng.random() < 0.9 else (
                    None if rng.random() < 0.5 else rng.choice(u.outsiders))
                areas = rng.sample(AREAS, rng.randint(0, 3))
                title = rng.choice([
                    "关于%s的议题" % t,
                    "关于调整\"%s\"工作的请示, 第%d稿" % (t, k + 1),
                    "%s：年度预算,\n含附件" % t,
                    "讨论 %s" % t,
                    ""])
                row = {"topic": t, "title": title, "category": self.lst(cats),
                       "lead": lead, "areas": self.lst(areas), "unit": u.uid}
                self.t_topics.write(row)
                u.topic_rows[t] = (cats, lead, areas)    # the later row wins

    def make_calendar(self):
        rng = self.rng
        # shared semesters and vacations, alternating
        t = local_midnight(self.start - rng.randint(0, 10) * DAY - rng.randint(0, 6) * WEEK)
        k = 0
        self.shared_vac = []
        while t < self.end + 10 * WEEK:
            slen = rng.randint(14, 20) * WEEK + rng.choice([0, 0, 2 * DAY, -3 * DAY])
            y, m, d = civil_from_days((t + LOCAL) // DAY)
            self.t_cal.write({"name": "%d-%d-%d" % (y, y + 1, k % 2 + 1), "kind": "semester",
                              "from": self.ts(t), "to": self.ts(t + slen), "unit": ""})
            t += slen
            vlen = rng.randint(3, 8) * WEEK + rng.choice([0, DAY, -2 * DAY])
            self.t_cal.write({"name": "假期%d" % k, "kind": "vacation",
                              "from": self.ts(t), "to": self.ts(t + vlen), "unit": ""})
            self.shared_vac.append((t, t + vlen))
            t += vlen
            k += 1
        # rows with a missing bound: an old vacation open at its start, and a
        # semester open at its end (never judged)
        if rng.random() < 0.3:
            self.t_cal.write({"name": "旧假期", "kind": "vacation", "from": None,
                              "to": self.ts(local_midnight(self.start - 30 * DAY)), "unit": ""})
        if rng.random() < 0.3:
            self.t_cal.write({"name": "未定学期", "kind": "semester",
                              "from": self.ts(local_midnight(self.start + 3 * DAY)), "to": None,
                              "unit": ""})
        # cycle anchors
        self.shared_anchors = []
        r = rng.random()
        if r < 0.85:
            a0 = monday_of(self.start) - rng.randint(0, 6) * WEEK
            self.shared_anchors.append(a0)
            if rng.random() < 0.5:
                a1 = monday_of(self.start + rng.randint(2, max(3, self.a.weeks - 2)) * WEEK)
                self.shared_anchors.append(a1)
        elif r < 0.93:
            # first anchor inside the range: cycles before it come from the first Monday
            self.shared_anchors.append(monday_of(self.start + rng.randint(3, 9) * WEEK))
        for a in self.shared_anchors:
            self.t_cal.write({"name": "碰头会周期", "kind": "cycle-anchor",
                              "from": self.ts(a), "to": None, "unit": ""})

    def unit_calendar(self, u):
        rng = self.rng
        u.vacations = list(self.shared_vac)
        u.anchors = list(self.shared_anchors)
        if not self.cal_units:
            return
        if rng.random() < 0.4:
            t = self.start + rng.randint(1, max(1, self.a.weeks - 1)) * WEEK + rng.randint(0, 6) * DAY
            t = local_midnight(t)
            v = (t, t + rng.randint(2, 9) * DAY)
            u.vacations.append(v)
            if u.uid != "":
                self.t_cal.write({"name": "%s运动会" % u.uid, "kind": "vacation",
                                  "from": self.ts(v[0]), "to": self.ts(v[1]), "unit": u.uid})
        if rng.random() < 0.3 and u.uid != "":
            a = monday_of(self.start + rng.randint(1, max(2, self.a.weeks)) * WEEK)
            u.anchors.append(a)
            self.t_cal.write({"name": "%s碰头会" % u.uid, "kind": "cycle-anchor",
                              "from": self.ts(a), "to": None, "unit": u.uid})
        if rng.random() < 0.2 and u.uid != "":
            a = self.start + rng.randint(0, self.a.weeks) * WEEK
            self.t_cal.write({"name": "%s小学期" % u.uid, "kind": "semester",
                              "from": self.ts(local_midnight(a)),
                              "to": self.ts(local_midnight(a) + rng.randint(3, 8) * WEEK),
                              "unit": u.uid})
        u.anchors.sort()

    # events -----------------------------------------------------------
    def emit(self, u, t, typ, actor=None, targets=(), observers=(), kind=None, topic=(),
             outcome=None, end=None, ref=None, eid=None):
        return self.emit_row(u, t, typ, actor, targets, observers, kind, topic, outcome,
                             end, ref, eid)["id"]

    def emit_row(self, u, t, typ, actor=None, targets=(), observers=(), kind=None, topic=(),
                 outcome=None, end=None, ref=None, eid=None):
        eid = eid or u.new_id()
        row = {"_t": t, "id": eid, "time": self.ts(t), "type": typ, "actor": actor,
               "targets": self.lst(targets), "observers": self.lst(observers),
               "kind": kind, "topic": self.lst(topic) if not isinstance(topic, str) else topic,
               "outcome": outcome, "end": self.ts(end), "ref": ref, "unit": u.uid}
        u.buf.append(row)
        return row

    def someone(self, u, t, exclude=()):
        m = [x for x in u.members(t) if x not in exclude]
        return self.rng.choice(m) if m else None

    def week(self, u, wi):
        rng = self.rng
        a = self.start + wi * WEEK
        b = a + WEEK
        u.buf = []
        f = min(1.0, self.per_week / 28.0)     # scales the scenarios for sparse data sets
        noon = a + 10 * HOUR
        s, p = u.sec(noon), u.pres(noon)

        # O1: secretary and president communicate
        if s and p and rng.random() < 0.85:
            r = rng.random()
            if r < 0.08:
                t = u.take(a)                  # exactly Monday 00:00
            elif r < 0.14:
                t = u.take(b - 1)              # the last second of the week
            else:
                t = u.work_time(a + rng.randrange(7) * DAY)
            if t is not None:
                x, y = (s, p) if rng.random() < 0.5 else (p, s)
                if rng.random() < 0.7:
                    kind = rng.choice(["个别交流", "谈心谈话", "通报", "电话沟通", None])
                    self.emit(u, t, "communication", x, [y] + ([self.someone(u, t) or y] if rng.random() < 0.2 else []), kind=kind)
                else:
                    self.emit(u, t, "consultation", x, [y], topic=[rng.choice(u.topics)],
                              outcome=rng.choice(["agree", "disagree"]))

        # O2: the catch-up meeting every other week, on Monday
        origin = None
        for anc in u.anchors:
            if anc <= a:
                origin = anc
        if origin is None:
            origin = monday_of(self.start)
        in_cycle_week = ((a - origin) // WEEK) % 2 == 0
        if (in_cycle_week and rng.random() < 0.85) or rng.random() < 0.05:
            r = rng.random()
            if r < 0.1:
                t = u.take(a)
            elif r < 0.85:
                t = u.slot(a + 8 * HOUR, a + 12 * HOUR, 30 * MIN)
            else:
                t = u.work_time(a + rng.randint(1, 4) * DAY)   # not a Monday
            if t is not None:
                mem = u.members(t)
                conv = rng.choice([s, p]) if (s and p) else (mem[0] if mem else None)
                att = [x for x in mem if x != conv and rng.random() < 0.9]
                if rng.random() < 0.08:
                    att.append(rng.choice(u.outsiders + u.spare[:1]))
                obs = [d for d in u.holders(("党委办公室主任", "校长办公室主任"), t) if rng.random() < 0.8]
                if rng.random() < 0.08:
                    obs.append(rng.choice(u.outsiders))
                if rng.random() < 0.03:
                    conv = None
                self.emit(u, t, "meeting", conv, att, obs, kind="领导班子碰头会",
                          topic=rng.sample(u.topics, rng.randint(0, 2)))

        # O4-O8, O17: topics to the standing committee / president's office meeting
        nmeet = sum(1 for _ in range(2) if rng.random() < 0.8 * f)
        for _ in range(nmeet):
            t = u.work_time(a + rng.randint(0, 4) * DAY, 9, 17)
            kind = rng.choice(["党委常委会", "党委全委会", "校长办公会", "校长办公会", "党委常委会"])
            agenda = rng.sample(u.topics, rng.randint(1, 3))
            if u.pending_directives and kind != "党委全委会" and rng.random() < 0.7:
                d = u.pending_directives.pop(0)
                if d and rng.random() < 0.85:
                    agenda.append(rng.choice(d))
            u.pending_directives = [] if rng.random() < 0.5 else u.pending_directives
            ts_, tp_ = u.sec(t), u.pres(t)
            for T in list(agenda):
                lo = max(t - 12 * DAY, a - 12 * DAY)
                # consultation between the principal leaders
                r = rng.random()
                if ts_ and tp_ and r < 0.88:
                    if kind == "校长办公会":
                        x, y = (tp_, ts_) if rng.random() < 0.9 else (ts_, tp_)
                    else:
                        x, y = (ts_, tp_) if rng.random() < 0.9 else (tp_, ts_)
                    tc = u.slot(lo, t)
                    r2 = rng.random()
                    if r2 < 0.8:
                        oc = "agree"
                    elif r2 < 0.92:
                        oc = "disagree"
                    else:
                        oc = None
                    topics = [T] + (rng.sample(u.topics, 1) if rng.random() < 0.2 else [])
                    self.emit(u, tc, "consultation", x, [y], topic=topics, outcome=oc)
                    if oc == "disagree" and rng.random() < 0.5:
                        tc2 = u.slot(tc + 1, t + (1 if rng.random() < 0.9 else 2 * DAY))
                        self.emit(u, tc2, "consultation", x, [y], topic=[T], outcome="agree")
                if rng.random() < 0.05:    # someone else's disagreement, late
                    tc = u.slot(lo, t)
                    c = self.someone(u, tc)
                    if c:
                        self.emit(u, tc, "consultation", c, [self.someone(u, tc) or c], topic=[T],
                                  outcome="disagree")
                info = u.topic_rows.get(T)
                if info:
                    cats, lead, tareas = info
                    if "三重一大" in cats and lead:
                        for x in u.members(t):
                            if x != lead and u.areas_of(x, t) & set(tareas) and rng.random() < 0.85:
                                tc = u.slot(lo, t + (1 if rng.random() < 0.95 else DAY))
                                self.emit(u, tc, "consultation", lead, [x], topic=[T],
                                          outcome="agree")
                    if ("长远发展" in cats or "师生权益" in cats) and lead and rng.random() < 0.8:
                        tc = u.slot(lo, t)
                        self.emit(u, tc, "meeting", lead if rng.random() < 0.93 else self.someone(u, tc),
                                  [x for x in u.members(tc) if rng.random() < 0.5],
                                  [rng.choice(u.outsiders)] if rng.random() < 0.3 else [],
                                  kind="讨论会", topic=[T])
            if rng.random() < 0.05 and len(agenda) > 0:
                agenda.append(agenda[0])          # a topic listed twice
            if rng.random() < 0.03:
                agenda.append("T99")              # never discussed, no row
            conv = tp_ if kind == "校长办公会" else ts_
            self.emit(u, t, "meeting", conv, [x for x in u.members(t) if x != conv],
                      u.directors if rng.random() < 0.3 else [], kind=kind, topic=agenda)

        # O17: directives
        if rng.random() < 0.5 * f:
            t = u.work_time(a + rng.randrange(7) * DAY)
            self.dir_seq += 1
            ids = ["桂教〔2025〕%d号" % self.dir_seq]
            if rng.random() < 0.3:
                ids.append("DOC-%d" % self.dir_seq)
            if rng.random() < 0.08:
                ids = []
            self.emit(u, t, "directive", rng.choice([None, s]), topic=ids)
            u.pending_directives.append(ids)

        # O9: delays
        if rng.random() < 0.4 * f:
            t = u.work_time(a + rng.randrange(7) * DAY)
            actor = self.someone(u, t) if rng.random() < 0.95 else None
            e = self.emit(u, t, "delay", actor, topic=rng.choice(u.topics))
            r = rng.random()
            L = [x for x in (u.sec(t), u.pres(t)) if x]
            if r < 0.65 and L:
                tr = u.slot(t + HOUR, t + 70 * HOUR)
            elif r < 0.72:
                tr = u.take(t + 72 * HOUR)                   # exactly the deadline
            elif r < 0.8:
                tr = u.take(t + 72 * HOUR + 1)               # one second late
            elif r < 0.88:
                tr = u.slot(t + 80 * HOUR, t + 200 * HOUR)  # late
            else:
                tr = None
            if tr is not None:
                tg = [rng.choice(L)] if L and rng.random() < 0.9 else [self.someone(u, t) or "x01"]
                ra = actor if rng.random() < 0.92 else self.someone(u, t)
                self.emit(u, tr, "report", ra, tg, ref=e if rng.random() < 0.97 else "u0-e-missing")

        # O10, O11: incidents, reports, plans, approvals, implementations
        if rng.random() < 0.35 * f:
            t = u.work_time(a + rng.randrange(7) * DAY)
            actor = self.someone(u, t) if rng.random() < 0.95 else None
            e = self.emit(u, t, "incident", actor, kind=rng.choice(["重大活动", "突发事件", "突发事件", "演练"]))
            L = [x for x in (u.sec(t), u.pres(t)) if x]
            r = rng.random()
            if r < 0.6:
                tr = u.slot(t + 5 * MIN, t + 110 * MIN)
                self.emit(u, tr, "report", actor, L + [self.someone(u, t) or "x01"], ref=e)
            elif r < 0.68:
                tr = u.take(t + 2 * HOUR)
                if tr:
                    self.emit(u, tr, "report", actor, L, ref=e)
            elif r < 0.78:
                tr = u.slot(t + 5 * MIN, t + 110 * MIN)
                self.emit(u, tr, "report", actor, L[:1], ref=e)
                if len(L) > 1 and rng.random() < 0.5:
                    tr2 = u.slot(t + 2 * HOUR + 1, t + 6 * HOUR)
                    self.emit(u, tr2, "report", actor, L[1:], ref=e)
            elif r < 0.85:
                tr = u.slot(t + 5 * MIN, t + 110 * MIN)
                self.emit(u, tr, "report", self.someone(u, t), L, ref=e)
            if rng.random() < 0.8:
                tp = u.slot(t + 2 * HOUR, t + 8 * HOUR)
                plan = self.emit(u, tp, "plan", actor, L, ref=e)
                r = rng.random()
                ta = u.slot(tp + 10 * MIN, tp + 6 * HOUR)
                if r < 0.7:
                    ap = rng.choice(L) if L else None
                    oc = "approved"
                elif r < 0.8:
                    ap, oc = (rng.choice(L) if L else None), "rejected"
                elif r < 0.88:
                    ap, oc = self.someone(u, ta), "approved"
                else:
                    ap, oc = None, None
                if ap is not None or oc is not None:
                    self.emit(u, ta, "approval", ap, [actor] if actor else [], outcome=oc,
                              ref=plan if rng.random() < 0.97 else "u0-missing-plan")
                r = rng.random()
                if r < 0.85:
                    ti = u.slot(ta + MIN, ta + 30 * HOUR) if rng.random() < 0.9 else u.slot(tp + MIN, ta)
                    ref = plan
                    if rng.random() < 0.04:
                        ref = None
                    elif rng.random() < 0.04:
                        ref = "u0-no-such-plan"
                    self.emit(u, ti, "implementation", actor, ref=ref)

        # O14, O15: absences
        if rng.random() < 0.45 * f:
            t = u.work_time(a + rng.randrange(7) * DAY)
            L = [x for x in (u.sec(t), u.pres(t)) if x]
            mem = u.members(t)
            if rng.random() < 0.35 and L:
                who = rng.choice(L)
            else:
                who = rng.choice(mem) if mem else None
                if rng.random() < 0.05:
                    who = rng.choice(u.outsiders)
            r = rng.random()
            if r < 0.1:
                end = None
            elif r < 0.2:
                end = t + 3 * DAY                         # exactly the threshold
            elif r < 0.25:
                end = t + 3 * DAY - 1
            else:
                end = t + rng.choice([HOUR * 5, DAY, 2 * DAY, 4 * DAY, 10 * DAY, 40 * DAY])
            e_id = u.new_id()
            # the preparations come before the absence in the log
            if who in L:
                for y in L:
                    if y != who and rng.random() < 0.85:
                        th = u.slot(t - 3 * DAY, t) if rng.random() < 0.92 else u.slot(t + 1, t + DAY)
                        self.emit(u, th, "handover", who if rng.random() < 0.95 else self.someone(u, t),
                                  [y] + ([self.someone(u, t) or y] if rng.random() < 0.3 else []), ref=e_id)
            else:
                if rng.random() < 0.85:
                    tq = u.slot(t - 4 * DAY, t - HOUR)
                    q = self.emit(u, tq, "leave_request", who, L[:1] if L else ["x01"], ref=e_id)
                    r = rng.random()
                    if r < 0.75:
                        ta = u.slot(tq + 1, t)
                        ap, oc = (rng.choice(L) if L else "x01"), "approved"
                    elif r < 0.82:
                        ta = u.slot(t + 1, t + DAY)         # approved too late
                        ap, oc = (rng.choice(L) if L else "x01"), "approved"
                    elif r < 0.9:
                        ta = u.slot(tq + 1, t)
                        ap, oc = (rng.choice(L) if L else "x01"), "rejected"
                    else:
                        ta = u.slot(tq + 1, t)
                        ap, oc = (self.someone(u, t) or "x01"), "approved"
                    self.emit(u, ta, "approval", ap, [who] if who else [], outcome=oc, ref=q)
                if end is not None and end - t >= 2 * DAY and rng.random() < 0.8:
                    td = u.slot(t - 2 * DAY, t) if rng.random() < 0.9 else u.slot(t + 1, t + DAY)
                    tgt = [self.someone(u, t, exclude=(who,)) or "x01"]
                    if rng.random() < 0.1:
                        tgt = [rng.choice(u.outsiders)]
                    self.emit(u, td, "delegation", who if rng.random() < 0.8 else rng.choice(L or ["x01"]),
                              tgt, ref=e_id)
            self.emit(u, t, "absence", who, kind=rng.choice(["出差", "学习", "挂职", "出差", "疗养"]),
                      end=end, eid=e_id)

        # O12, O13: heart-to-heart talks
        ntalk = rng.randint(1, 5) if rng.random() < f else 0
        for _ in range(ntalk):
            t = u.work_time(a + rng.randrange(7) * DAY)
            mem = u.members(t)
            if len(mem) < 2:
                continue
            x = rng.choice([s, p] + mem) if (s and p) else rng.choice(mem)
            y = rng.choice([m for m in mem if m != x] or mem)
            tg = [y] + ([rng.choice(mem)] if rng.random() < 0.15 else [])
            kind = "谈心谈话" if rng.random() < 0.9 else "谈心交心"
            self.emit(u, t, "communication", x, tg, kind=kind)

        # O16: the yearly meetings, in December
        y, m, d = civil_from_days((a + LOCAL) // DAY)
        if m == 12 and d <= 7:
            for kind in ("民主生活会", "述职述廉会"):
                if rng.random() < 0.85:
                    t = u.work_time(a + rng.randint(7, 20) * DAY)
                    top = [REG_ID] if rng.random() < 0.85 else ["年度工作"]
                    if rng.random() < 0.3:
                        top = ["年度工作"] + top
                    self.emit(u, t, "meeting", s, u.members(t), kind=kind, topic=top)

        # filler: everyday communications and other meetings
        target = self.per_week * rng.uniform(0.8, 1.2)
        while len(u.buf) < target:
            t = u.slot(a, b, 1 if rng.random() < 0.2 else MIN)
            mem = u.members(t) or ["x01"]
            r = rng.random()
            if r < 0.7:
                x = rng.choice(mem)
                tg = rng.sample(mem, min(len(mem), rng.randint(1, 3)))
                if x in (s, p) and rng.random() < 0.97:
                    tg = [y for y in tg if y not in (s, p)] or [rng.choice(u.outsiders)]
                if rng.random() < 0.05:
                    tg.append(rng.choice(u.outsiders))
                self.emit(u, t, "communication", x, tg,
                          kind=rng.choice(["个别交流", "通报", "电话沟通", None, "个别交流"]))
            elif r < 0.8:
                self.emit(u, t, "meeting", rng.choice(mem), mem,
                          kind=rng.choice(["书记专题会", "座谈会", "讨论会", None]),
                          topic=rng.sample(u.topics, rng.randint(0, 2)))
            elif r < 0.97:
                x = rng.choice(mem)
                y = rng.choice(mem)
                if x in (s, p) and y in (s, p) and rng.random() < 0.9:
                    y = rng.choice(u.outsiders)
                self.emit(u, t, "consultation", x, [y],
                          topic=[rng.choice(u.topics)],
                          outcome=rng.choice(["agree", "agree", "disagree", None]))
            else:
                self.emit(u, t, "communication", rng.choice(mem), [rng.choice(mem)],
                          kind="谈心谈话")

        # bad rows, only when asked (zhidu run --on-bad-row skip drops them)
        if self.a.bad_rows and rng.random() < 0.3:
            t = u.slot(a, b)
            r = rng.random()
            mem = u.members(t) or ["x01"]
            if r < 0.25:
                self.emit(u, t, "telepathy", rng.choice(mem), mem)
            elif r < 0.5:
                row = self.emit_row(u, t, "delay", rng.choice(mem))
                row["time"] = rng.choice(["2025-02-30T10:00", "yesterday", "2025-03-04T24:00",
                                          "2025-03-05 09:00:00.5", "2025-03-05T09:00+0800"])
            elif r < 0.75:
                row = self.emit_row(u, t, "absence", rng.choice(mem), kind="出差")
                row["end"] = rng.choice(["soon", "2025-13-01", "2025-03-05T9:00"])
            else:
                row = self.emit_row(u, t, "communication", s or "x01", [p or "x01"], kind="通报")
                row["id"] = None

        # a little disorder: the export is not sorted (unless --in-order)
        if self.a.in_order:
            self.write_in_order(u, a - WEEK)
        else:
            if rng.random() < 0.3:
                rng.shuffle(u.buf)
            for row in u.buf:
                self.t_events.write(row)
        u.buf = []
        if wi % 4 == 0:
            u.prune(a - 3 * WEEK)

    def write_in_order(self, u, before):
        """--in-order: the unit's rows in time order, written once no later
        week can produce an earlier one (rows reach at most a week back)"""
        u.held = sorted(getattr(u, "held", []) + u.buf, key=lambda row: row["_t"])
        n = 0
        while n < len(u.held) and (before is None or u.held[n]["_t"] < before):
            self.t_events.write(u.held[n])
            n += 1
        u.held = u.held[n:]

    def run(self):
        self.make_calendar()
        for i, u in enumerate(self.units):
            if self.shared_roster and i > 0:
                u0 = self.units[0]
                u.rows, u.names, u.spare = u0.rows, u0.names, u0.spare
                u.outsiders, u.directors = u0.outsiders, u0.directors
            else:
                self.make_roster(u)
            if self.shared_topics and i > 0:
                u.topics, u.topic_rows = self.units[0].topics, self.units[0].topic_rows
            else:
                self.make_topics(u)
            self.unit_calendar(u)
        if self.multi and not any(u.uid == "" for u in self.units):
            # rows of unit "" belong to unit "" only (which has no events here)
            if not self.shared_roster:
                self.t_roster.write({"person": "p03", "name": "无名", "role": "书记",
                                     "from": "2000-01-01", "to": None, "unit": ""})
                self.t_roster.write({"person": "x01", "name": "无名", "role": "班子成员",
                                     "from": None, "to": None, "areas": "教学", "unit": ""})
            if not self.shared_topics:
                self.t_topics.write({"topic": "T01", "title": "stray", "category": "三重一大;长远发展",
                                     "lead": "p04", "areas": ";".join(AREAS), "unit": ""})
        for wi in range(self.a.weeks):
            for u in self.units:
                self.week(u, wi)
        # now and then the log ends exactly on a Monday 00:00
        for u in self.units:
            u.buf = []
            if self.rng.random() < 0.5:
                t = u.take(self.end)
                if t is not None:
                    s = u.sec(t) or "x01"
                    self.emit(u, t, "communication", s, [u.pres(t) or s], kind="通报")
            if self.a.in_order:
                self.write_in_order(u, None)
            else:
                for row in u.buf:
                    self.t_events.write(row)
        for tb in (self.t_events, self.t_roster, self.t_topics, self.t_cal):
            tb.close()
        if self.db is not None:
            self.db.commit()
            self.db.close()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="CSV directory to write")
    ap.add_argument("--sqlite", help="SQLite file to write (same content)")
    ap.add_argument("--units", type=int, default=1)
    ap.add_argument("--events", type=int, default=2000, help="approximate number of events")
    ap.add_argument("--start", default="2025-02-24", help="first day (YYYY-MM-DD)")
    ap.add_argument("--weeks", type=int, default=26)
    ap.add_argument("--bad-rows", action="store_true",
                    help="also write some bad event rows (unknown type, unreadable time or "
                         "end, no id), for zhidu run --on-bad-row skip")
    ap.add_argument("--in-order", action="store_true",
                    help="write each unit's events in time order (a streaming run's input)")
    ap.add_argument("--no-quoted-bom", action="store_true",
                    help="never a byte-order mark right before a quoted header field")
    a = ap.parse_args(argv)
    if not a.out and not a.sqlite:
        ap.error("give --out DIR and/or --sqlite FILE")
    if a.units < 1 or a.weeks < 1:
        ap.error("--units and --weeks must be at least 1")
    Gen(a).run()


if __name__ == "__main__":
    main(sys.argv[1:])
