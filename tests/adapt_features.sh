#!/usr/bin/env bash
# adapt_features.sh ZHIDU - what adaptations of other schools need.
# 1. Wording that follows an adaptation. tests/data/board/
# board.zd adapts rules/gxnu.zd for a college where the board chair (董事长)
# takes the president's (校长) place, with renames only and no override. Over
# examples/gxnu with the roster's role 校长 written 董事长, its report must be
# examples/gxnu/expected.jsonl with every 校长 read 董事长 (the verdicts are the
# same; messages write the role as {校长}; three rules are renamed to names
# that say 董事长), and no line may say 校长.
# 2. Times of day: tests/data/clock/clock.zd over tests/data/clock must give
# its expected.jsonl (worked out by hand in clock.zd's comments and
# events.csv: windows include their start and exclude their end; times with
# Z are read in the policy's zone +08:00), from CSV and from SQLite. The same
# for calendar clauses: tests/data/calendar (only/unless within/overlaps,
# the period in a filter, bare from/to, selections over calendar rows).
# 4. Teaching weeks are one line: rules/units/waiguoyu.zd over
# examples/waiguoyu without its `only within 校历 where kind == semester`
# reports one more catch-up cycle, 06-23..07-07, which runs past the
# semester's end (its expected.jsonl is checked by tests/examples.sh).
. "$(dirname "$0")/lib.sh"
mkdir "$tmp/data"
cp examples/gxnu/*.csv "$tmp/data/"
awk -F, -v OFS=, 'NR > 1 && $3 == "校长" { $3 = "董事长" } { print }' examples/gxnu/roster.csv >"$tmp/data/roster.csv"
sed 's/校长/董事长/g' examples/gxnu/expected.jsonl >"$tmp/want"
"$zhidu" run tests/data/board/board.zd "$tmp/data" --format jsonl --fail-on never >"$tmp/got" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/want" "$tmp/got"; then
  echo "PASS adapt_features board report follows the renames"
else
  echo "FAIL adapt_features board report: exit $rc"; head -5 "$tmp/err"; diff "$tmp/want" "$tmp/got" | head -10
fi
if [ -s "$tmp/got" ] && ! grep -q 校长 "$tmp/got"; then
  echo "PASS adapt_features no line says 校长"
else
  echo "FAIL adapt_features a line says 校长 (or no report)"; grep 校长 "$tmp/got" | head -3
fi

for set in clock calendar; do
  for src in csv sqlite; do
    data=tests/data/$set
    if [ $src = sqlite ]; then
      python3 tests/data/mkdb.py "$tmp/$set.db" --csv tests/data/$set >/dev/null 2>&1 || { echo "FAIL adapt_features $set: mkdb"; continue; }
      data=$tmp/$set.db
    fi
    "$zhidu" run tests/data/$set/$set.zd "$data" --format jsonl --fail-on never >"$tmp/got" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s tests/data/$set/expected.jsonl "$tmp/got"; then
      echo "PASS adapt_features $set $src"
    else
      echo "FAIL adapt_features $set $src: exit $rc"; head -5 "$tmp/err"; diff tests/data/$set/expected.jsonl "$tmp/got" | head -10
    fi
  done
done

mkdir -p "$tmp/units"
line='  only within 校历 where kind == semester'
if grep -qxF -- "$line" rules/units/waiguoyu.zd; then
  grep -vxF -- "$line" rules/units/waiguoyu.zd >"$tmp/units/waiguoyu.zd"
  cp rules/gxnu.zd "$tmp/gxnu.zd"
  "$zhidu" run "$tmp/units/waiguoyu.zd" examples/waiguoyu --format jsonl --fail-on never >"$tmp/got" 2>"$tmp/err"
  extra=$(diff examples/waiguoyu/expected.jsonl "$tmp/got" | grep '^>')
  if [ "$(printf '%s\n' "$extra" | grep -c .)" -eq 1 ] &&
     printf '%s' "$extra" | grep -qF '"tags": ["O2"], "clause": "一(二)", "severity": "in-principle", "subjects": [], "window": {"from": "2025-06-23T00:00:00+08:00", "to": "2025-07-07T00:00:00+08:00"}' &&
     [ "$(diff examples/waiguoyu/expected.jsonl "$tmp/got" | grep -c '^<')" -eq 0 ]; then
    echo "PASS adapt_features teaching weeks are the one line of waiguoyu.zd"
  else
    echo "FAIL adapt_features teaching weeks: without the line, got"; diff examples/waiguoyu/expected.jsonl "$tmp/got" | head -5
  fi
else
  echo "FAIL adapt_features teaching weeks: waiguoyu.zd has no line '$line'"
fi

# 3. 参照执行: in the text report of the board adaptation, an inherited rule
# cites, after the university's clauses, the adapting document and the clauses
# it follows; the university's own report cites nothing of the kind.
"$zhidu" run tests/data/board/board.zd "$tmp/data" --fail-on never >"$tmp/text" 2>"$tmp/err"
want1='   示例学院〔2025〕1号 参照师党〔2018〕12号三(一)执行'
want2='   示例学院〔2025〕1号 参照师党〔2018〕12号一(二)、三(八)执行'
if grep -qxF -- "$want1" "$tmp/text" && grep -qxF -- "$want2" "$tmp/text" &&
   [ "$(grep -c '^   示例学院〔2025〕1号 参照师党〔2018〕12号' "$tmp/text")" -eq "$(grep -c '^== ' "$tmp/text")" ]; then
  echo "PASS adapt_features board text report cites the clauses it follows"
else
  echo "FAIL adapt_features board text report: no 参照 line for every rule"; grep -n 参照 "$tmp/text" | head -5
fi
"$zhidu" run rules/gxnu.zd examples/gxnu --fail-on never >"$tmp/text" 2>"$tmp/err"
if [ -s "$tmp/text" ] && ! grep -q '参照' "$tmp/text"; then
  echo "PASS adapt_features gxnu text report cites no adaptation"
else
  echo "FAIL adapt_features gxnu text report says 参照"
fi
