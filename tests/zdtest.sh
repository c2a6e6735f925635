#!/usr/bin/env bash
# zdtest.sh ZHIDU - `zhidu test` (docs/testing.md):
#  * the examples of docs/testing.md and docs/cli.md: a ```zdtest block whose
#    first line is "# file: NAME" is written (whole) under that name beside a
#    link to rules/; a ```console block "$ zhidu test ARGS" runs there and must
#    print exactly the rest of the block;
#  * the repository's tests pass, found with no argument from rules/;
#  * a failed case prints the hand-written diff, exit 1; a listed violation
#    that did not happen and one that was not listed both fail;
#  * malformed test files give FILE:LINE messages; a bad row in an inline
#    table names the test file's line; usage errors exit 2;
#  * --junit writes well-formed JUnit XML with the counts; --coverage the
#    rule and clause lines.
# Prints "PASS zdtest NAME" or "FAIL zdtest NAME: why" per check.
. "$(dirname "$0")/lib.sh"
ln -s "$root/rules" "$tmp/rules"

pass() { echo "PASS zdtest $1"; }
fail() { echo "FAIL zdtest $1: $2"; }

# ---- the documents' examples ------------------------------------------------
for doc in docs/testing.md docs/cli.md; do
  python3 - "$doc" "$tmp" "$zhidu" <<'PY'
import os, subprocess, sys
doc, tmp, zhidu = sys.argv[1:]
lines = open(doc, encoding="utf-8").read().split("\n")
i = 0
while i < len(lines):
    kind = lines[i][3:].strip() if lines[i].startswith("```") else None
    if kind not in ("zdtest", "console"):
        i += 1; continue
    j = i + 1
    while j < len(lines) and not lines[j].startswith("```"): j += 1
    body, start = lines[i + 1:j], i + 2
    i = j + 1
    name = "%s:%d" % (doc, start)
    if kind == "zdtest" and body and body[0].startswith("# file: "):
        open(os.path.join(tmp, body[0][len("# file: "):]), "w", encoding="utf-8").write("\n".join(body) + "\n")
    elif kind == "console" and body and body[0].startswith("$ zhidu test"):
        args = body[0][len("$ zhidu "):].split()
        r = subprocess.run([zhidu] + args, cwd=tmp, capture_output=True, text=True)
        want = "".join(l + "\n" for l in body[1:])
        if r.stdout == want and not r.stderr: print("PASS zdtest %s example" % name)
        else: print("FAIL zdtest %s example: got (exit %d)\n%s%s" % (name, r.returncode, r.stdout, r.stderr))
PY
done

# ---- the repository's tests, found from rules/ --------------------------------
out=$(cd rules && "$zhidu" test 2>&1)
rc=$?
n=$(ls rules/tests/*.zdtest | wc -l)
if [ "$rc" -eq 0 ] && [ "$n" -ge 6 ] && printf '%s\n' "$out" | tail -n 1 | grep -Eq '^[1-9][0-9]+ passed, 0 failed$'; then
  pass "rules/tests ($(printf '%s\n' "$out" | tail -n 1))"
else
  fail "rules/tests" "exit $rc: $out"
fi

# ---- a failing file: the diff, written by hand ----------------------------------
cat >"$tmp/f.zdtest" <<'T'
policy rules/gxnu.zd
table roster
person,name,role,from,to,areas
S,书记甲,书记,2020-01-01,,
P,校长乙,校长,2020-01-01,,
A,成员丙,班子成员,2020-01-01,,财务
end

case right
table events
id,time,type,actor,targets,observers,kind,topic,outcome,end,ref
D1,2024-03-05 10:00,delay,A,,,,T1,,,
R1,2024-03-06 10:00,report,A,P,,,,,,D1
end
  kept O9 trigger D1 subjects A

case unlisted and missing
table events
id,time,type,actor,targets,observers,kind,topic,outcome,end,ref
D1,2024-03-05 10:00,delay,A,,,,T1,,,
I1,2024-03-05 11:00,incident,A,,,突发事件,,,,
R1,2024-03-08 10:00,report,A,S,,,,,,D1
end
  violated 工作受阻及时汇报 trigger D1 subjects A
  pending O10 trigger I1 subjects A, S
T
cat >"$tmp/f.want" <<'T'
FAIL f.zdtest:17: unlisted and missing
  - violated 工作受阻及时汇报 trigger D1 subjects A   (line 24)
  + kept 工作受阻及时汇报 trigger D1
  - pending O10 trigger I1 subjects A, S   (line 25)
  + violated 突发事件及时汇报 trigger I1 subjects A, P
  + violated 突发事件及时汇报 trigger I1 subjects A, S
1 passed, 1 failed
T
(cd "$tmp" && "$zhidu" test f.zdtest >"$tmp/f.out" 2>"$tmp/f.err")
rc=$?
if [ "$rc" -eq 1 ] && cmp -s "$tmp/f.out" "$tmp/f.want" && [ ! -s "$tmp/f.err" ]; then pass "diff of a failed case"
else fail "diff of a failed case" "exit $rc: $(diff "$tmp/f.want" "$tmp/f.out") $(cat "$tmp/f.err")"; fi

# ---- JUnit XML and coverage ------------------------------------------------------
(cd "$tmp" && "$zhidu" test f.zdtest --junit j.xml --coverage >"$tmp/c.out" 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && python3 - "$tmp/j.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.tag == "testsuites" and r.get("tests") == "2" and r.get("failures") == "1", r.attrib
s = r.findall("testsuite")
assert len(s) == 1 and s[0].get("name") == "f.zdtest" and s[0].get("tests") == "2"
c = s[0].findall("testcase")
assert [x.get("name") for x in c] == ["right", "unlisted and missing"]
assert c[0].find("failure") is None
f = c[1].find("failure")
assert f is not None and "+ violated 突发事件及时汇报 trigger I1 subjects A, P" in f.text
PY
then pass "--junit"; else fail "--junit" "exit $rc: $(cat "$tmp/j.xml" 2>&1 | head -20)"; fi
if grep -qx 'coverage of ./rules/gxnu.zd:' "$tmp/c.out" \
   && grep -qx '  rule 工作受阻及时汇报: kept, NEVER VIOLATED' "$tmp/c.out" \
   && grep -qx '  rule 突发事件及时汇报: NEVER KEPT, violated' "$tmp/c.out" \
   && grep -qx '  rule 书记校长每周沟通: NEVER KEPT, NEVER VIOLATED' "$tmp/c.out" \
   && grep -qx '  clause 三(四): kept, NEVER VIOLATED' "$tmp/c.out" \
   && grep -qx '  0 of 20 rules and 0 of 10 clauses both kept and violated' "$tmp/c.out" \
   && tail -n 1 "$tmp/c.out" | grep -qx '1 passed, 1 failed'; then pass "--coverage"
else fail "--coverage" "$(cat "$tmp/c.out")"; fi

# ---- malformed test files: FILE:LINE messages ---------------------------------
# bad NAME EXPECTED-LINE TEXT : zhidu test on TEXT fails (exit 1) printing EXPECTED-LINE
bad() {
  printf '%s\n' "$3" >"$tmp/$1.zdtest"
  (cd "$tmp" && "$zhidu" test "$1.zdtest" >"$tmp/b.out" 2>&1)
  local rc=$?
  if [ "$rc" -eq 1 ] && grep -qxF -- "$2" "$tmp/b.out" && tail -n 1 "$tmp/b.out" | grep -qx '0 passed, 1 failed'; then pass "bad file $1"
  else fail "bad file $1" "exit $rc, wanted '$2', got: $(cat "$tmp/b.out")"; fi
}
HDR='id,time,type,actor,targets,observers,kind,topic,outcome,end,ref'
bad unknown "FAIL unknown.zdtest:2: unknown directive 'polcy' (policy, data, table, from, as-of, unit, case, violated, kept, pending, exempt)" '# a typo
polcy rules/gxnu.zd'
bad noend "FAIL noend.zdtest:3: table 'events' has no 'end' line" "policy rules/gxnu.zd
case c
table events
$HDR"
bad nocase "FAIL nocase.zdtest:2: an expected verdict belongs in a case ('case NAME' first)" 'policy rules/gxnu.zd
kept O1 window 2024-03-04'
bad nokey "FAIL nokey.zdtest:3: say which verdict: 'window FROM[..TO]' (a periodic rule) or 'trigger EVENT-ID'" 'policy rules/gxnu.zd
case c
kept O1 subjects P, S'
bad nopolicy "FAIL nopolicy.zdtest:2: no 'policy FILE' line: which rule file does this test?" 'case c
kept O1 window 2024-03-04'
bad twocases "FAIL twocases.zdtest:4: a case named 'c' is already at line 2" 'policy rules/gxnu.zd
case c
kept O1 window 2024-03-04
case "c"
kept O1 window 2024-03-04'
bad emptycase "FAIL emptycase.zdtest:2: case 'c' expects nothing" 'policy rules/gxnu.zd
case c'
bad word "FAIL word.zdtest:3: unknown word 'windw' (after the rule: window, trigger, unit, subjects)" 'policy rules/gxnu.zd
case c
kept O1 windw 2024-03-04'
bad both "FAIL both.zdtest:3: give one 'window' or one 'trigger'" 'policy rules/gxnu.zd
case c
kept O1 window 2024-03-04 trigger X'
bad nokey2 "nokey2.zdtest:3: no rule or tag 'O99' in the policy" 'policy rules/gxnu.zd
case c
kept O99 trigger X'
bad periodic "periodic.zdtest:3: rule O1 is periodic: say which period with 'window FROM[..TO]'" 'policy rules/gxnu.zd
case c
kept O1 trigger X'
bad triggered "triggered.zdtest:3: rule O10 is triggered by events: say which with 'trigger EVENT-ID'" 'policy rules/gxnu.zd
case c
kept O10 window 2024-03-04'
bad table "table.zdtest:3: the policy reads no table 'event' (it reads: roster topics calendar events)" "policy rules/gxnu.zd
case c
table event
$HDR
end
kept O10 trigger X"
bad badrow "badrow.zdtest:8: table events: column time: malformed timestamp '2024-02-30 10:00': no such date" "policy rules/gxnu.zd

case c
table events
$HDR
# a comment line keeps its place
I1,2024-03-05 10:00,incident,A,,,突发事件,,,,
I2,2024-02-30 10:00,incident,A,,,突发事件,,,,
end
kept O10 trigger I1"
bad policy "FAIL policy.zdtest:1: the policy does not compile" 'policy rules/nothere.zd
case c
kept O10 trigger I1'
bad window "window.zdtest:3: window: '2024-13-01' is not a date or time (YYYY-MM-DD[THH:MM[:SS]])" 'policy rules/gxnu.zd
case c
kept O1 window 2024-13-01'

# every rule and clause of rules/gxnu.zd both kept and violated by its tests
out=$("$zhidu" test --coverage rules/tests/gxnu_*.zdtest 2>&1)
if printf '%s\n' "$out" | grep -qx '  20 of 20 rules and 10 of 10 clauses both kept and violated'; then pass "coverage of rules/gxnu.zd"
else fail "coverage of rules/gxnu.zd" "$(printf '%s\n' "$out" | grep -E 'NEVER|of 20')"; fi

# ---- usage ------------------------------------------------------------------------
"$zhidu" test --frobnicate >/dev/null 2>"$tmp/u.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "unknown option '--frobnicate'" "$tmp/u.err"; then pass "unknown option"; else fail "unknown option" "exit $rc"; fi
"$zhidu" test "$tmp/none.zdtest" >/dev/null 2>"$tmp/u.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "cannot read .*none.zdtest" "$tmp/u.err"; then pass "missing path"; else fail "missing path" "exit $rc"; fi
mkdir "$tmp/empty"
(cd "$tmp/empty" && "$zhidu" test >/dev/null 2>"$tmp/u.err")
rc=$?
if [ "$rc" -eq 2 ] && grep -qx "zhidu: no .zdtest files found" "$tmp/u.err"; then pass "no test files"; else fail "no test files" "exit $rc"; fi
