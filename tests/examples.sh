#!/usr/bin/env bash
# examples.sh ZHIDU - the bundled example data sets of examples/ (gxnu,
# wenxueyuan, colleges, waiguoyu), each with a hand-checked expected.jsonl (see each
# example's README.md):
#  * `zhidu run RULES DATA --format jsonl --fail-on never` on the CSV
#    directory and on the SQLite file must print expected.jsonl byte for
#    byte, exit 0 and write nothing on standard error;
#  * colleges: `--unit U` for every unit must print exactly that unit's lines
#    of expected.jsonl (CSV and SQLite);
#  * the example's make_data.py must reproduce the committed CSV files, and
#    the violations its scenario declares (make_data.py --expected, the hand
#    reading) must be the identities of expected.jsonl.
# Prints "PASS examples NAME" or "FAIL examples NAME: why" per check.
. "$(dirname "$0")/lib.sh"

pass() { echo "PASS examples $1"; }
fail() { echo "FAIL examples $1: $2"; }

# run_cmp NAME EXPECTED ARGS... : zhidu run ARGS must print EXPECTED exactly
run_cmp() {
  local name=$1 want=$2
  shift 2
  "$zhidu" run "$@" --format jsonl --fail-on never >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -ne 0 ]; then
    fail "$name" "exit $rc"; head -5 "$tmp/err"
  elif [ -s "$tmp/err" ]; then
    fail "$name" "wrote to standard error"; head -5 "$tmp/err"
  elif ! cmp -s "$tmp/out" "$want"; then
    fail "$name" "report differs from $want"; diff "$want" "$tmp/out" | head -10
  else
    pass "$name"
  fi
}

# identities FILE: one sorted line per (unit, tag, window|trigger, subjects)
identities() {
  python3 -c '
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    o = json.loads(line)
    r = {"unit": o["unit"], "tags": o["tags"], "subjects": sorted(o["subjects"])}
    if "window" in o:
        r["window"] = {"from": o["window"]["from"], "to": o["window"]["to"]}
    else:
        r["trigger"] = o["trigger"]
    out.append(json.dumps(r, ensure_ascii=False, sort_keys=True))
print("\n".join(sorted(out)))' "$1"
}

for ex in gxnu:rules/gxnu.zd wenxueyuan:rules/units/wenxueyuan.zd colleges:rules/units/wenxueyuan.zd \
          waiguoyu:rules/units/waiguoyu.zd; do
  name=${ex%%:*}
  rules=${ex#*:}
  dir=examples/$name
  want=$dir/expected.jsonl
  if [ ! -s "$want" ]; then fail "$name" "no $want"; continue; fi
  run_cmp "$name csv" "$want" "$rules" "$dir"
  run_cmp "$name sqlite" "$want" "$rules" "$dir/$name.db"

  # the committed data are the script's output
  mkdir -p "$tmp/gen_$name"
  if ! python3 "$dir/make_data.py" --out "$tmp/gen_$name" 2>"$tmp/err"; then
    fail "$name make_data.py" "failed"; head -5 "$tmp/err"
  else
    bad=""
    for t in events roster topics calendar; do
      cmp -s "$tmp/gen_$name/$t.csv" "$dir/$t.csv" || bad="$bad $t.csv"
    done
    if [ -n "$bad" ]; then fail "$name make_data.py" "differs from the committed$bad"
    else pass "$name make_data.py reproduces the CSV files"; fi
  fi

  # the hand reading declared in the script = the identities of expected.jsonl
  if python3 "$dir/make_data.py" --expected >"$tmp/hand" 2>"$tmp/err" &&
     identities "$want" >"$tmp/ids" && cmp -s "$tmp/hand" "$tmp/ids"; then
    pass "$name expected.jsonl = the scenario's declared violations"
  else
    fail "$name expected.jsonl" "differs from make_data.py --expected"
    diff "$tmp/hand" "$tmp/ids" | head -10
  fi
done

# colleges: --unit selects one unit, with its own lines only
want=examples/colleges/expected.jsonl
units=$(sed -n 's/^{"unit": "\([^"]*\)".*/\1/p' "$want" | sort -u)
n=0
for u in $units; do
  n=$((n + 1))
  grep -F "{\"unit\": \"$u\", " "$want" >"$tmp/unit_$n"
  run_cmp "colleges --unit $u csv" "$tmp/unit_$n" rules/units/wenxueyuan.zd examples/colleges --unit "$u"
  run_cmp "colleges --unit $u sqlite" "$tmp/unit_$n" rules/units/wenxueyuan.zd examples/colleges/colleges.db --unit "$u"
done
if [ "$n" -eq 4 ]; then pass "colleges has 4 units"; else fail "colleges units" "found $n, want 4"; fi
