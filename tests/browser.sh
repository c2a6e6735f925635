#!/usr/bin/env bash
# browser.sh ZHIDU - the HTML report (docs/report.md) rendered in headless
# Chromium (Debian's chromium, installed by scripts/install-deps.sh): for the
# bundled examples (gxnu; the adaptation wenxueyuan with renamed roles and
# disabled rules; the many-unit colleges) tests/browser/dom_checks.py checks
# the page's DOM against the JSON report of the same run and the example's
# hand-checked expected.jsonl, drives the filters with keyboard events, and
# keeps a screenshot (docs/img/report.png is one). Also checked here without a
# browser: the page is self-contained (no address to fetch), the same data
# gives the same bytes (with --window 1, 0 or the default too), a CSV directory and its SQLite file give the same page
# but for the marked source locations, and a hostile roster name or unit name
# stays text.
# Prints "PASS ..." or "FAIL ...: why" per check.
. "$(dirname "$0")/lib.sh"
pass() { echo "PASS browser $1"; }
fail() { echo "FAIL browser $1: $2"; }

if ! command -v chromium >/dev/null; then
  fail "chromium" "not installed (scripts/install-deps.sh installs it)"
  exit 1
fi

# page NAME RULES DATA: writes $tmp/NAME.html and $tmp/NAME.json
page() {
  "$zhidu" run "$2" "$3" --format html --lang zh --fail-on never --output "$tmp/$1.html" 2>"$tmp/$1.err" &&
  "$zhidu" run "$2" "$3" --format json --fail-on never >"$tmp/$1.json" 2>>"$tmp/$1.err" ||
    { fail "$1 run" "$(head -3 "$tmp/$1.err")"; return 1; }
  [ -s "$tmp/$1.err" ] && fail "$1 run" "wrote to standard error: $(head -3 "$tmp/$1.err")"
  return 0
}
# the page without the source locations (the data set's path, file:line or db:table:rowid)
unsourced() { sed 's|<span class="src">[^<]*</span>||g' "$1"; }

gxnu_tags=O1=3,O2=2,O2.monday=2,O3=2,O4=4,O5=2,O6=2,O7=4,O8=3,O9=3,O10=4,O11=3,O12=2,O13=4,O14=2
gxnu_tags=$gxnu_tags,O15.leave=3,O15.delegation=2,O16.life=1,O16.report=1,O17=2
# colleges, O1 (examples/colleges/README.md): weeks 03-03 … 03-24 judged in the
# four units (16) but 03-03 in 化学与药学学院 (before its range: not judged) and
# 03-17 in 外国语学院 (its own vacation); 03-31 is 清明 everywhere; one ✗ (文学院)
colleges_strip=O1=14/1/1
for ex in gxnu:rules/gxnu.zd wenxueyuan:rules/units/wenxueyuan.zd colleges:rules/units/wenxueyuan.zd; do
  name=${ex%%:*} rules=${ex#*:}
  page "$name" "$rules" "examples/$name" || continue
  page "$name-db" "$rules" "examples/$name/$name.db" || continue
  page "$name-again" "$rules" "examples/$name" || continue
  if cmp -s "$tmp/$name.html" "$tmp/$name-again.html"; then pass "$name same data, same bytes"
  else fail "$name same data, same bytes" "two runs differ"; fi
  if cmp -s <(unsourced "$tmp/$name.html") <(unsourced "$tmp/$name-db.html"); then
    pass "$name csv and sqlite give the same page"
  else
    fail "$name csv and sqlite give the same page" "$(diff <(unsourced "$tmp/$name.html") <(unsourced "$tmp/$name-db.html") | head -5)"
  fi
  # the judged periods and triggers are the same however the run steps through the log
  "$zhidu" run "$rules" "examples/$name" --format html --lang zh --fail-on never --window 1 --output "$tmp/$name-w1.html" 2>/dev/null
  "$zhidu" run "$rules" "examples/$name" --format html --lang zh --fail-on never --window 0 --output "$tmp/$name-w0.html" 2>/dev/null
  if cmp -s "$tmp/$name.html" "$tmp/$name-w1.html" && cmp -s "$tmp/$name.html" "$tmp/$name-w0.html"; then
    pass "$name streaming in steps of 1 event or none: the same page"
  else
    fail "$name streaming in steps of 1 event or none: the same page" "pages differ"
  fi
  # self-contained: nothing that would make a browser fetch anything
  if grep -Eiq '(src|href)="(https?:)?//|<link|@import|url\(' "$tmp/$name.html"; then
    fail "$name self-contained" "$(grep -Eio '(src|href)="(https?:)?//[^"]*|<link[^>]*|@import|url\(' "$tmp/$name.html" | head -3)"
  else
    pass "$name self-contained"
  fi
  case $name in
    gxnu) extra=(--tags "$gxnu_tags" --strip O1=72/3/0,O2=35/2/0 --matrices O12=3,O13=3 --search E0236
                 --screenshot "$tmp/gxnu.png" --timing) ;;
    wenxueyuan) extra=(--disabled 2 --search 院党委书记 --timing) ;;
    colleges) extra=(--disabled 2 --strip "$colleges_strip" --timing) ;;
  esac
  python3 tests/browser/dom_checks.py "$name" "$tmp/$name.html" "$tmp/$name.json" "examples/$name/expected.jsonl" "${extra[@]}" ||
    echo "(dom_checks $name exited $?)"
  [ "$name" = gxnu ] && [ -n "${ZHIDU_SCREENSHOT:-}" ] && cp "$tmp/gxnu.png" "$ZHIDU_SCREENSHOT"
done

# a hostile roster name and event id: shown as text, never run as markup or script
hostile='<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>&amp;'"'"
mkdir -p "$tmp/hostile"
cp examples/gxnu/*.csv "$tmp/hostile/"
python3 - "$tmp/hostile/roster.csv" "$hostile" <<'PY'
import csv, sys
path, name = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
for r in rows[1:]:
    if r[0] == "19880031":   # the secretary: named in O1's violations
        r[1] = name
csv.writer(open(path, "w", encoding="utf-8", newline="")).writerows(rows)
PY
page hostile rules/gxnu.zd "$tmp/hostile" &&
  if grep -q '<img src=x\|<script>window.pwned' "$tmp/hostile.html"; then fail "hostile name escaped" "markup in the page"
  else pass "hostile name escaped"; fi &&
  python3 tests/browser/dom_checks.py hostile "$tmp/hostile.html" "$tmp/hostile.json" examples/gxnu/expected.jsonl --hostile "$hostile"

# a hostile unit name (attribute context: data-unit, option values) in the many-unit example
unit_hostile='"><script>window.pwned=3</script><b x='"'"
mkdir -p "$tmp/hostile-unit"
python3 - examples/colleges "$tmp/hostile-unit" "$unit_hostile" <<'PY'
import csv, glob, os, sys
src, dst, name = sys.argv[1:]
for path in glob.glob(os.path.join(src, "*.csv")):
    rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
    for r in rows[1:]:
        if r and r[0] == "文学院":
            r[0] = name
    csv.writer(open(os.path.join(dst, os.path.basename(path)), "w", encoding="utf-8", newline="")).writerows(rows)
PY
page hostile-unit rules/units/wenxueyuan.zd "$tmp/hostile-unit" &&
  "$zhidu" run rules/units/wenxueyuan.zd "$tmp/hostile-unit" --format jsonl --fail-on never >"$tmp/hostile-unit.jsonl" &&
  python3 tests/browser/dom_checks.py hostile-unit "$tmp/hostile-unit.html" "$tmp/hostile-unit.json" "$tmp/hostile-unit.jsonl" \
    --hostile "$unit_hostile"
exit 0
