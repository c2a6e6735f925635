#!/usr/bin/env python3
"""make_data.py - the bundled example data set for rules/units/waiguoyu.zd.

Writes, beside this script, events.csv, roster.csv, topics.csv, calendar.csv
and waiguoyu.db (the same rows as SQLite tables events/roster/topics/
calendar), in the format of docs/data.md.

    python3 examples/waiguoyu/make_data.py              # write the data set
    python3 examples/waiguoyu/make_data.py --out DIR    # ... into DIR instead
    python3 examples/waiguoyu/make_data.py --expected   # the violations the
                                                        # scenario was written for

The School of Foreign Languages (外国语学院) applies the university's
regulation by reference (rules/units/waiguoyu.zd): its principal leaders are
the 院党委书记 and the 院长; the 领导班子碰头会 is held every two TEACHING weeks
(cycles from the semester's start, judged only when wholly inside the
semester) on a Monday MORNING (08:00 to 12:00); the 院党委书记 and the 院长 talk
with every member THREE times a semester; there are FOUR briefings (通报) in
every month of a semester.

One semester, 2024-2025-2 (2025-02-17 .. 2025-07-05), written by hand:
regular business by loops, every departure with a comment naming the tag it
breaks or keeps; violation(...) declares each intended violation.
"""
import datetime as dt
import os
import sys

sys.dont_write_bytecode = True     # no examples/__pycache__ beside the data
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
import datagen  # noqa: E402  (examples/datagen.py)
from datagen import D, week, mondays  # noqa: E402

LIANG = "19970512"   # 梁志宏  院党委书记
ZHOU = "20030821"    # 周晓燕  院长
TANG = "20090316"    # 唐文静  副院长
MO = "20110905"      # 莫海涛  副院长
WEIL = "20140610"    # 韦丽    党政办主任 (role 党委办公室主任)
QINM = "20170302"    # 覃明    英语系主任 (not on the roster)

NAMES = {LIANG: "梁志宏", ZHOU: "周晓燕", TANG: "唐文静", MO: "莫海涛", WEIL: "韦丽", QINM: "覃明"}
TEAM = [LIANG, ZHOU, TANG, MO]
SEMESTER = ("2025-02-17", "2025-07-05")

ROSTER = [
    (LIANG, "院党委书记", "2022-07-01", "", ""),
    (LIANG, "班子成员", "2022-07-01", "", "党建;干部"),
    (ZHOU, "院长", "2021-01-01", "", ""),
    (ZHOU, "班子成员", "2021-01-01", "", "学科建设;人事;财务"),
    (TANG, "班子成员", "2019-09-01", "", "教学;学生工作"),
    (MO, "班子成员", "2023-03-01", "", "科研;国际交流"),
    (WEIL, "党委办公室主任", "2020-03-01", "", ""),
]

CALENDAR = [
    ("2024-2025寒假", "vacation", "2025-01-18", "2025-02-17"),
    ("2024-2025-2", "semester", "2025-02-17", "2025-07-05"),
    ("2025劳动节", "vacation", "2025-05-01", "2025-05-06"),
    ("2025暑假", "vacation", "2025-07-12", "2025-09-01"),
]

TOPICS = []

DATA = datagen.DataSet("waiguoyu.db", id_format="WG%04d")
ev = DATA.ev
violation = DATA.violation

# ------------------------------------------------------------ O1: weekly contact
# The 院党委书记 and the 院长 talk every Wednesday, but not in the week of 04-07.
# Weeks judged: 02-17 .. 06-30 but those of 04-28 and 05-05 (they overlap the
# 劳动节 holiday). The summer vacation starts on 07-12, after the examinations.
for m in mondays(D("2025-02-17"), D("2025-06-30")):
    if m == D("2025-04-07"):
        # O1 BROKEN; nothing else between the two happens in that week either.
        violation("O1", [LIANG, ZHOU], window=week(m), why="本周院党委书记与院长没有沟通")
        continue
    day = m + dt.timedelta(days=2)
    ev("wk%s" % day.strftime("%m%d"), "%s 10:00" % day.isoformat(), "communication", LIANG, [ZHOU],
       kind="个别交流", note="院党委书记与院长每周沟通")

# ------------------------------------------------------------ O2, O2.monday, O3: catch-up meetings
# Cycles of two weeks from the semester's start, 02-17: those of 02-17, 03-03,
# 03-17, 03-31, 04-14, 05-12, 05-26 and 06-09 are judged; 04-28 overlaps the
# 劳动节 holiday; 06-23 runs past the semester's end (07-05) and is not judged
# (it overlaps no vacation: only the `only within` line of the rule file
# keeps it out).
MEETINGS = [
    # (time, extra observers, note)
    ("2025-02-17 09:00", [], "第1次碰头会"),
    ("2025-03-03 09:00", [], "第2次碰头会"),
    # O2 KEPT for 03-17..03-31; O2.monday BROKEN: a Monday afternoon.
    ("2025-03-17 14:30", [], "第3次碰头会（周一下午）"),
    # none in 03-31..04-14: O2 BROKEN (below).
    ("2025-04-14 09:00", [], "第4次碰头会"),
    # O2 KEPT for 05-12..05-26; O2.monday BROKEN: a Tuesday.
    ("2025-05-13 09:00", [], "第5次碰头会（周二）"),
    # O3 BROKEN: the head of the English department sits in.
    ("2025-05-26 09:00", [QINM], "第6次碰头会（英语系主任列席）"),
    # 08:00 is the morning window's first instant: O2.monday KEPT.
    ("2025-06-09 08:00", [], "第7次碰头会"),
    # none in 06-23..07-07: not judged (not a teaching cycle).
]
for t, extra, note in MEETINGS:
    key = "ph%s" % t[5:10].replace("-", "")
    ev(key, t, "meeting", LIANG, [ZHOU, TANG, MO], [WEIL] + extra, "领导班子碰头会", note=note)
    if t.startswith("2025-03-17") or t.startswith("2025-05-13"):
        violation("O2.monday", [], trigger=key, why=note)
    if extra:
        violation("O3", extra, trigger=key, why="覃明不是班子成员也不是办公室主任")
violation("O2", [], window=("2025-03-31", "2025-04-14"), why="这一教学周期没有召开碰头会")

# ------------------------------------------------------------ W1: four briefings a month
# Months wholly inside the semester: March, April, May, June. April has three.
BRIEFINGS = ["2025-02-25", "2025-03-04", "2025-03-11", "2025-03-18", "2025-03-25",
             "2025-04-01", "2025-04-15", "2025-04-22",
             "2025-05-08", "2025-05-14", "2025-05-20", "2025-05-27",
             "2025-06-03", "2025-06-10", "2025-06-17", "2025-06-24", "2025-06-27", "2025-07-01"]
for d in BRIEFINGS:
    ev("tb%s" % d[5:].replace("-", ""), "%s 16:00" % d, "communication", LIANG, [ZHOU, TANG, MO],
       kind="通报", note="院党委书记向班子成员通报工作情况")
violation("W1", [], window=("2025-04-01", "2025-05-01"), why="四月只有3次通报")

# ------------------------------------------------------------ O12, O13: heart-to-heart talks
TALKS = [
    ("2025-03-05 15:00", LIANG, [ZHOU]), ("2025-04-16 15:00", ZHOU, [LIANG]), ("2025-05-21 15:00", LIANG, [ZHOU]),
    ("2025-03-06 15:00", LIANG, [TANG]), ("2025-04-17 15:00", LIANG, [TANG]), ("2025-05-22 15:00", TANG, [LIANG]),
    ("2025-03-07 15:00", LIANG, [MO]), ("2025-04-18 15:00", LIANG, [MO]), ("2025-05-23 15:00", LIANG, [MO]),
    ("2025-03-12 15:00", ZHOU, [TANG]), ("2025-04-23 15:00", ZHOU, [TANG]), ("2025-05-28 15:00", ZHOU, [TANG]),
    # 周晓燕 and 莫海涛: two talks in the semester, the third after its end.
    ("2025-03-13 15:00", ZHOU, [MO]), ("2025-04-24 15:00", MO, [ZHOU]), ("2025-07-07 09:00", ZHOU, [MO]),
    # 唐文静 and 莫海涛 never talk.
]
for n, (t, a, tg) in enumerate(TALKS):
    ev("tx%02d" % n, t, "communication", a, tg, kind="谈心谈话",
       note="%s与%s谈心谈话" % (NAMES[a], "、".join(NAMES[x] for x in tg)))
violation("O12", [ZHOU, MO], window=SEMESTER, why="本学期只谈心谈话2次（07-07那次在学期之后）")
violation("O13", [TANG, MO], window=SEMESTER, why="两人之间没有谈心谈话")

# The last event: the checked range ends on 2025-07-07 10:00.
ev("wk0707", "2025-07-07 10:00", "communication", LIANG, [ZHOU], kind="个别交流", note="暑假前沟通")


if __name__ == "__main__":
    DATA.main(__file__, datagen.named_roster(ROSTER, NAMES), TOPICS, CALENDAR)
