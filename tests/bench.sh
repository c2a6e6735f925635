#!/usr/bin/env bash
# bench.sh ZHIDU - the benchmark scripts still run (not how fast: no timed
# tests here). The plain readings bench/compare.sh compares zhidu with must
# report what zhidu reports: bench/rules.sql (sqlite3 shell) and bench/rules.py
# give the O7, O8 and O17 violations of examples/gxnu/expected.jsonl; and
# bench/compare.sh runs end to end on a few hundred generated events (its C
# helpers built with -Werror), its table complete and both readings agreeing
# with zhidu there. bench/pairs.sh runs, and its O12/O13 counts are right:
# of 20 members with one pair talking, O13 finds the other 20*19/2 - 1 = 189
# pairs, O12 the 2*19 pairs of a principal leader and a member less the one
# pair counted twice (书记 and 校长 with each other), 37.
# Prints "PASS bench NAME" or "FAIL bench NAME: why" per check.
. "$(dirname "$0")/lib.sh"
export PYTHONDONTWRITEBYTECODE=1

pass() { echo "PASS bench $1"; }
fail() { echo "FAIL bench $1: $2"; }
command -v sqlite3 >/dev/null || apt-get install -y -q sqlite3 >/dev/null 2>&1

# examples/gxnu, with the unit column rules.sql expects ("" = the one unit)
cp examples/gxnu/gxnu.db "$tmp/gxnu.db"
for t in events roster topics calendar; do sqlite3 "$tmp/gxnu.db" "ALTER TABLE $t ADD COLUMN unit TEXT"; done
if sqlite3 -readonly "$tmp/gxnu.db" -init /dev/null -cmd '.read bench/rules.sql' .quit >"$tmp/sql.out" 2>"$tmp/err" &&
   python3 bench/agree.py examples/gxnu/expected.jsonl "$tmp/sql.out" sql >"$tmp/agree" &&
   [ "$(wc -l <"$tmp/sql.out")" -eq 9 ]; then
  pass "rules.sql on examples/gxnu"
else
  fail "rules.sql on examples/gxnu" "$(cat "$tmp/err" "$tmp/agree" 2>/dev/null | head -12)"
fi
if python3 bench/rules.py examples/gxnu >"$tmp/py.out" 2>"$tmp/err" &&
   python3 bench/agree.py examples/gxnu/expected.jsonl "$tmp/py.out" py >"$tmp/agree" &&
   [ "$(wc -l <"$tmp/py.out")" -eq 9 ]; then
  pass "rules.py on examples/gxnu"
else
  fail "rules.py on examples/gxnu" "$(cat "$tmp/err" "$tmp/agree" 2>/dev/null | head -12)"
fi

# compare.sh end to end on ~300 events, one run each
if ZHIDU=$zhidu WORK=$tmp/work REPEAT=1 bash bench/compare.sh 300 >"$tmp/table.md" 2>"$tmp/err"; then
  rows=$(grep -c '^| [a-zA-Z]' "$tmp/table.md")
  if [ "$rows" -ne 14 ]; then
    fail "compare.sh" "expected 14 table rows, got $rows"
  elif ! grep -q '^Python O7+O8+O17 against zhidu gxnu.zd (CSV, the whole file): [0-9.]*× the CPU time, [0-9.]*× the wall time.$' "$tmp/table.md"; then
    fail "compare.sh" "no Python ratio line"
  elif [ "$(grep -c '^agree$' "$tmp/table.md")" -ne 2 ]; then
    fail "compare.sh" "the plain readings disagree with zhidu: $(grep -A3 DISAGREE "$tmp/table.md")"
  else
    pass "compare.sh on 300 events"
  fi
else
  fail "compare.sh" "$(head -12 "$tmp/err")"
fi

# pairs.sh on 20 members and 300 talks of one pair
if ZHIDU=$zhidu WORK=$tmp/pairs bash bench/pairs.sh 20 300 >"$tmp/pairs.out" 2>"$tmp/err" &&
   grep -q '^O12: 20 members, 300 talks: .* s CPU, 37 violations$' "$tmp/pairs.out" &&
   grep -q '^O13: 20 members, 300 talks: .* s CPU, 189 violations$' "$tmp/pairs.out"; then
  pass "pairs.sh"
else
  fail "pairs.sh" "$(cat "$tmp/pairs.out" "$tmp/err" | head -6)"
fi
