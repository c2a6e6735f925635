#!/usr/bin/env bash
# opcodes_documented.sh - docs/bytecode.md's instruction table says what
# runtime/opcodes.def declares: one row per opcode, in the same order, and in
# each row the operands (from the layout, through the doc's layout table, which
# must name every layout of program.h), the stack effect (pops -> pushes; a
# count of -1 is "b", "a+1" for EARLIEST, or "b+2" for VIOLATE/PENDING as
# verify.c counts it) and
# the effect (the synopsis, word for word). Only the last column, what the
# verifier checks, is prose the test cannot derive.
set -u
cd "$(dirname "$0")/.."
python3 - <<'EOF'
import re, sys
ok = True
def say(good, name, why=""):
    global ok
    print(("PASS " if good else "FAIL ") + name + ("" if good else ": " + why))
    ok = ok and good

ops = []
for line in open("runtime/opcodes.def", encoding="utf-8"):
    m = re.match(r'OP\((\w+),\s*(\w+),\s*(-?\d+),\s*(\d+),\s*"((?:[^"\\]|\\.)*)"\)', line)
    if m:
        name, layout, pops, pushes, syn = m.groups()
        ops.append((name, layout, int(pops), int(pushes), syn.replace('\\"', '"')))
say(len(ops) > 40, "opcodes.def parsed", "only %d opcodes found" % len(ops))

src = open("runtime/program.h", encoding="utf-8").read()
enum = re.search(r"typedef enum InsnLayout \{(.*?)\} InsnLayout;", src, re.S)
layouts = re.findall(r"LAYOUT_(\w+)", enum.group(1)) if enum else []
say(bool(layouts), "program.h InsnLayout parsed", "no layouts found")

doc = open("docs/bytecode.md", encoding="utf-8").read()
def cells(row):
    return [c.strip() for c in row.strip().strip("|").split("|")]
# under "## Instructions": the layout table (rows of two cells) and the
# instruction table (rows of five)
sec = doc.split("## Instructions", 1)[1] if "## Instructions" in doc else ""
layout_rows, op_rows = {}, []
for line in sec.splitlines():
    if not line.startswith("| `"):
        continue
    c = cells(line)
    name = c[0].strip("`")
    if len(c) == 2:
        layout_rows[name] = c[1]
    elif len(c) == 5:
        op_rows.append((name, c))
for l in layouts:
    say(l in layout_rows, "layout %s documented" % l, "no row in docs/bytecode.md's layout table")
for l in layout_rows:
    if l not in layouts:
        say(False, "layout %s" % l, "documented, but program.h has no LAYOUT_%s" % l)

names = [o[0] for o in ops]
say([r[0] for r in op_rows] == names, "opcode rows in opcodes.def order",
    "doc rows %s, opcodes.def %s" % ([r[0] for r in op_rows], names))
rows = dict(op_rows)
for name, layout, pops, pushes, syn in ops:
    if name not in rows:
        say(False, "opcode %s" % name, "no row in docs/bytecode.md")
        continue
    c = rows[name]
    if pops >= 0:
        p = str(pops)
    else:
        p = "b" if layout == "COUNT" else "a+1" if layout == "EARLY" else "b+2"
    want = [layout_rows.get(layout, "?"), "%s → %d" % (p, pushes), syn]
    got = c[1:4]
    say(got == want, "opcode %s documented" % name,
        "row says %s, opcodes.def gives %s" % (got, want))
for name in rows:
    if name not in names:
        say(False, "docs/bytecode.md documents %s" % name, "opcodes.def does not declare it")
sys.exit(0 if ok else 1)
EOF
