#!/usr/bin/env bash
# jobs.sh ZHIDU - `zhidu run --jobs N` (docs/runtime.md, "Units in
# parallel"): --jobs 2 and 3 give the report of --jobs 1 byte for byte, and
# the same standard error and exit code, in every format (text, jsonl, json,
# csv, html) and in the --db file (its rows, dumped), with the default window,
# --window 0 (every event held), 1 and 7. Data: examples/colleges (CSV and
# SQLite; several units), examples/gxnu, and tools/gen_data.py logs of 5
# units (in time order as CSV and SQLite, and shuffled with bad rows, read
# with --on-bad-row skip). The --jobs 3 jsonl of the two examples is also
# their hand-checked expected.jsonl. Bad --jobs values exit 2 with a message.
# Prints "PASS jobs NAME" or "FAIL jobs NAME: why" per check.
. "$(dirname "$0")/lib.sh"
export PYTHONDONTWRITEBYTECODE=1

pass() { echo "PASS jobs $1"; }
fail() { echo "FAIL jobs $1: $2"; }

# dump DB: every row of every table, in a stable order
dump() {
  python3 - "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for line in con.iterdump():
    print(line)
PY
}

# same NAME RULES DATA OPTS...: --jobs 2 and 3 give --jobs 1's stdout, stderr and exit code
same() {
  local name=$1 rules=$2 data=$3
  shift 3
  "$zhidu" run "$rules" "$data" --jobs 1 "$@" >"$tmp/want" 2>"$tmp/want.err"
  local want_rc=$? bad=""
  if [ ! -s "$tmp/want" ]; then fail "$name" "empty report with --jobs 1"; return; fi
  for j in 2 3; do
    "$zhidu" run "$rules" "$data" --jobs $j "$@" >"$tmp/got" 2>"$tmp/got.err"
    local rc=$?
    if [ $rc -ne $want_rc ]; then bad="--jobs $j exited $rc, --jobs 1 $want_rc"; break; fi
    if ! cmp -s "$tmp/want" "$tmp/got"; then bad="--jobs $j: report differs"; diff "$tmp/want" "$tmp/got" | head -6; break; fi
    if ! cmp -s "$tmp/want.err" "$tmp/got.err"; then bad="--jobs $j: standard error differs"; diff "$tmp/want.err" "$tmp/got.err" | head -6; break; fi
  done
  if [ -n "$bad" ]; then fail "$name" "$bad"; else pass "$name"; fi
}

# same_db NAME RULES DATA OPTS...: the --db file's rows are the same for --jobs 1 and 3
same_db() {
  local name=$1 rules=$2 data=$3
  shift 3
  rm -f "$tmp/1.db" "$tmp/3.db"
  "$zhidu" run "$rules" "$data" --jobs 1 --db "$tmp/1.db" "$@" >/dev/null 2>&1
  "$zhidu" run "$rules" "$data" --jobs 3 --db "$tmp/3.db" "$@" >/dev/null 2>&1
  if [ ! -s "$tmp/1.db" ] || [ ! -s "$tmp/3.db" ]; then fail "$name --db" "no database written"; return; fi
  dump "$tmp/1.db" >"$tmp/1.sql"
  dump "$tmp/3.db" >"$tmp/3.sql"
  if ! grep -q 'INSERT INTO "violations"' "$tmp/1.sql"; then fail "$name --db" "no violation rows"; return; fi
  if cmp -s "$tmp/1.sql" "$tmp/3.sql"; then pass "$name --db"; else fail "$name --db" "rows differ"; diff "$tmp/1.sql" "$tmp/3.sql" | head -6; fi
}

# each NAME RULES DATA OPTS...: every format, the windows, the database
each() {
  local name=$1 rules=$2 data=$3
  shift 3
  for fmt in text jsonl json csv html; do
    same "$name $fmt" "$rules" "$data" --format $fmt --fail-on never "$@"
  done
  for w in 0 1 7; do
    same "$name json --window $w" "$rules" "$data" --format json --fail-on never --window $w "$@"
  done
  same_db "$name" "$rules" "$data" --fail-on never "$@"
}

each colleges rules/units/wenxueyuan.zd examples/colleges
each colleges.db rules/units/wenxueyuan.zd examples/colleges/colleges.db
each gxnu rules/gxnu.zd examples/gxnu

# the examples' hand-checked reports
for ex in colleges:rules/units/wenxueyuan.zd gxnu:rules/gxnu.zd; do
  IFS=: read -r name rules <<<"$ex"
  "$zhidu" run "$rules" "examples/$name" --jobs 3 --format jsonl --fail-on never >"$tmp/got" 2>/dev/null
  if cmp -s "$tmp/got" "examples/$name/expected.jsonl"; then pass "$name: --jobs 3 gives expected.jsonl"
  else fail "$name" "--jobs 3 differs from expected.jsonl"; diff "examples/$name/expected.jsonl" "$tmp/got" | head -6; fi
done

# generated logs of 5 units
d=$tmp/gen
if python3 tools/gen_data.py --seed 21 --units 5 --events 3000 --weeks 30 --in-order --out "$d" --sqlite "$d.db" >/dev/null; then
  each "gen in order" rules/gxnu.zd "$d"
  same "gen in order sqlite" rules/gxnu.zd "$d.db" --format json --fail-on never
  same "gen in order sqlite --window 1" rules/gxnu.zd "$d.db" --format json --fail-on never --window 1
else
  fail "gen in order" "gen_data.py failed"
fi
d=$tmp/shuffled
if python3 tools/gen_data.py --seed 22 --units 5 --events 3000 --weeks 30 --bad-rows --out "$d" >/dev/null; then
  for w in 65536 0 1; do
    same "gen shuffled --window $w" rules/gxnu.zd "$d" --format text --fail-on never --on-bad-row skip --window $w
  done
  same "gen shuffled, exit code of violations" rules/gxnu.zd "$d" --format jsonl --on-bad-row skip
else
  fail "gen shuffled" "gen_data.py failed"
fi

# bad values
for v in 0 257 x -1 "" 2x +2; do
  "$zhidu" run rules/gxnu.zd examples/gxnu --jobs "$v" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -qF -- "zhidu: --jobs takes a number of threads (1 to 256), not '$v'" "$tmp/err"; then
    pass "--jobs '$v' refused"
  else
    fail "--jobs '$v'" "exit $rc, stderr: $(head -1 "$tmp/err")"
  fi
done
"$zhidu" run rules/gxnu.zd examples/gxnu --jobs 256 --format jsonl --fail-on never >"$tmp/got" 2>&1
if cmp -s "$tmp/got" examples/gxnu/expected.jsonl; then pass "--jobs 256 (more threads than units)"; else fail "--jobs 256" "report differs"; fi
