#!/usr/bin/env python3
"""edge_cases.py OUTDIR - small hand-written data sets, one per edge reading of
docs/regulation.md ("Readings that hold for every tag"), for differential
testing against tools/refcheck.py.

Writes OUTDIR/NAME/{events,roster,topics,calendar}.csv for every case, the
same tables as OUTDIR/NAME.db (SQLite, missing values as NULL), and
OUTDIR/NAME.args (extra `zhidu run` / refcheck.py options, one line, maybe
empty). tests/differential.sh runs zhidu and refcheck.py on each.
"""
import csv
import os
import sqlite3
import sys

EV = ["id", "time", "type", "actor", "targets", "observers", "kind", "topic",
      "outcome", "end", "ref"]
RO = ["person", "name", "role", "from", "to", "areas"]
TO = ["topic", "title", "category", "lead", "areas"]
CA = ["name", "kind", "from", "to"]

# a plain roster: s secretary, p president, m1..m3 members, d1 director
BASE_ROSTER = [
    ("s", "书记甲", "书记", "2020-01-01", "", ""),
    ("s", "书记甲", "班子成员", "2020-01-01", "", "党建"),
    ("p", "校长乙", "校长", "2020-01-01", "", ""),
    ("p", "校长乙", "班子成员", "2020-01-01", "", "教学"),
    ("m1", "丙", "班子成员", "2020-01-01", "", "财务;人事"),
    ("m2", "丁", "班子成员", "2020-01-01", "", "后勤"),
    ("m3", "戊", "班子成员", "2020-01-01", "", "科研"),
    ("d1", "己", "党委办公室主任", "2020-01-01", "", ""),
]


def ev(id, time, type, actor="", targets="", observers="", kind="", topic="",
       outcome="", end="", ref="", **extra):
    r = {"id": id, "time": time, "type": type, "actor": actor, "targets": targets,
         "observers": observers, "kind": kind, "topic": topic, "outcome": outcome,
         "end": end, "ref": ref}
    r.update(extra)
    return r


CASES = {}


def case(name, events, roster=None, topics=(), calendar=(), args="", units=False):
    CASES[name] = (events, BASE_ROSTER if roster is None else roster, topics, calendar, args, units)


# --- checked range, whole periods -------------------------------------------
case("range_week_ends_at_R1", [
    ev("a", "2025-03-05T10:00", "communication", "m1", "m2", kind="通报"),
    ev("b", "2025-03-17T00:00", "communication", "m1", "m2", kind="通报"),
])   # weeks 03-10..03-17 judged (ends exactly at R1); 03-03 week starts before R0
case("range_from_midweek_time", [
    ev("a", "2025-03-03T10:00", "communication", "s", "p"),
    ev("b", "2025-03-30T10:00", "communication", "m1", "m2"),
], args="--from 2025-03-03T10:00")
case("range_asof_monday", [
    ev("a", "2025-03-03T10:00", "communication", "m1", "m2"),
    ev("b", "2025-04-30T10:00", "communication", "m1", "m2"),
], args="--as-of 2025-03-17")
case("range_from_utc_asof_date", [
    ev("a", "2025-03-03T09:00", "communication", "m1", "m2"),
    ev("b", "2025-03-10T07:59", "meeting", "s", "p", kind="领导班子碰头会"),
    ev("c", "2025-04-20T10:00", "communication", "m1", "m2"),
], args="--from 2025-03-02T16:00:00Z --as-of 2025-03-31")
case("range_from_after_events", [
    ev("a", "2025-03-03T10:00", "delay", "m1"),
    ev("b", "2025-03-20T10:00", "delay", "m2"),
    ev("c", "2025-03-29T10:00", "communication", "m1", "m2"),
], args="--from 2025-03-10")
case("range_asof_cuts_deadline", [
    ev("a", "2025-03-03T10:00", "delay", "m1"),
    ev("b", "2025-03-04T10:00", "incident", "m1"),
    ev("c", "2025-03-05T10:00", "report", "m1", "s", ref="a"),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
], args="--as-of 2025-03-06T09:59:59")
case("range_event_after_asof_not_used", [
    ev("a", "2025-03-03T10:00", "delay", "m1"),
    ev("r", "2025-03-05T10:00", "report", "m1", "s", ref="a"),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
], args="--as-of 2025-03-05T09:00")

# --- O1 ---------------------------------------------------------------------
case("o1_monday_midnight_and_last_second", [
    ev("a", "2025-03-03", "communication", "s", "p"),
    ev("b", "2025-03-16T23:59:59", "consultation", "p", "s", topic="T"),
    ev("c", "2025-03-24T00:00:00+08:00", "communication", "m1", "m2"),
])
case("o1_offsets", [
    ev("a", "2025-03-02T16:00:00Z", "communication", "s", "p"),        # Mon 00:00 local
    ev("b", "2025-03-10T23:59:59+09:00", "communication", "s", "p"),  # Mon 22:59:59 local
    ev("c", "2025-03-16 23:30-01:00", "communication", "s", "p"),    # Mon 03-17 08:30
    ev("z", "2025-03-31 00:00", "communication", "m1", "m2"),
])
case("o1_back_to_back_secretary", [
    ev("a", "2025-03-03T09:00", "communication", "m1", "m2"),
    ev("z", "2025-03-31T00:00", "communication", "m1", "m2"),
], roster=[r for r in BASE_ROSTER if r[2] != "书记"] + [
    ("s", "书记甲", "书记", "2020-01-01", "2025-03-12T12:00", ""),
    ("s", "书记甲", "书记", "2025-03-12T12:00", "", ""),
])
case("o1_new_secretary_midweek", [
    ev("a", "2025-03-03T09:00", "communication", "m1", "p"),
    ev("z", "2025-03-31T00:00", "communication", "m1", "m2"),
], roster=[r for r in BASE_ROSTER if r[2] != "书记"] + [
    ("s", "书记甲", "书记", "", "2025-03-12T12:00", ""),
    ("m1", "丙", "书记", "2025-03-12T12:00", "", ""),
])
case("o1_vacation_overlap_one_instant", [
    ev("a", "2025-03-03T09:00", "communication", "m1", "m2"),
    ev("z", "2025-03-31T00:00", "communication", "m1", "m2"),
], calendar=[("v", "vacation", "2025-03-16T23:59:59", "2025-03-17"),
             ("v2", "vacation", "2025-03-24", "2025-03-24")])
case("o1_unknown_kinds_count", [
    ev("a", "2025-03-04T09:00", "communication", "s", "p", kind="电话沟通"),
    ev("b", "2025-03-11T09:00", "communication", "p", "m1;s;", kind=""),
    ev("c", "2025-03-18T09:00", "consultation", "s", "p", outcome="disagree"),
    ev("d", "2025-03-25T09:00", "communication", "s", "s;m1"),
    ev("z", "2025-03-31T00:00", "communication", "m1", "m2"),
])

# --- O2 ---------------------------------------------------------------------
case("o2_no_anchor", [
    ev("a", "2025-03-05T10:00", "meeting", "s", "p", kind="领导班子碰头会"),
    ev("b", "2025-03-24T09:00", "meeting", "s", "p", kind="领导班子碰头会"),
    ev("z", "2025-05-05T00:00", "communication", "m1", "m2"),
])
case("o2_anchors", [
    ev("a", "2025-03-03T10:00", "meeting", "s", "p", kind="领导班子碰头会"),
    ev("b", "2025-03-24T09:00", "meeting", "s", "p", kind="领导班子碰头会"),
    ev("c", "2025-04-14T09:00", "meeting", "s", "p", kind="领导班子碰头会"),
    ev("z", "2025-06-02T00:00", "communication", "m1", "m2"),
], calendar=[("c1", "cycle-anchor", "2025-02-10", ""),
             ("c2", "cycle-anchor", "2025-03-31", ""),
             ("c3", "cycle-anchor", "2025-03-31T00:00", ""),
             ("c4", "cycle-anchor", "2025-05-07T15:00", "")])
case("o2_anchor_inside_range", [
    ev("a", "2025-03-04T10:00", "communication", "m1", "m2"),
    ev("b", "2025-03-24T09:00", "meeting", "s", "p", kind="领导班子碰头会"),
    ev("z", "2025-05-05T00:00", "communication", "m1", "m2"),
], calendar=[("c1", "cycle-anchor", "2025-03-24", "")])
case("o2_monday_in_other_offset", [
    ev("a", "2025-03-02T23:00:00Z", "meeting", "s", "p", kind="领导班子碰头会"),  # Mon local
    ev("b", "2025-03-17T01:00:00+09:00", "meeting", "s", "p", kind="领导班子碰头会"),  # Mon 00:00 local
    ev("c", "2025-03-31T00:30:00+09:00", "meeting", "s", "p", kind="领导班子碰头会"),  # Sun 23:30
    ev("z", "2025-04-14T00:00", "communication", "m1", "m2"),
])

# --- O3 ---------------------------------------------------------------------
case("o3_attendance", [
    ev("a", "2025-03-03T10:00", "meeting", "", "p;x9;;m1", "d1;x8;s", kind="领导班子碰头会"),
    ev("b", "2025-03-10T10:00", "meeting", "x7", "p", "d1", kind="领导班子碰头会"),
    ev("c", "2025-03-11T10:00", "meeting", "x7", "x8", "x9", kind="书记专题会"),
])

# --- O4 O5 O6 ---------------------------------------------------------------
case("o4_o5_basic", [
    ev("c1", "2025-03-03T10:00", "consultation", "s", "m1;p", topic="T1;T2", outcome="agree"),
    ev("c2", "2025-03-04T10:00", "consultation", "p", "s", topic="T3", outcome="agree"),
    ev("m1", "2025-03-05T10:00", "meeting", "s", "p", kind="党委常委会", topic="T1;T3;T1;;T4"),
    ev("m2", "2025-03-06T10:00", "meeting", "p", "s", kind="校长办公会", topic="T1;T3"),
    ev("m3", "2025-03-04T10:00", "meeting", "p", "s", kind="党委全委会", topic="T3"),
    ev("m4", "2025-03-03T10:00", "meeting", "p", "s", kind="党委全委会", topic="T1"),
])
case("o4_no_president", [
    ev("c1", "2025-03-03T10:00", "consultation", "s", "m1", topic="T1"),
    ev("m1", "2025-03-05T10:00", "meeting", "s", "m1", kind="党委常委会", topic="T1"),
], roster=[r for r in BASE_ROSTER if r[2] != "校长"])
case("o4_roles_at_meeting_time", [
    ev("c1", "2025-03-03T10:00", "consultation", "s", "m1", topic="T1"),
    ev("m1", "2025-03-05T10:00", "meeting", "s", "m1", kind="党委常委会", topic="T1"),
    ev("m2", "2025-03-07T10:00", "meeting", "m1", "s", kind="校长办公会", topic="T1"),
], roster=[r for r in BASE_ROSTER if r[2] != "校长"] + [
    ("p", "校长乙", "校长", "2020-01-01", "2025-03-04", ""),
    ("m1", "丙", "校长", "2025-03-04", "", "")])
case("o6_latest", [
    ev("c1", "2025-03-03T10:00", "consultation", "s", "p", topic="T1;T2", outcome="disagree"),
    ev("c2", "2025-03-04T10:00", "consultation", "m1", "m2", topic="T1", outcome="agree"),
    ev("c3", "2025-03-04T11:00", "consultation", "m1", "m2", topic="T3", outcome=""),
    ev("m1", "2025-03-05T10:00", "meeting", "s", "p", kind="党委常委会", topic="T1;T2;T3;T9"),
    ev("c4", "2025-03-05T10:00:00+08:00", "consultation", "s", "p", topic="T1", outcome="disagree"),
    ev("c5", "2025-03-05T02:00Z", "consultation", "s", "p", topic="T2", outcome="agree"),
    ev("m2", "2025-03-06T10:00", "meeting", "s", "p", kind="校长办公会", topic="T1;T2"),
])
case("o6_tie_input_order", [
    ev("c1", "2025-03-03T10:00", "consultation", "s", "p", topic="T1", outcome="agree"),
    ev("c2", "2025-03-03T02:00Z", "consultation", "s", "p", topic="T1", outcome="disagree"),
    ev("c3", "2025-03-03T10:00", "consultation", "s", "p", topic="T2", outcome="disagree"),
    ev("c4", "2025-03-03T10:00", "consultation", "s", "p", topic="T2", outcome="agree"),
    ev("m1", "2025-03-05T10:00", "meeting", "s", "p", kind="党委常委会", topic="T1;T2"),
])

# --- O7 O8 ------------------------------------------------------------------
case("o7_o8", [
    ev("c1", "2025-03-03T10:00", "consultation", "m1", "m2", topic="T1", outcome="agree"),
    ev("c0", "2025-03-03T11:00", "consultation", "s", "p", topic="T1;T2;T3;T4;T5", outcome="agree"),
    ev("d1", "2025-03-04T10:00", "meeting", "m1", "s", kind="讨论会", topic="T2"),
    ev("d2", "2025-03-04T11:00", "meeting", "m2", "s", kind="讨论会", topic="T3"),
    ev("m1", "2025-03-05T10:00", "meeting", "s", "p", kind="党委常委会", topic="T1;T2;T3;T4;T5"),
    ev("m2", "2025-03-06T10:00", "meeting", "s", "p", kind="党委常委会", topic="T6"),
], topics=[
    ("T1", "old", "党建", "m1", "后勤"),
    ("T1", "new, \"quoted\"\nline", "三重一大;", "m1", "后勤;科研;财务;党建"),
    ("T2", "x", "长远发展;三重一大", "m1", "教学"),
    ("T3", "x", "师生权益", "m3", ""),
    ("T4", "x", "三重一大;师生权益", "", "教学"),
    ("T5", "x", "三重一大", "x9", "后勤"),
])
case("o7_areas_union_rows", [
    ev("m1", "2025-03-05T10:00", "meeting", "s", "p", kind="党委常委会", topic="T1"),
], roster=[r for r in BASE_ROSTER if r[0] != "m2"] + [
    ("m2", "丁", "班子成员", "2020-01-01", "2025-04-01", "后勤"),
    ("m2", "丁", "班子成员", "2025-03-01", "", "人事"),
    ("d1", "己", "党委办公室主任", "2020-01-01", "", "人事"),
    ("s", "书记甲", "书记", "2020-01-01", "", "人事"),
], topics=[("T1", "x", "三重一大", "m1", "人事")])

# --- O9 O10 -----------------------------------------------------------------
case("o9_o10_deadlines", [
    ev("a", "2025-03-03T10:00", "delay", "m1", topic="K"),
    ev("r1", "2025-03-06T10:00", "report", "m1", "p", ref="a"),      # exactly 72h
    ev("b", "2025-03-03T11:00", "delay", "m1"),
    ev("r2", "2025-03-06T11:00:01", "report", "m1", "p", ref="b"),   # 1s late
    ev("c", "2025-03-03T12:00", "delay", "m1"),
    ev("r3", "2025-03-03T12:00", "report", "m1", "s;p", ref="c"),    # same instant
    ev("d", "2025-03-03T13:00", "delay", ""),
    ev("e", "2025-03-03T14:00", "delay", "m2"),
    ev("r4", "2025-03-03T15:00", "report", "", "s", ref="e"),
    ev("f", "2025-03-03T16:00", "delay", "m2"),
    ev("r5", "2025-03-03T15:00", "report", "m2", "s", ref="f"),      # before the delay
    ev("i1", "2025-03-04T10:00", "incident", "m1", kind="突发事件"),
    ev("r6", "2025-03-04T12:00", "report", "m1", "s;p", ref="i1"),   # exactly 2h
    ev("i2", "2025-03-04T13:00", "incident", "s", kind="重大活动"),
    ev("r7", "2025-03-04T15:00:01", "report", "s", "p", ref="i2"),
    ev("i3", "2025-03-04T16:00", "incident", "m2", kind="其他"),
    ev("r8", "2025-03-04T16:30", "report", "m2", "s", ref="i3"),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
])
case("o9_pending", [
    ev("a", "2025-03-03T10:00", "delay", "m1"),
    ev("b", "2025-03-05T10:00", "incident", "m1"),
    ev("z", "2025-03-06T10:00", "communication", "m1", "m2"),
])
case("o9_no_leaders", [
    ev("a", "2025-03-03T10:00", "delay", "m1"),
    ev("b", "2025-03-03T11:00", "incident", "m1"),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
], roster=[r for r in BASE_ROSTER if r[2] not in ("书记", "校长")])

# --- O11 --------------------------------------------------------------------
case("o11", [
    ev("pl", "2025-03-03T10:00", "plan", "m1", ref="i"),
    ev("a1", "2025-03-03T11:00", "approval", "m1", outcome="approved", ref="pl"),
    ev("a2", "2025-03-03T12:00", "approval", "s", outcome="rejected", ref="pl"),
    ev("im1", "2025-03-03T13:00", "implementation", "m1", ref="pl"),
    ev("a3", "2025-03-03T14:00", "approval", "p", outcome="approved", ref="pl"),
    ev("im2", "2025-03-03T14:00", "implementation", "m1", ref="pl"),
    ev("im3", "2025-03-03T15:00", "implementation", "m1", ref=""),
    ev("im4", "2025-03-03T16:00", "implementation", "m1", ref="nope"),
    ev("a4", "2025-03-03T17:00", "approval", "m1", outcome="approved", ref="p2"),
    ev("im5", "2025-03-03T18:00", "implementation", "m1", ref="p2"),
], roster=BASE_ROSTER + [("m1", "丙", "校长", "2025-03-03T17:00", "2025-03-03T17:00:01", "")])

# --- O12 O13 ----------------------------------------------------------------
case("o12_o13", [
    ev("a", "2025-03-03T10:00", "communication", "s", "p;m1;m2", kind="谈心谈话"),
    ev("b", "2025-03-04T10:00", "communication", "m3", "p", kind="谈心谈话"),
    ev("c", "2025-03-05T10:00", "communication", "m1", "m2", kind="个别交流"),
    ev("d", "2025-03-31T00:00", "communication", "m1", "m3", kind="谈心谈话"),
    ev("z", "2025-04-01T10:00", "communication", "m1", "m2"),
], calendar=[("2024-2025-2", "semester", "2025-03-03", "2025-03-31"),
             ("again", "semester", "2025-03-03T00:00+08:00", "2025-03-31"),
             ("late", "semester", "2025-03-10", "2025-04-02")])
case("o12_secretary_not_member", [
    ev("a", "2025-03-03T10:00", "communication", "s", "p", kind="谈心谈话"),
    ev("z", "2025-03-31T00:00", "communication", "m1", "m2"),
], roster=[r for r in BASE_ROSTER if not (r[0] == "s" and r[2] == "班子成员")] + [
    ("m3", "戊", "班子成员", "2025-03-05", "", "科研")],
   calendar=[("sem", "semester", "2025-03-03", "2025-03-31")])

# --- O14 O15 ----------------------------------------------------------------
case("o14_o15", [
    ev("h1", "2025-03-03T09:00", "handover", "s", "p;m1", ref="ab1"),
    ev("ab1", "2025-03-03T10:00", "absence", "s", kind="出差", end="2025-03-05"),
    ev("ab2", "2025-03-04T10:00", "absence", "p", kind="学习", end=""),
    ev("h2", "2025-03-04T10:00", "handover", "p", "s", ref="ab2"),
    ev("q1", "2025-03-05T09:00", "leave_request", "m1", "x", ref="ab3"),
    ev("ap1", "2025-03-05T09:30", "approval", "p", outcome="approved", ref="q1"),
    ev("dl1", "2025-03-05T09:40", "delegation", "s", "m2", ref="ab3"),
    ev("ab3", "2025-03-05T10:00", "absence", "m1", kind="挂职", end="2025-03-08T10:00"),
    ev("q2", "2025-03-06T09:00", "leave_request", "m2", "s", ref="ab4"),
    ev("ap2", "2025-03-06T10:00", "approval", "s", outcome="approved", ref="q2"),
    ev("ab4", "2025-03-06T10:00", "absence", "m2", kind="出差", end="2025-03-09T09:59:59"),
    ev("ab5", "2025-03-07T10:00", "absence", "m3", kind="疗养", end="2025-03-20T10:00"),
    ev("dl5", "2025-03-07T10:00", "delegation", "m3", "m3;d1;x", ref="ab5"),
    ev("q6", "2025-03-08T09:00", "leave_request", "m2", "s", ref="ab6"),
    ev("ap6", "2025-03-08T09:10", "approval", "m1", outcome="approved", ref="q6"),
    ev("ab6", "2025-03-08T10:00", "absence", "m2", end=""),
    ev("ab7", "2025-03-09T10:00", "absence", "x", end="2025-04-09T10:00"),
    ev("ab8", "2025-03-09T11:00", "absence", "", end="2025-04-09T10:00"),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
])
case("o15_delegation_alone", [
    ev("ab1", "2025-03-05T10:00", "absence", "m1", kind="挂职", end="2025-03-18T10:00"),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
], roster=[("s", "a", "书记", "", "", ""), ("m1", "b", "班子成员", "", "", "")])

# --- O16 --------------------------------------------------------------------
case("o16_year", [
    ev("a", "2024-12-31T23:00:00Z", "communication", "m1", "m2"),       # 2025-01-01 07:00
    ev("b", "2025-06-01T10:00", "meeting", "s", "p", kind="民主生活会", topic="x;师党〔2018〕12号"),
    ev("c", "2025-12-01T10:00", "meeting", "s", "p", kind="述职述廉会", topic="师党〔2018〕12号 "),
    ev("z", "2026-01-01", "communication", "m1", "m2"),
])

# --- O17 --------------------------------------------------------------------
case("o17", [
    ev("d1", "2025-03-03T10:00", "directive", topic="D1;D2"),
    ev("m0", "2025-03-03T10:00", "meeting", "s", "p", kind="校长办公会", topic="D1"),
    ev("m1", "2025-03-04T10:00", "meeting", "s", "p", kind="党委全委会", topic="D1"),
    ev("m2", "2025-03-05T10:00", "meeting", "s", "p", kind="党委常委会", topic="D9"),
    ev("d2", "2025-03-05T11:00", "directive", topic=""),
    ev("d3", "2025-03-05T12:00", "directive", topic="D3;;D3"),
    ev("m3", "2025-03-06T10:00", "meeting", "p", "s", kind="校长办公会", topic="D3"),
    ev("d4", "2025-03-07T12:00", "directive", topic="D4"),
    ev("d5", "2025-03-07T13:00", "directive", topic=""),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
])

# --- units ------------------------------------------------------------------
case("units_tables", [
    ev("a", "2025-03-03T10:00", "communication", "m1", "m2", unit="U1"),
    ev("b", "2025-03-03T10:00", "communication", "m1", "m2", unit=""),
    ev("c", "2025-03-03T10:00", "delay", "m1", unit="U2"),
    ev("d", "2025-03-11T10:00", "delay", "m1", unit="U1"),
    ev("e", "2025-03-11T10:00", "delay", "m1", unit=""),
    ev("f", "2025-03-24T00:00", "communication", "m1", "m2", unit="U1"),
    ev("g", "2025-03-31T00:00", "communication", "m1", "m2", unit=""),
    ev("h", "2025-03-17T00:00", "communication", "m1", "m2", unit="U2"),
], roster=[("s", "a", "书记", "", "", "", "U1"), ("p", "b", "校长", "", "", "", "U1"),
           ("s", "a", "书记", "", "", "", ""), ("p2", "b", "校长", "", "", "", ""),
           ("p", "b", "校长", "", "", "", "U2")],
   calendar=[("v", "vacation", "2025-03-10", "2025-03-11", "U1"),
             ("v", "vacation", "2025-03-17", "2025-03-18", ""),
             ("a", "cycle-anchor", "2025-03-10", "", "U2")],
   units=True)


# CSV styles (byte-order mark, quoting, line end) other than the plain one
STYLES = {}
case("csv_bom_quoted_header", [
    ev("a", "2025-03-03T10:00", "delay", "m1"),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
])
STYLES["csv_bom_quoted_header"] = (True, csv.QUOTE_ALL, "\r\n")
case("csv_bom_crlf", [
    ev("a", "2025-03-03T10:00", "delay", "m1"),
    ev("z", "2025-03-20T10:00", "communication", "m1", "m2"),
])
STYLES["csv_bom_crlf"] = (True, csv.QUOTE_MINIMAL, "\r\n")


def write(path, cols, rows, db, table, style):
    rows = [[r.get(c, "") for c in cols] if isinstance(r, dict)
            else list(r) + [""] * (len(cols) - len(r)) for r in rows]
    bom, quoting, term = style
    with open(path, "w", encoding="utf-8", newline="") as f:
        if bom:
            f.write("\ufeff")
        w = csv.writer(f, lineterminator=term, quoting=quoting)
        w.writerow(cols)
        for r in rows:
            w.writerow(r)
    db.execute('CREATE TABLE "%s" (%s)' % (table, ", ".join('"%s" TEXT' % c for c in cols)))
    db.executemany('INSERT INTO "%s" VALUES (%s)' % (table, ", ".join("?" * len(cols))),
                   [[v if v != "" else None for v in r] for r in rows])


def main(argv):
    out = argv[0]
    for name, (events, roster, topics, calendar, args, units) in CASES.items():
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        if os.path.exists(d + ".db"):
            os.remove(d + ".db")
        db = sqlite3.connect(d + ".db")
        style = STYLES.get(name, (False, csv.QUOTE_MINIMAL, "\n"))
        u = ["unit"] if units else []
        write(os.path.join(d, "events.csv"), EV + u, events, db, "events", style)
        write(os.path.join(d, "roster.csv"), RO + u, roster, db, "roster", style)
        write(os.path.join(d, "topics.csv"), TO, topics, db, "topics", style)
        write(os.path.join(d, "calendar.csv"), CA + u, calendar, db, "calendar", style)
        db.commit()
        db.close()
        with open(d + ".args", "w") as f:
            f.write(args + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
