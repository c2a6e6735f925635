#!/usr/bin/env bash
# streaming.sh ZHIDU - a streaming run (docs/runtime.md, "Streaming") gives
# the report of a run holding every event, byte for byte.
#
# Data: tools/gen_data.py logs written in time order per unit (--in-order),
# as CSV and SQLite, and one shuffled log. For each, `zhidu run --window 0`
# (every event held) is the reference; --window 1 (a step after every event:
# the most forgetting), 2, 3, 50 and 700 must print the same report and the same
# standard error, on both forms, with no option and with --from, --as-of
# (inside the log and after it) and --unit; text, json and csv too (their
# evidence locations come from events forgotten long before the report).
# Small hand-made cases in tests/data/streaming/ (each once gave a different
# report) are checked the same way.
# The shuffled log must give the same report with --window 1, after a note
# that it is read again (once), and its skipped bad rows reported once.
# rules/units/wenxueyuan.zd and waiguoyu.zd run on their examples the same
# way, and tests/data/calendar/calendar.zd (calendar clauses) on its data.
# Prints "PASS streaming NAME" or "FAIL streaming NAME: why" per check.
. "$(dirname "$0")/lib.sh"
export PYTHONDONTWRITEBYTECODE=1

pass() { echo "PASS streaming $1"; }
fail() { echo "FAIL streaming $1: $2"; }

# same NAME RULES DATA OPTS... : every window gives the --window 0 report and stderr
same() {
  local name=$1 rules=$2 data=$3
  shift 3
  "$zhidu" run "$rules" "$data" --fail-on never --window 0 "$@" >"$tmp/want" 2>"$tmp/want.err"
  local rc=$?
  if [ $rc -ne 0 ]; then fail "$name" "--window 0 exited $rc"; head -3 "$tmp/want.err"; return; fi
  if [ ! -s "$tmp/want" ]; then fail "$name" "empty report"; return; fi
  for w in 1 2 3 50 700; do
    "$zhidu" run "$rules" "$data" --fail-on never --window $w "$@" >"$tmp/got" 2>"$tmp/got.err"
    rc=$?
    if [ $rc -ne 0 ]; then fail "$name --window $w" "exited $rc"; head -3 "$tmp/got.err"; return; fi
    if ! cmp -s "$tmp/want" "$tmp/got"; then fail "$name --window $w" "report differs"; diff "$tmp/want" "$tmp/got" | head -6; return; fi
    if ! cmp -s "$tmp/want.err" "$tmp/got.err"; then fail "$name --window $w" "standard error differs"; diff "$tmp/want.err" "$tmp/got.err" | head -6; return; fi
  done
  pass "$name"
}

for seed in 31 32 33; do
  d=$tmp/s$seed
  python3 tools/gen_data.py --seed $seed --units 2 --events 2500 --weeks 40 --in-order --out "$d" --sqlite "$d.db" >/dev/null || {
    fail "seed $seed" "gen_data.py failed"; continue; }
  unit=$(python3 -c "import csv,sys; print(sorted({r['unit'] for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig'))})[-1])" "$d/events.csv")
  for form in "$d" "$d.db"; do
    f=$(basename "$form")
    same "seed $seed $f jsonl" rules/gxnu.zd "$form" --format jsonl
    same "seed $seed $f --from" rules/gxnu.zd "$form" --format jsonl --from 2025-04-01
    same "seed $seed $f --as-of inside" rules/gxnu.zd "$form" --format jsonl --as-of 2025-09-15T12:00
    same "seed $seed $f --as-of after" rules/gxnu.zd "$form" --format json --as-of 2026-06-01
    same "seed $seed $f --unit" rules/gxnu.zd "$form" --format jsonl --unit "$unit"
  done
  for fmt in text json csv; do same "seed $seed --format $fmt" rules/gxnu.zd "$d" --format $fmt; done
done

same "wenxueyuan example" rules/units/wenxueyuan.zd examples/wenxueyuan --format text
same "waiguoyu example" rules/units/waiguoyu.zd examples/waiguoyu --format text
same "calendar clauses" tests/data/calendar/calendar.zd tests/data/calendar --format json

# small cases that once differed (tests/data/streaming/*/rules.zd says what each is)
for dir in tests/data/streaming/*/; do
  same "case $(basename "$dir")" "$dir/rules.zd" "$dir" --format json
done

# a shuffled log: read again, holding every event; the report is the same
d=$tmp/shuffled
python3 tools/gen_data.py --seed 34 --units 2 --events 2500 --weeks 40 --bad-rows --out "$d" >/dev/null
"$zhidu" run rules/gxnu.zd "$d" --format jsonl --fail-on never --window 0 --on-bad-row skip >"$tmp/want" 2>"$tmp/want.err"
"$zhidu" run rules/gxnu.zd "$d" --format jsonl --fail-on never --window 1 --on-bad-row skip >"$tmp/got" 2>"$tmp/got.err"
if ! cmp -s "$tmp/want" "$tmp/got"; then
  fail "shuffled" "report differs"; diff "$tmp/want" "$tmp/got" | head -6
else
  pass "shuffled: same report"
fi
notes=$(grep -c '^zhidu: note: .*events.csv:[0-9]*: an event of unit .* earlier than one read before it; reading .* again' "$tmp/got.err")
if [ "$notes" -ne 1 ]; then fail "shuffled" "expected one note that the data is read again, got $notes"; else pass "shuffled: one note"; fi
grep -v '^zhidu: note: ' "$tmp/got.err" >"$tmp/got.rows"
if [ ! -s "$tmp/want.err" ] || ! cmp -s "$tmp/want.err" "$tmp/got.rows"; then
  fail "shuffled" "skipped rows not reported exactly once each"; diff "$tmp/want.err" "$tmp/got.rows" | head -6
else
  pass "shuffled: skipped rows reported once"
fi

# bad --window values are usage errors
for bad in -1 x 100000001 ""; do
  "$zhidu" run rules/gxnu.zd examples/gxnu --window "$bad" >/dev/null 2>"$tmp/err"
  rc=$?
  if [ $rc -eq 2 ] && grep -q -- '--window takes a number of events' "$tmp/err"; then pass "--window '$bad' refused"; else fail "--window '$bad'" "exit $rc"; fi
done
