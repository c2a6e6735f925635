#!/usr/bin/env python3
"""agree.py - do zhidu and a plain reading report the same O7, O8, O17 violations?

    agree.py ZHIDU.jsonl OTHER.out [LABEL]

Compares (tag, unit, trigger, set of subjects) from zhidu's jsonl report with
the lines printed by bench/rules.sql or bench/rules.py (LABEL names it, default
"sql"); prints the counts per tag and every difference; exits 1 if they differ.
"""
import collections
import json
import sys

TAGS = ("O7", "O8", "O17")


def main(zpath, spath, label):
    z = collections.Counter()
    with open(zpath, encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            tag = v["tags"][0]
            if tag in TAGS:
                z[(tag, v["unit"], v["trigger"], tuple(sorted(set(v["subjects"]))))] += 1
    s = collections.Counter()
    with open(spath, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("|")
            subj = p[3:] if p[0] != "O17" else [x for x in p[3].split(";") if x]
            s[(p[0], p[1], p[2], tuple(sorted(set(subj))))] += 1
    for tag in TAGS:
        print("  %-4s zhidu %6d  %s %6d" % (tag, sum(n for k, n in z.items() if k[0] == tag), label,
                                            sum(n for k, n in s.items() if k[0] == tag)))
    only_z, only_s = z - s, s - z
    for k in sorted(only_z):
        print("  only zhidu:", k)
    for k in sorted(only_s):
        print("  only %s:" % label, k)
    print("agree" if not only_z and not only_s else "DISAGREE")
    return 0 if not only_z and not only_s else 1


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else "sql"))
