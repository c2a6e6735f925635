#!/usr/bin/env python3
"""cmp_reports.py ZHIDU.jsonl REF.jsonl - compare two violation reports as sets
of identities (unit, tag, window or trigger, sorted subjects).

Exit 0 when they are equal; else exit 1 and print, one a line, what only one
side has ("zhidu-only: ..." / "ref-only: ..."), at most --max lines of each.
"""
import json
import sys


def identities(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except ValueError as e:
                raise SystemExit("%s:%d: not JSON: %s" % (path, n, e))
            tags = o.get("tags") or []
            w = o.get("window")
            wt = ("window", w["from"], w["to"]) if w else ("trigger", o.get("trigger"))
            for tag in tags:
                out.add((o.get("unit"), tag, wt, tuple(sorted(set(o.get("subjects") or [])))))
    return out


def show(k):
    unit, tag, wt, subj = k
    where = "%s..%s" % (wt[1], wt[2]) if wt[0] == "window" else "trigger=%s" % wt[1]
    return "unit=%s %s %s subjects=%s" % (json.dumps(unit, ensure_ascii=False), tag, where,
                                         json.dumps(list(subj), ensure_ascii=False))


def main(argv):
    mx = 10
    if len(argv) > 2 and argv[0] == "--max":
        mx = int(argv[1])
        argv = argv[2:]
    a, b = identities(argv[0]), identities(argv[1])
    if a == b:
        return 0
    for label, d in (("zhidu-only", a - b), ("ref-only", b - a)):
        for k in sorted(d, key=show)[:mx]:
            print("%s: %s" % (label, show(k)))
        if len(d) > mx:
            print("%s: ... %d more" % (label, len(d) - mx))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
