#!/usr/bin/env python3
"""gen_dense.py - dense event logs for the benchmarks (bench/compare.sh).

The shape of issue 10: 3 units over three semesters (2024-09 .. 2026-01); by
type about 35% communication, 30% consultation, 15% meeting (38% of them
讨论会), 4% absence, 3.5% approval, 2.7% leave_request, 2% directive, the rest
delegation, report, handover, incident, plan, delay; a topics table with one
row per ~5 events. Events are written story by story (the consultations and
讨论会 of an agenda item, then its meeting; a leave request, its approval and
the delegation, then the absence; ...), so the log is *not* in time order;
--in-order writes every event in time order instead.

Unlike tools/gen_data.py (which walks every edge of the data contract), the
cells are plain: one time format (local 'YYYY-MM-DD HH:MM:SS'), no quoting
tricks, valid enum values only, one row per topic, so that the plain-SQL and
plain-Python readings in bench/ can read it without a date parser. The data is
valid for rules/gxnu.zd (no bad rows) and breaks most rules now and then.

    gen_dense.py --events N [--seed S] [--in-order] [--units U] [--out DIR]
                 [--sqlite FILE] [--stats]

--events is approximate (it sets the weekly density); --units spreads them
over U units instead of 3 (the 4th and later are named 学院4, 学院5, ...);
--stats prints the mix of the written log on standard error.
"""
import argparse
import collections
import csv
import os
import random
import sqlite3
import sys

DAY = 86400
HOUR = 3600
MIN = 60
WEEK = 7 * DAY

EVENT_COLS = ["id", "time", "type", "actor", "targets", "observers", "kind",
              "topic", "outcome", "end", "ref", "unit"]
ROSTER_COLS = ["person", "name", "role", "from", "to", "areas", "unit"]
TOPIC_COLS = ["topic", "title", "category", "lead", "areas", "unit"]
CAL_COLS = ["name", "kind", "from", "to", "unit"]

UNITS = ["文学院", "数学与统计学院", "物理科学与技术学院"]
AREAS = ["教学", "科研", "人事", "财务", "学生工作", "后勤", "基建", "国际交流",
         "党建", "宣传", "安全稳定", "研究生"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"]
# semesters [from, to) as days since 1970-01-01 (local dates); vacations between
SEMESTERS = [("2024-2025-1", "2024-09-02", "2025-01-18"),
             ("2024-2025-2", "2025-02-17", "2025-07-05"),
             ("2025-2026-1", "2025-09-01", "2026-01-17")]
VACATIONS = [("2024-2025寒假", "2025-01-18", "2025-02-17"),
             ("2025暑假", "2025-07-05", "2025-09-01")]
# stories per 100 events (each yields a few events; see week())
STORIES = [("agenda", 8.0), ("directive", 2.0), ("absence", 4.0), ("incident", 1.3),
           ("delay", 0.8), ("other_meeting", 1.1), ("communication", 35.0),
           ("consultation", 2.0)]


def days(s):
    y, m, d = (int(x) for x in s.split("-"))
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def fmt(t):
    """local seconds since the epoch -> 'YYYY-MM-DD HH:MM:SS'"""
    z, s = divmod(t, DAY)
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    y = yoe + era * 400 + (m <= 2)
    return "%04d-%02d-%02d %02d:%02d:%02d" % (y, m, d, s // 3600, s // 60 % 60, s % 60)


def fmt_day(d):
    return fmt(d * DAY)[:10]


class Out:
    """the four tables, written to CSV and/or SQLite as rows come"""

    def __init__(self, a):
        self.files, self.writers, self.db, self.batch = {}, {}, None, {}
        if a.out:
            os.makedirs(a.out, exist_ok=True)
        if a.sqlite:
            if os.path.exists(a.sqlite):
                os.remove(a.sqlite)
            self.db = sqlite3.connect(a.sqlite)
            self.db.execute("PRAGMA journal_mode=OFF")
            self.db.execute("PRAGMA synchronous=OFF")
        self.cols = {"events": EVENT_COLS, "roster": ROSTER_COLS, "topics": TOPIC_COLS,
                     "calendar": CAL_COLS}
        for name, cols in self.cols.items():
            if a.out:
                f = open(os.path.join(a.out, name + ".csv"), "w", encoding="utf-8", newline="")
                self.files[name] = f
                self.writers[name] = csv.writer(f, lineterminator="\n")
                self.writers[name].writerow(cols)
            if self.db is not None:
                self.db.execute('CREATE TABLE "%s" (%s)' % (name, ", ".join('"%s" TEXT' % c for c in cols)))
            self.batch[name] = []
        self.counts = collections.Counter()

    def write(self, name, row):
        """row: a tuple in the table's column order, None for missing"""
        if name == "events":
            self.counts[(row[2], row[6] if row[2] == "meeting" else None)] += 1
        if name in self.writers:
            self.writers[name].writerow(["" if v is None else v for v in row])
        if self.db is not None:
            b = self.batch[name]
            b.append(row)
            if len(b) >= 20000:
                self.flush(name)

    def flush(self, name):
        b = self.batch[name]
        if b:
            self.db.executemany('INSERT INTO "%s" VALUES (%s)' % (name, ",".join("?" * len(b[0]))), b)
            b.clear()

    def close(self):
        for f in self.files.values():
            f.close()
        if self.db is not None:
            for name in self.batch:
                self.flush(name)
            self.db.commit()
            self.db.close()


class Unit:
    def __init__(self, g, k, uid):
        self.g, self.k, self.uid = g, k, uid
        rng = g.rng
        self.seq = 0
        self.topic_seq = 0
        self.used = set()
        self.topics = []            # recent topics (for plain consultations)
        self.pending = []           # (directive, time) not yet on an agenda
        ids = ["u%dp%02d" % (k, i) for i in range(1, 15)]
        self.s, self.p = ids[0], ids[1]
        self.members = ids[:10]
        self.late = ids[10]          # joins in the second semester
        self.gone = ids[9]           # leaves at the same time
        self.change = days(SEMESTERS[1][1]) * DAY
        self.directors = ids[12:14]
        self.areas = {x: rng.sample(AREAS, rng.randint(1, 2)) for x in ids[:11]}
        since = fmt_day(days("2021-09-01") - rng.randint(0, 600))
        rows = [(self.s, "书记", since, None, None), (self.p, "校长", since, None, None)]
        for x in self.members:
            rows.append((x, "班子成员", since, fmt_day(self.change // DAY) if x == self.gone else None,
                         ";".join(self.areas[x])))
        rows.append((self.late, "班子成员", fmt_day(self.change // DAY), None, ";".join(self.areas[self.late])))
        rows.append((self.directors[0], "党委办公室主任", since, None, None))
        rows.append((self.directors[1], "校长办公室主任", since, None, None))
        for person, role, frm, to, areas in rows:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            g.out.write("roster", (person, name, role, frm, to, areas, uid))

    def team(self, t):
        return [x for x in self.members if x != self.gone or t < self.change] + \
            ([self.late] if t >= self.change else [])

    def slot(self, lo, hi):
        """a free instant of this unit in [lo, hi) on a working hour"""
        rng = self.g.rng
        for _ in range(100):
            t = rng.randrange(lo, max(lo + 1, hi))
            if (t % DAY) < 7 * HOUR or (t % DAY) > 22 * HOUR:
                t = t - t % DAY + rng.randrange(8 * HOUR, 21 * HOUR)
            if t not in self.used:
                self.used.add(t)
                return t
        while t in self.used:
            t += 1
        self.used.add(t)
        return t

    def new_id(self):
        self.seq += 1
        return "u%d-%07d" % (self.k, self.seq)


class Gen:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.out = Out(a)
        self.weeks = []
        for _name, lo, hi in SEMESTERS:
            d = days(lo)
            while d + 7 <= days(hi):
                self.weeks.append(d * DAY)
                d += 7
        names = UNITS[:a.units] + ["学院%d" % k for k in range(len(UNITS) + 1, a.units + 1)]
        self.per_week = a.events / (len(names) * len(self.weeks))
        self.dir_seq = 0
        self.held = []               # --in-order: rows not yet written
        for name, lo, hi in SEMESTERS:
            self.out.write("calendar", (name, "semester", lo, hi, None))
        for name, lo, hi in VACATIONS:
            self.out.write("calendar", (name, "vacation", lo, hi, None))
        for _name, lo, _hi in SEMESTERS:
            self.out.write("calendar", ("碰头会周期", "cycle-anchor", lo, None, None))
        self.units = [Unit(self, k + 1, uid) for k, uid in enumerate(names)]
        names, weights = zip(*STORIES)
        self.story_names, self.story_weights = names, weights

    def ev(self, u, buf, t, typ, actor=None, targets=(), observers=(), kind=None, topic=(),
           outcome=None, end=None, ref=None, eid=None):
        eid = eid or u.new_id()
        buf.append((t, (eid, fmt(t), typ, actor, ";".join(targets) or None,
                        ";".join(observers) or None, kind, ";".join(topic) or None, outcome,
                        None if end is None else fmt(end), ref, u.uid)))
        return eid

    def new_topic(self, u, lead):
        rng = self.rng
        u.topic_seq += 1
        T = "u%d-T%05d" % (u.k, u.topic_seq)
        r = rng.random()
        cats = ["三重一大"] if r < 0.35 else (
            [rng.choice(["长远发展", "师生权益"])] if r < 0.67 else [rng.choice(["行政", "党建"])])
        if rng.random() < 0.2:
            cats.append(rng.choice(["行政", "党建"]))
        areas = rng.sample(AREAS, rng.randint(1, 2))
        self.out.write("topics", (T, "关于%s的议题" % T, ";".join(cats), lead, ";".join(areas), u.uid))
        u.topics.append(T)
        if len(u.topics) > 50:
            del u.topics[:25]
        return T, cats, areas

    # one story of each kind: its events go to buf in story order ---------------
    def agenda(self, u, buf, a):
        rng = self.rng
        t = u.slot(a + rng.randrange(5) * DAY + 9 * HOUR, a + rng.randrange(5) * DAY + 17 * HOUR)
        team = u.team(t)
        kind = rng.choice(["党委常委会", "校长办公会", "校长办公会", "党委常委会", "党委全委会"])
        agenda = []
        for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
            lead = rng.choice(team)
            T, cats, areas = self.new_topic(u, lead)
            agenda.append(T)
            lo = t - 10 * DAY
            if rng.random() < 0.9:
                x, y = (u.p, u.s) if kind == "校长办公会" else (u.s, u.p)
                self.ev(u, buf, u.slot(lo, t), "consultation", x, [y], topic=[T],
                        outcome="agree" if rng.random() < 0.93 else "disagree")
            if "三重一大" in cats:
                for x in team:
                    if x != lead and set(u.areas[x]) & set(areas) and rng.random() < 0.93:
                        self.ev(u, buf, u.slot(lo, t), "consultation", lead, [x], topic=[T], outcome="agree")
            if ("长远发展" in cats or "师生权益" in cats) and rng.random() < 0.9:
                d = u.slot(lo, t)
                self.ev(u, buf, d, "meeting", lead if rng.random() < 0.97 else rng.choice(team),
                        [x for x in team if x != lead and rng.random() < 0.5] or [u.s], kind="讨论会", topic=[T])
        if kind != "党委全委会":
            # directives issued before the meeting are reported there, mostly
            agenda += [doc for doc, dt in u.pending if dt < t and rng.random() < 0.9]
            u.pending = [(doc, dt) for doc, dt in u.pending if dt >= t]
        conv = u.p if kind == "校长办公会" else u.s
        self.ev(u, buf, t, "meeting", conv, [x for x in team if x != conv],
                u.directors if rng.random() < 0.3 else [], kind=kind, topic=agenda)

    def directive(self, u, buf, a):
        self.dir_seq += 1
        doc = "桂教〔2025〕%d号" % self.dir_seq
        t = u.slot(a, a + 7 * DAY)
        self.ev(u, buf, t, "directive", topic=[doc])
        u.pending.append((doc, t))

    def absence(self, u, buf, a):
        rng = self.rng
        t = u.slot(a, a + 7 * DAY)
        team = u.team(t)
        end = t + rng.choice([5 * HOUR, DAY, 2 * DAY, 4 * DAY, 5 * DAY, 10 * DAY])
        eid = u.new_id()
        if rng.random() < 0.25:
            who, other = (u.s, u.p) if rng.random() < 0.5 else (u.p, u.s)
            if rng.random() < 0.9:
                self.ev(u, buf, u.slot(t - 3 * DAY, t), "handover", who, [other], ref=eid)
        else:
            who = rng.choice([x for x in team if x not in (u.s, u.p)])
            if rng.random() < 0.9:
                q = self.ev(u, buf, u.slot(t - 4 * DAY, t - HOUR), "leave_request", who, [u.s], ref=eid)
                if rng.random() < 0.9:
                    self.ev(u, buf, u.slot(t - HOUR, t), "approval", rng.choice([u.s, u.p]), [who],
                            outcome="approved" if rng.random() < 0.95 else "rejected", ref=q)
            if end - t >= 3 * DAY and rng.random() < 0.8:
                self.ev(u, buf, u.slot(t - 2 * DAY, t), "delegation", who,
                        [rng.choice([x for x in team if x != who])], ref=eid)
        self.ev(u, buf, t, "absence", who, kind=rng.choice(["出差", "学习", "挂职"]), end=end, eid=eid)

    def incident(self, u, buf, a):
        rng = self.rng
        t = u.slot(a, a + 7 * DAY)
        actor = rng.choice(u.team(t))
        e = self.ev(u, buf, t, "incident", actor, kind=rng.choice(["重大活动", "突发事件"]))
        if rng.random() < 0.9:
            self.ev(u, buf, u.slot(t + 5 * MIN, t + (110 if rng.random() < 0.95 else 300) * MIN),
                    "report", actor, [u.s, u.p], ref=e)
        if rng.random() < 0.85:
            tp = u.slot(t + 2 * HOUR, t + 8 * HOUR)
            plan = self.ev(u, buf, tp, "plan", actor, [u.s, u.p], ref=e)
            self.ev(u, buf, u.slot(tp + 10 * MIN, tp + 6 * HOUR), "approval", rng.choice([u.s, u.p]),
                    [actor], outcome="approved", ref=plan)

    def delay(self, u, buf, a):
        rng = self.rng
        t = u.slot(a, a + 7 * DAY)
        actor = rng.choice(u.team(t))
        e = self.ev(u, buf, t, "delay", actor, topic=[rng.choice(u.topics)] if u.topics else [])
        if rng.random() < 0.85:
            self.ev(u, buf, u.slot(t + HOUR, t + (70 if rng.random() < 0.95 else 100) * HOUR),
                    "report", actor, [rng.choice([u.s, u.p])], ref=e)

    def other_meeting(self, u, buf, a):
        rng = self.rng
        t = u.slot(a, a + 7 * DAY)
        team = u.team(t)
        self.ev(u, buf, t, "meeting", rng.choice(team), team,
                kind=rng.choice(["书记专题会", "书记专题会", "讨论会"]),
                topic=rng.sample(u.topics, min(len(u.topics), rng.randint(0, 2))))

    def communication(self, u, buf, a):
        rng = self.rng
        t = u.slot(a, a + 7 * DAY)
        team = u.team(t)
        x = rng.choice(team)
        tg = rng.sample([y for y in team if y != x], rng.choice([1, 1, 1, 2, 3]))
        self.ev(u, buf, t, "communication", x, tg,
                kind=rng.choice(["个别交流", "个别交流", "通报", "谈心谈话", None]))

    def consultation(self, u, buf, a):
        rng = self.rng
        t = u.slot(a, a + 7 * DAY)
        team = u.team(t)
        x = rng.choice(team)
        self.ev(u, buf, t, "consultation", x, [rng.choice([y for y in team if y != x])],
                topic=[rng.choice(u.topics)] if u.topics else [],
                outcome=rng.choice(["agree", "agree", "disagree", None]))

    def week(self, u, wi, a):
        rng = self.rng
        buf = []
        # the fixed business: the catch-up meeting every other Monday, the
        # yearly meetings in December
        if wi % 2 == 0 and rng.random() < 0.95:
            t = u.slot(a + 9 * HOUR, a + 10 * HOUR)
            team = u.team(t)
            self.ev(u, buf, t, "meeting", u.s, [x for x in team if x != u.s], u.directors,
                    kind="领导班子碰头会", topic=rng.sample(u.topics, min(len(u.topics), 2)))
        if fmt(a)[5:7] == "12" and int(fmt(a)[8:10]) <= 7:
            for kind in ("民主生活会", "述职述廉会"):
                t = u.slot(a + 8 * DAY, a + 12 * DAY)
                self.ev(u, buf, t, "meeting", u.s, u.team(t), kind=kind,
                        topic=["师党〔2018〕12号"] if rng.random() < 0.9 else ["年度工作"])
        target = self.per_week * rng.uniform(0.9, 1.1)
        while len(buf) < target:
            story = rng.choices(self.story_names, self.story_weights)[0]
            getattr(self, story)(u, buf, a)
        return buf

    def run(self):
        for wi, a in enumerate(self.weeks):
            rows = []
            for u in self.units:
                rows += self.week(u, wi, a)
                if wi % 4 == 0:
                    u.used = {t for t in u.used if t >= a - 3 * WEEK}
            if self.a.in_order:
                self.write_in_order(rows, a - 3 * WEEK)
            else:
                for _t, row in rows:
                    self.out.write("events", row)
        if self.a.in_order:
            self.write_in_order([], None)
        self.out.close()

    def write_in_order(self, rows, before):
        """rows reach at most ~12 days back: write those before `before`"""
        self.held += rows
        self.held.sort(key=lambda r: r[0])
        n = 0
        while n < len(self.held) and (before is None or self.held[n][0] < before):
            self.out.write("events", self.held[n][1])
            n += 1
        del self.held[:n]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100000, help="approximate number of events")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--in-order", action="store_true", help="write the events in time order")
    ap.add_argument("--units", type=int, default=3, help="number of units (default 3)")
    ap.add_argument("--out", help="CSV directory to write")
    ap.add_argument("--sqlite", help="SQLite file to write (same content)")
    ap.add_argument("--stats", action="store_true", help="print the mix of event types on stderr")
    a = ap.parse_args(argv)
    if not a.out and not a.sqlite:
        ap.error("give --out DIR and/or --sqlite FILE")
    g = Gen(a)
    g.run()
    if a.stats:
        c = g.out.counts
        n = sum(c.values())
        by = collections.Counter()
        for (typ, _k), v in c.items():
            by[typ] += v
        print("%d events, %d topics" % (n, sum(u.topic_seq for u in g.units)), file=sys.stderr)
        for typ, v in by.most_common():
            print("  %-15s %5.1f%%" % (typ, 100.0 * v / n), file=sys.stderr)
        print("  讨论会 of meetings %.1f%%" % (100.0 * c[("meeting", "讨论会")] / by["meeting"]), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
