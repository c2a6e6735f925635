#!/usr/bin/env python3
"""gen_attendees.py - one huge meeting (issue 11, item 13): a 领导班子碰头会
whose targets list N attendees, against a roster of R rows, for rules/gxnu.zd.

Rule O3 (碰头会参加人员) loops over every attendee and, per attendee, builds
the lists of 班子成员, 党委办公室主任 and 校长办公室主任 at the meeting's time
from the roster (R rows each): the memory a rule run holds grows with N x R
unless each iteration's lists are freed when the iteration ends.

    gen_attendees.py --attendees N --roster R --out DIR

The roster holds R 班子成员 (p0 .. pR-1) plus one 书记 and one 校长; the
meeting's attendees are p0 .. and then a0 .., N in all, so N - R of them are
not 班子成员 (one violation each). The peak resident memory of
`zhidu run rules/gxnu.zd DIR` for N = 100000, R = 2000 (measured with
/usr/bin/time -v) is in docs/security.md.
"""
import argparse
import os


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attendees", type=int, default=100000)
    ap.add_argument("--roster", type=int, default=2000)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "roster.csv"), "w", encoding="utf-8") as f:
        f.write("person,name,role,from,to,areas\n")
        f.write("s0,书记甲,书记,2020-01-01,,\n")
        f.write("z0,校长乙,校长,2020-01-01,,\n")
        for i in range(a.roster):
            f.write(f"p{i},成员{i},班子成员,2020-01-01,,\n")
    people = [f"p{i}" for i in range(min(a.roster, a.attendees))]
    people += [f"a{i}" for i in range(a.attendees - len(people))]
    with open(os.path.join(a.out, "events.csv"), "w", encoding="utf-8") as f:
        f.write("id,time,type,actor,targets,observers,kind,topic,outcome,end,ref,note\n")
        f.write("M1,2024-03-04 09:00,meeting,s0," + ";".join(people) + ",,领导班子碰头会,,,,,\n")
    with open(os.path.join(a.out, "topics.csv"), "w", encoding="utf-8") as f:
        f.write("topic,title,category,lead,areas\n")
    with open(os.path.join(a.out, "calendar.csv"), "w", encoding="utf-8") as f:
        f.write("name,kind,from,to\n")


if __name__ == "__main__":
    main()
