#!/usr/bin/env bash
# differential.sh ZHIDU - differential testing of `zhidu run rules/gxnu.zd`
# against tools/refcheck.py, an independent reading of the regulation written
# from docs/regulation.md (§2) and docs/data.md alone.
#
# Generated cases: for a fixed list of seeds, tools/gen_data.py writes a random
# but realistic data set (CSV directory and the same as SQLite); zhidu runs on
# both forms and refcheck.py on the CSV form. A case passes when zhidu exits 0
# on both, its two jsonl reports are byte-identical, and the set of violation
# identities (unit, tag, window or trigger, sorted subjects) equals
# refcheck.py's.
# Edge cases: tools/edge_cases.py writes small hand-made data sets, one per edge
# reading of docs/regulation.md ("Readings that hold for every tag"); the
# same three checks apply.
# Prints "PASS differential NAME" or "FAIL differential NAME: why" per case.
# DIFF_ONLY=REGEX runs only the matching cases; DIFF_KEEP=DIR keeps the data
# sets and reports there (DIR is replaced).
set -u
zhidu=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap '[ -n "${DIFF_KEEP:-}" ] && rm -rf "$DIFF_KEEP" && cp -r "$tmp" "$DIFF_KEEP"; rm -rf "$tmp"' EXIT
policy=rules/gxnu.zd
export PYTHONDONTWRITEBYTECODE=1
# under AddressSanitizer the leak check runs at exit: keep it, it is cheap here

if ! command -v python3 >/dev/null; then
  echo "FAIL differential: python3 not found"
  exit 1
fi

# compare NAME DIR_OR_PREFIX ARGS...: run zhidu on DIR (CSV) and DIR.db
# (SQLite), refcheck.py on DIR, and report.
compare() {
  local name=$1 data=$2
  shift 2
  local out=$tmp/$name
  "$zhidu" run "$policy" "$data" --format jsonl --fail-on never "$@" >"$out.csv.jsonl" 2>"$out.csv.err"
  local rc1=$?
  "$zhidu" run "$policy" "$data.db" --format jsonl --fail-on never "$@" >"$out.db.jsonl" 2>"$out.db.err"
  local rc2=$?
  if [ $rc1 -ne 0 ]; then
    echo "FAIL differential $name: zhidu exited $rc1 on the CSV form: $(head -c 300 "$out.csv.err" | head -n 2 | tr '\n' ' ')"
    return
  fi
  if [ $rc2 -ne 0 ]; then
    echo "FAIL differential $name: zhidu exited $rc2 on the SQLite form: $(head -c 300 "$out.db.err" | head -n 2 | tr '\n' ' ')"
    return
  fi
  if ! cmp -s "$out.csv.jsonl" "$out.db.jsonl"; then
    echo "FAIL differential $name: the CSV and SQLite reports differ"
    diff "$out.csv.jsonl" "$out.db.jsonl" | head -n 6 | cut -c1-300 | sed 's/^/    /'
    return
  fi
  if ! python3 tools/refcheck.py "$data" "$@" >"$out.ref.jsonl" 2>"$out.ref.err"; then
    echo "FAIL differential $name: refcheck.py failed: $(head -n 3 "$out.ref.err" | tr '\n' ' ')"
    return
  fi
  if python3 tools/cmp_reports.py --max 6 "$out.csv.jsonl" "$out.ref.jsonl" >"$out.cmp" 2>&1; then
    echo "PASS differential $name ($(wc -l <"$out.ref.jsonl") violations)"
  else
    echo "FAIL differential $name: zhidu and refcheck.py disagree"
    sed 's/^/    /' "$out.cmp"
  fi
}

selected() { [ -z "${DIFF_ONLY:-}" ] || [[ $1 =~ $DIFF_ONLY ]]; }

# name | gen_data.py options | zhidu/refcheck options
cases='
seed1   |--seed 1 --events 1500 --weeks 30 --start 2025-02-24                |
seed2   |--seed 2 --events 3000 --weeks 60 --start 2024-12-30                |
seed3   |--seed 3 --events 2500 --weeks 56 --start 2025-01-01 --units 3      |
seed4   |--seed 4 --events 400 --weeks 10 --start 2025-03-05                 |
seed5   |--seed 5 --events 2000 --weeks 45 --start 2025-08-11 --units 2      |
seed6   |--seed 6 --events 3000 --weeks 40 --start 2025-06-15 --units 4      |
seed7   |--seed 7 --events 1200 --weeks 25 --start 2025-09-01 --units 5      |
seed8   |--seed 8 --events 3500 --weeks 70 --start 2024-09-02                |
seed9   |--seed 9 --events 800 --weeks 20 --start 2025-02-17 --units 2       |
seed10  |--seed 10 --events 2500 --weeks 60 --start 2024-11-28 --units 3     |
seed11  |--seed 11 --events 2000 --weeks 30 --start 2025-03-03               |--from 2025-03-12T15:30 --as-of 2025-09-01
seed12  |--seed 12 --events 2500 --weeks 50 --start 2025-01-06 --units 3     |--from 2025-02-01 --as-of 2025-10-27T00:00:00+08:00
seed13  |--seed 13 --events 1500 --weeks 30 --start 2025-04-07 --bad-rows    |--on-bad-row skip
seed14  |--seed 14 --events 2000 --weeks 40 --start 2025-02-24 --units 3 --bad-rows |--on-bad-row skip
seed15  |--seed 15 --events 1500 --weeks 60 --start 1969-06-02 --units 2     |
seed16  |--seed 16 --events 3000 --weeks 55 --start 2025-12-29               |
seed17  |--seed 17 --events 1000 --weeks 30 --start 2026-02-23 --units 4     |
seed18  |--seed 18 --events 2500 --weeks 35 --start 2025-05-19 --units 2     |--as-of 2025-12-01T08:00Z
seed19  |--seed 19 --events 600 --weeks 12 --start 2025-07-07               |
seed20  |--seed 20 --events 4000 --weeks 80 --start 2024-08-26 --units 2     |
'
while IFS='|' read -r name gen args; do
  name=$(echo "$name" | tr -d ' ')
  [ -n "$name" ] || continue
  selected "$name" || continue
  # shellcheck disable=SC2086
  if ! python3 tools/gen_data.py $gen --out "$tmp/$name.data" --sqlite "$tmp/$name.data.db" \
       >"$tmp/$name.gen.err" 2>&1; then
    echo "FAIL differential $name: gen_data.py failed: $(head -n 3 "$tmp/$name.gen.err" | tr '\n' ' ')"
    continue
  fi
  # shellcheck disable=SC2086
  compare "$name" "$tmp/$name.data" $args
done <<<"$cases"

# hand-made edge cases
if python3 tools/edge_cases.py "$tmp/edge" >"$tmp/edge.err" 2>&1; then
  for d in "$tmp"/edge/*/; do
    d=${d%/}
    name=edge-$(basename "$d")
    selected "$name" || continue
    # shellcheck disable=SC2046
    compare "$name" "$d" $(cat "$d.args")
  done
else
  echo "FAIL differential edge: edge_cases.py failed: $(head -n 3 "$tmp/edge.err" | tr '\n' ' ')"
fi
exit 0
