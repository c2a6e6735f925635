#!/usr/bin/env python3
"""rules.py - a straightforward Python reading of O7, O8 and O17 of rules/gxnu.zd.

    rules.py DIR        (a CSV directory in zhidu's layout, with a unit column)

The baseline of bench/compare.sh for "a script": reads the CSV files with the
csv module, keeps per unit the earliest consultation of each (lead, member,
topic), the earliest 讨论会 of each (lead, topic) and the decision meetings in
time order, then judges. Prints the same lines as bench/rules.sql:
    O7|unit|meeting|topic|member   O8|unit|meeting|topic   O17|unit|directive|topics
Times are read as local (no offsets), like rules.sql.
"""
import bisect
import collections
import csv
import os
import sys

DECIDE = ("党委常委会", "党委全委会", "校长办公会")
REPORT_AT = ("党委常委会", "校长办公会")


def rows(d, name):
    with open(os.path.join(d, name + ".csv"), encoding="utf-8-sig", newline="") as f:
        yield from csv.DictReader(f)


def items(cell):
    return [x for x in dict.fromkeys((cell or "").split(";")) if x]


def norm(t):
    """a time cell -> 'YYYY-MM-DD HH:MM:SS' (sorts as it should)"""
    if not t:
        return None
    if len(t) == 10:
        return t + " 00:00:00"
    return t[:10] + " " + t[11:16] + (t[16:19] if len(t) >= 19 else ":00")


def main(d):
    topics = {}
    for r in rows(d, "topics"):
        topics[(r.get("unit", ""), r["topic"])] = (set(items(r["category"])), r["lead"] or None,
                                                   set(items(r["areas"])))
    members = collections.defaultdict(list)      # unit -> [(person, from, to, areas)]
    for r in rows(d, "roster"):
        if r["role"] == "班子成员":
            members[r.get("unit", "")].append((r["person"], norm(r["from"]), norm(r["to"]),
                                               set(items(r["areas"]))))
    consulted = {}       # (unit, lead, member, topic) -> earliest time
    discussed = {}       # (unit, lead, topic) -> earliest time
    agenda = []          # (unit, id, time, topics) of the decision meetings
    meets = collections.defaultdict(list)        # unit -> [(time, n, topics)]
    directives = []
    for n, e in enumerate(rows(d, "events")):
        typ, unit, t = e["type"], e.get("unit", ""), norm(e["time"])
        if typ == "consultation":
            for x in items(e["targets"]):
                for T in items(e["topic"]):
                    k = (unit, e["actor"], x, T)
                    if k not in consulted or t < consulted[k]:
                        consulted[k] = t
        elif typ == "meeting":
            kind = e["kind"]
            if kind == "讨论会":
                for T in items(e["topic"]):
                    k = (unit, e["actor"], T)
                    if k not in discussed or t < discussed[k]:
                        discussed[k] = t
            if kind in DECIDE:
                agenda.append((unit, e["id"], t, items(e["topic"])))
            if kind in REPORT_AT:
                meets[unit].append((t, n, set(items(e["topic"]))))
        elif typ == "directive":
            directives.append((unit, e["id"], t, e["topic"] or ""))
    out = []
    for unit, mid, t, tops in agenda:
        for T in tops:
            row = topics.get((unit, T))
            if not row or not row[1]:
                continue
            cats, lead, areas = row
            if "三重一大" in cats:
                ours = collections.defaultdict(set)
                for p, f, to, a in members[unit]:
                    if (f is None or f <= t) and (to is None or t < to):
                        ours[p] |= a
                for x, a in ours.items():
                    if x != lead and a & areas:
                        c = consulted.get((unit, lead, x, T))
                        if c is None or c > t:
                            out.append("O7|%s|%s|%s|%s" % (unit, mid, T, x))
            if "长远发展" in cats or "师生权益" in cats:
                c = discussed.get((unit, lead, T))
                if c is None or c > t:
                    out.append("O8|%s|%s|%s" % (unit, mid, T))
    for ms in meets.values():
        ms.sort(key=lambda m: (m[0], m[1]))
    keys = {u: [m[0] for m in ms] for u, ms in meets.items()}
    for unit, did, t, cell in directives:
        i = bisect.bisect_right(keys.get(unit, []), t)
        if i == len(keys.get(unit, [])):
            continue                               # pending: no meeting yet
        if not set(items(cell)) & meets[unit][i][2]:
            out.append("O17|%s|%s|%s" % (unit, did, cell))
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
