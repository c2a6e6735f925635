#!/usr/bin/env python3
"""make_data.py - one log for four schools, checked with rules/units/wenxueyuan.zd.

Writes, beside this script, events.csv, roster.csv, topics.csv, calendar.csv
and colleges.db (the same rows as SQLite), in the format of docs/data.md,
with a `unit` column in every table.

    python3 examples/colleges/make_data.py              # write the data set
    python3 examples/colleges/make_data.py --out DIR    # ... into DIR instead
    python3 examples/colleges/make_data.py --expected   # the violations the
                                                        # scenario was written for

Four schools (文学院, 数学与统计学院, 外国语学院, 化学与药学学院) send their logs
of March 2025 to the university, which concatenates them (one school after
the other) and checks them in one run with the school rule file (weekly
catch-up meeting, one-hour emergency reports). Each school numbers its own
events from 0001, so the same event id occurs in every unit: ids (and refs)
are unique only within a unit.

Everything is judged per unit (docs/data.md, "Units"; docs/regulation.md,
"Readings that hold for every tag", edge case 2):

* each unit's checked range runs from its own first to its own last event
  (化学与药学学院's log starts a week later than the others);
* each unit has its own roster and topics rows; a row with an EMPTY unit
  belongs to unit "" (which has no events), not to every unit;
* calendar rows with an empty unit apply to every unit (the semester, the
  vacations, the 清明 holiday), and 外国语学院 has a calendar row of its own
  (its 国际文化周, a week without classes).

The window is one month, so no semester lies inside any unit's range: O12 and
O13 are not judged here (see examples/wenxueyuan for them).
"""
import datetime as dt
import os
import sys

sys.dont_write_bytecode = True     # no examples/__pycache__ beside the data
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
import datagen  # noqa: E402  (examples/datagen.py)
from datagen import D, week  # noqa: E402

WX, SX, WY, HY = "文学院", "数学与统计学院", "外国语学院", "化学与药学学院"
UNITS = [WX, SX, WY, HY]

# person ids (工号), per unit: secretary, dean, two more members, the office director
PEOPLE = {
    WX: dict(S=("19960318", "覃建华"), P=("20020915", "黄永林"),
             M=[("20050627", "李秋萍", "学生工作;宣传;安全稳定"), ("20080110", "蒋文博", "教学;招生就业")],
             D=("20150708", "卢小玲"), S_areas="党建;干部", P_areas="学科建设;人事;财务"),
    SX: dict(S=("19940521", "廖国栋"), P=("20000816", "张明远"),
             M=[("20070313", "梁晨", "学生工作;安全稳定"), ("20090927", "黄丽", "教学;科研")],
             D=("20140402", "甘露"), S_areas="党建;干部", P_areas="学科建设;人事;财务"),
    WY: dict(S=("19980609", "陈慧"), P=("20031122", "杨帆"),
             M=[("20060815", "周涛", "学生工作;安全稳定"), ("20110504", "何静", "教学;国际交流")],
             D=("20160919", "韦敏"), S_areas="党建;干部", P_areas="学科建设;人事;财务"),
    HY: dict(S=("19950730", "农建军"), P=("20010228", "苏志强"),
             M=[("20040117", "蒙晓", "学生工作;安全稳定"), ("20100605", "韦小红", "教学;实验室")],
             D=("20130811", "黎娜"), S_areas="党建;干部", P_areas="学科建设;人事;财务"),
}
LUO_MIN = ("20050612", "罗敏")   # the UNIVERSITY's 党委办公室主任 (row with an empty unit)
VISITOR = ("20170320", "覃宇")   # 外国语学院 英语系主任 (not on the roster)


def S(u):
    return PEOPLE[u]["S"][0]


def P(u):
    return PEOPLE[u]["P"][0]


def M(u, i):
    return PEOPLE[u]["M"][i][0]


def DIR(u):
    return PEOPLE[u]["D"][0]


def team(u):
    return [S(u), P(u), M(u, 0), M(u, 1)]


ROSTER = []
for u in UNITS:
    p = PEOPLE[u]
    ROSTER += [
        (u, p["S"][0], p["S"][1], "院党委书记", "2021-07-01", "", ""),
        (u, p["S"][0], p["S"][1], "班子成员", "2021-07-01", "", p["S_areas"]),
        (u, p["P"][0], p["P"][1], "院长", "2022-01-01", "", ""),
        (u, p["P"][0], p["P"][1], "班子成员", "2022-01-01", "", p["P_areas"]),
    ]
    for (pid, name, areas) in p["M"]:
        ROSTER.append((u, pid, name, "班子成员", "2020-09-01", "", areas))
    ROSTER.append((u, p["D"][0], p["D"][1], "党委办公室主任", "2021-03-01", "", ""))
# The university's own office director, exported with an EMPTY unit: this row
# belongs to unit "" only (reading 2), so in 数学与统计学院 she is nobody.
ROSTER.append(("", LUO_MIN[0], LUO_MIN[1], "党委办公室主任", "2022-03-01", "", ""))

CALENDAR = [
    ("", "2024-2025寒假", "vacation", "2025-01-18", "2025-02-17"),
    ("", "2024-2025-2", "semester", "2025-02-17", "2025-07-05"),
    ("", "2025清明节假期", "vacation", "2025-04-04", "2025-04-07"),
    ("", "2025暑假", "vacation", "2025-07-05", "2025-09-01"),
    (WY, "外国语学院国际文化周（停课）", "vacation", "2025-03-17", "2025-03-22"),
]

TOPICS = [
    # unit, topic, title, category, lead, areas
    (WX, "ZY-01", "汉语言文学（师范）专业认证整改方案", "师生权益", M(WX, 1), "教学"),
    (SX, "SX-02", "数学建模竞赛奖励办法", "师生权益", M(SX, 1), "教学"),
    (WY, "WY-01", "外语学科国际化建设方案", "三重一大;长远发展", P(WY), "学科建设;国际交流;财务"),
    # The same topic id in another unit, with another category: this row is
    # 外国语学院's own and says 行政 only (no O8 there). It comes after
    # 文学院's row: read as one table, it would hide 文学院's O8 violation.
    (WY, "ZY-01", "英语（师范）专业认证整改方案", "行政", M(WY, 1), "教学"),
    (HY, "HY-03", "实验室危化品采购管理细则", "行政", M(HY, 1), "实验室"),
    # A topic row with an EMPTY unit: it belongs to unit "" only. For 数学与
    # 统计学院 the topic GG-2025-01 has no row, so O7/O8 are not judged there.
    ("", "GG-2025-01", "全校学生综合素质测评办法", "师生权益", "19880031", "学生工作"),
]

DATA = datagen.DataSet("colleges.db", units=UNITS)


def ev(u, key, *args, **kw):
    return DATA.ev(key, *args, unit=u, **kw)


def violation(u, tag, subjects, **kw):
    DATA.violation(tag, subjects, unit=u, **kw)


# Which weeks each unit runs its weekly business in (Mondays).
MONDAYS = [D("2025-03-03"), D("2025-03-10"), D("2025-03-17"), D("2025-03-24"), D("2025-03-31")]
START = {WX: D("2025-03-03"), SX: D("2025-03-03"), WY: D("2025-03-03"), HY: D("2025-03-10")}
# The checked range: every unit's last event is on 2025-04-08 (after the
# 清明 holiday), so the weeks 03-03 (03-10 for 化学与药学学院) .. 03-24 are
# judged; the week of 03-31 overlaps the shared 清明 row and is not.
O1_BREAK = {(WX, D("2025-03-24"))}
O2_BREAK = {(SX, D("2025-03-10"))}
NO_BUSINESS = {(WY, D("2025-03-17"))}   # 外国语学院's 国际文化周: no meeting, no talk


def regular(u):
    for m in MONDAYS:
        if m < START[u]:
            continue
        if (u, m) in NO_BUSINESS:
            continue       # not judged in this unit: its own vacation row
        # weekly catch-up meeting
        if (u, m) in O2_BREAK:
            violation(u, "O2", [], window=week(m), why="本周没有召开碰头会")
        else:
            day = m
            obs = [DIR(u)]
            note = "学院领导班子碰头会"
            if u == WY and m == D("2025-03-03"):
                day = D("2025-03-04")
                note = "学院领导班子碰头会（周二召开）"
            if u == SX and m == D("2025-03-17"):
                obs = [DIR(u), LUO_MIN[0]]
                note = "学院领导班子碰头会（校党委办公室主任罗敏列席督查）"
            key = ev(u, "ph%s" % day.strftime("%m%d"), "%s 08:00" % day.isoformat(), "meeting",
                     S(u), [x for x in team(u) if x != S(u)], obs, "领导班子碰头会", note=note)
            if day.weekday() != 0:
                # O2 KEPT for the week, O2.monday BROKEN.
                violation(u, "O2.monday", [], trigger=key, why="周二召开")
            if LUO_MIN[0] in obs:
                # O3 BROKEN: 罗敏's roster row has an empty unit, so in this
                # unit she is neither a member nor an office director.
                violation(u, "O3", [LUO_MIN[0]], trigger=key,
                          why="罗敏的名册行unit为空，只属于单位\"\"，在本学院不是办公室主任")
        # weekly talk of the secretary and the dean
        if (u, m) in O1_BREAK:
            violation(u, "O1", [S(u), P(u)], window=week(m), why="本周书记与院长没有沟通")
        else:
            wed = m + dt.timedelta(days=2)
            ev(u, "wk%s" % m.strftime("%m%d"), "%s 17:00" % wed.isoformat(), "communication",
               S(u), [P(u)], kind="个别交流", note="院党委书记与院长每周沟通")


# ------------------------------------------------------------------ 文学院
u = WX
regular(u)
ev(u, "dir1", "2025-03-11 09:00", "directive", topic=["师党〔2025〕5号"], note="收到校党委文件")
ev(u, "c_lx", "2025-03-12 10:00", "consultation", P(u), [S(u)], topic=["师党〔2025〕5号", "ZY-01"],
   outcome="agree", note="院长就上会议题与院党委书记沟通")
ev(u, "lx0313", "2025-03-13 14:30", "meeting", P(u), [S(u), M(u, 0), M(u, 1)], [DIR(u)], "党政联席会",
   ["师党〔2025〕5号", "ZY-01"], note="党政联席会：传达校党委文件、专业认证整改方案")
# O17 KEPT (dir1 briefed at the first meeting after it); O5, O6 KEPT.
# O8 BROKEN: ZY-01 is 师生权益 in this unit's topics row, and its lead 蒋文博
# held no 讨论会 on it.
violation(u, "O8", ["ZY-01"], trigger="lx0313", why="本学院ZY-01为师生权益议题，分管领导未召开讨论会")
ev(u, "in1", "2025-03-19 10:00", "incident", M(u, 0), kind="突发事件", note="学生在实习学校受伤")
ev(u, "in1_r", "2025-03-19 10:50", "report", M(u, 0), [S(u), P(u)], ref="in1",
   note="李秋萍50分钟内汇报")
# O10 KEPT for both (50 min <= 1 h).
ev(u, "last", "2025-04-08 10:00", "communication", S(u), [M(u, 1)], kind="个别交流",
   note="覃建华与蒋文博个别交流")

# ------------------------------------------------------------------ 数学与统计学院
u = SX
regular(u)
ev(u, "c_dw", "2025-03-18 10:00", "consultation", S(u), [P(u)], topic=["GG-2025-01"],
   outcome="agree", note="院党委书记与院长沟通")
ev(u, "dw0320", "2025-03-20 14:30", "meeting", S(u), [P(u), M(u, 0), M(u, 1)], [DIR(u)], "院党委会",
   ["GG-2025-01"], note="院党委会：学生综合素质测评办法（学院实施细则）")
# O4, O6 KEPT. O8 not judged: the only topics row of GG-2025-01 has an empty
# unit, so this unit has no row for it (reading 2; 4).
ev(u, "in1", "2025-03-26 20:00", "incident", M(u, 0), kind="突发事件", note="学生宿舍用电起火")
ev(u, "in1_r", "2025-03-26 21:30", "report", M(u, 0), [S(u), P(u)], ref="in1",
   note="梁晨1.5小时后汇报")
ev(u, "in1_p", "2025-03-26 21:40", "plan", M(u, 0), ref="in1", note="临时安置预案")
ev(u, "in1_a", "2025-03-26 21:50", "approval", S(u), outcome="approved", ref="in1_p",
   note="廖国栋同意")
ev(u, "in1_i", "2025-03-26 22:00", "implementation", M(u, 0), ref="in1_p", note="实施")
# O10 BROKEN for both (1.5 h > 1 h); O11 KEPT.
violation(u, "O10", [M(u, 0), S(u)], trigger="in1", why="1.5小时后才汇报")
violation(u, "O10", [M(u, 0), P(u)], trigger="in1", why="1.5小时后才汇报")
ev(u, "last", "2025-04-08 10:00", "communication", P(u), [M(u, 1)], kind="个别交流",
   note="张明远与黄丽个别交流")

# ------------------------------------------------------------------ 外国语学院
u = WY
ev(u, "first", "2025-03-03 09:00", "communication", S(u), [M(u, 0)], kind="个别交流",
   note="陈慧与周涛个别交流（本学院的第一个事件：检查范围从03-03开始）")
regular(u)
ev(u, "c_wy01", "2025-03-06 10:00", "consultation", P(u), [S(u)], topic=["WY-01"],
   outcome="agree", note="院长杨帆就国际化建设方案与院党委书记沟通")
ev(u, "c_wy01b", "2025-03-07 10:00", "consultation", P(u), [M(u, 1)], topic=["WY-01"],
   outcome="agree", note="杨帆与分管国际交流的何静沟通")
ev(u, "tl_wy01", "2025-03-10 15:00", "meeting", P(u), [M(u, 1), VISITOR[0]], kind="讨论会",
   topic=["WY-01"], note="杨帆召开国际化建设方案讨论会")
ev(u, "c_lx", "2025-03-11 10:00", "consultation", P(u), [S(u)], topic=["ZY-01"],
   outcome="agree", note="院长与院党委书记沟通")
ev(u, "lx0313", "2025-03-13 14:30", "meeting", P(u), [S(u), M(u, 0), M(u, 1)], [DIR(u)], "党政联席会",
   ["WY-01", "ZY-01"], note="党政联席会：国际化建设方案、专业认证整改方案")
# O5, O6 KEPT; O7 KEPT for WY-01 (lead 杨帆, areas 学科建设;国际交流;财务:
# 何静 (国际交流) consulted; 学科建设, 财务 are the lead's own); O8 KEPT for
# WY-01 (讨论会 03-10). ZY-01 is 行政 in THIS unit's row: no O8.
ev(u, "ab_he_q", "2025-03-19 10:00", "leave_request", M(u, 1), [P(u)], ref="ab_he",
   note="何静请假")
ev(u, "ab_he_a", "2025-03-20 09:00", "approval", P(u), outcome="approved", ref="ab_he_q",
   note="杨帆批准")
ev(u, "ab_he", "2025-03-24 08:00", "absence", M(u, 1), kind="出差", end="2025-03-28 20:00",
   note="何静赴北京外国语大学交流（4天半）")
# O15.leave KEPT. O15.delegation BROKEN: 4.5 days, no delegation.
violation(u, "O15.delegation", [M(u, 1)], trigger="ab_he", why="外出4天半，没有 delegation")
ev(u, "last", "2025-04-08 10:00", "communication", S(u), [M(u, 0)], kind="个别交流",
   note="陈慧与周涛个别交流")

# ------------------------------------------------------------------ 化学与药学学院
u = HY
regular(u)
ev(u, "dir1", "2025-03-12 09:00", "directive", topic=["师党〔2025〕5号"], note="收到校党委文件")
# O17 BROKEN: this unit's first 院党委会/党政联席会 after dir1 is lx0318, which
# does not brief it. (文学院's 党政联席会 of 03-13, which briefs the same
# document, is another unit's event.)
violation(u, "O17", ["师党〔2025〕5号"], trigger="dir1",
          why="本学院其后第一次会议lx0318没有通报（文学院03-13的会议不属于本单位）")
ev(u, "lx0318", "2025-03-18 14:30", "meeting", P(u), [S(u), M(u, 0), M(u, 1)], [DIR(u)], "党政联席会",
   ["HY-03", "HY-03"], note="党政联席会：危化品采购管理细则（议程重复录入）")
# O5 BROKEN once: no consultation on HY-03; the item listed twice is one
# violation (reading 10).
violation(u, "O5", ["HY-03"], trigger="lx0318", why="院长未与院党委书记沟通（重复议题只算一次）")
ev(u, "dl1", "2025-03-20 10:00", "delay", M(u, 1), topic=["HY-ZD-02"],
   note="实验楼改造工程受阻")
ev(u, "dl1_r", "2025-03-20 15:00", "report", M(u, 1), [M(u, 0)], ref="dl1",
   note="韦小红只向副书记蒙晓通报")
# O9 BROKEN: the report did not go to the secretary or the dean.
violation(u, "O9", [M(u, 1)], trigger="dl1", why="汇报对象不含院党委书记或院长")
ev(u, "c_dw", "2025-03-24 10:00", "consultation", S(u), [P(u)], topic=["师党〔2025〕5号"],
   outcome="agree", note="院党委书记与院长沟通")
ev(u, "dw0325", "2025-03-25 14:30", "meeting", S(u), [P(u), M(u, 0), M(u, 1)], [DIR(u)], "院党委会",
   ["师党〔2025〕5号"], note="院党委会：传达校党委文件（迟了）")
# O4, O6 KEPT.
ev(u, "last", "2025-04-08 10:00", "communication", S(u), [M(u, 1)], kind="个别交流",
   note="农建军与韦小红个别交流")


if __name__ == "__main__":
    DATA.main(__file__, ROSTER, TOPICS, CALENDAR)
