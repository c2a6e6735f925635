#!/usr/bin/env bash
# bench/compare.sh - zhidu on dense logs, side by side with what it must beat.
# For each size, on the same generated data (bench/gen_dense.py: the shape of
# issue 10, CSV and SQLite), the median over REPEAT runs of CPU seconds
# (user + system), wall seconds and peak RSS (/usr/bin/time -f) of:
#   bare libcsv parse      bench/csv_scan.c over the four CSV files
#   bare SQLite scan       bench/sqlite_scan.c, typed accessors, every column
#   zhidu, bindings only   gxnu.zd's header and bindings, no rules (CSV)
#   zhidu gxnu.zd          CSV and SQLite, --format jsonl, --jobs at its default
#                          (the cores), and CSV again with --jobs 1
#   zhidu O7+O8+O17        only those rules (SQLite)
#   sqlite3 O7+O8+O17      bench/rules.sql in the sqlite3 shell
#   Python O7+O8+O17       bench/rules.py, a straightforward script (CSV)
#   zhidu one rule         O7, O8, O12, O13, O17 alone (CSV)
# with events/s (by CPU time), the ratios of CPU and of wall time to the bare
# parse of the same format measured in the same invocation, the Python
# reading's time as a multiple of the whole file's, and the growth exponent between sizes
# log(t2/t1)/log(n2/n1) (1 = linear, 2 = quadratic). It also checks that
# bench/rules.sql and bench/rules.py report the same O7, O8, O17 violations
# as zhidu.
# Each run is capped at TIMEOUT seconds of CPU time (ulimit -t: on a shared
# machine a wall-clock cap would cut runs short; a capped run is shown as such).
# The output is Markdown (docs/performance.md keeps a copy).
#
# Usage: bash bench/compare.sh [EVENTS...]      (default: 100000 250000)
#   REPEAT=3  ORDER=story|time  TIMEOUT=600  PER_RULE=1 (0: skip per-rule runs)
#   ZHIDU=build/zhidu  WORK=build/bench (data and helpers are kept there)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100000}")
[ $# -eq 0 ] && sizes=(100000 250000)
repeat=${REPEAT:-3}
order=${ORDER:-story}
limit=${TIMEOUT:-600}
per_rule=${PER_RULE:-1}
zhidu=${ZHIDU:-build/zhidu}
work=${WORK:-build/bench}
mkdir -p "$work"
[ -x "$zhidu" ] || make -s -j2
# the sqlite3 shell is needed here only (not by zhidu: not in install-deps.sh)
command -v sqlite3 >/dev/null || apt-get install -y -q sqlite3 >&2 ||
  { echo "compare.sh: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
cflags="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2"
for p in csv_scan sqlite_scan; do
  if [ ! -x "$work/$p" ] || [ "bench/$p.c" -nt "$work/$p" ]; then
    # shellcheck disable=SC2086
    gcc $cflags -o "$work/$p" "bench/$p.c" -lcsv -lsqlite3
  fi
done

# policies: bindings only; one rule alone; O7+O8+O17
rules_only() { bash bench/rules_only.sh "$1"; }
sed -n '/^policy/,/^\/\/ ---- parameters/p' rules/gxnu.zd >"$work/bindings-only.zd"
rules_only O7,O8,O17 >"$work/rules-O7-O8-O17.zd"
tags=(O7 O8 O12 O13 O17)
for t in "${tags[@]}"; do rules_only "$t" >"$work/rules-$t.zd"; done

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# measure KEY N -- CMD...: REPEAT runs; res[KEY] = "cpu wall rss_kib" (medians)
# or "timeout"; the last run's output is kept in $work/out-KEY
declare -A res
measure() {
  local key=$1; shift 2
  local cpus=() walls=() rsss=() i
  for ((i = 0; i < repeat; i++)); do
    if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" \
         bash -c 'ulimit -t "$0"; exec "$@"' "$limit" "$@" >"$work/out-$key" 2>"$work/err-$key"; then
      if grep -q 'terminated by signal \(24\|9\)' "$work/time.txt"; then res[$key]=timeout; return; fi
      echo "compare.sh: $key failed: $(head -3 "$work/err-$key")" >&2; exit 1
    fi
    read -r w u s m < <(tail -1 "$work/time.txt")
    cpus+=("$(echo "$u + $s" | bc -l)"); walls+=("$w"); rsss+=("$m")
  done
  res[$key]="$(printf '%s\n' "${cpus[@]}" | median) $(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${rsss[@]}" | median)"
}

labels=(csv "bare libcsv parse" zload "zhidu, bindings only (CSV)" zcsv "zhidu gxnu.zd (CSV)"
        zcsv1 "zhidu gxnu.zd (CSV, --jobs 1)"
        db "bare SQLite scan" zdb "zhidu gxnu.zd (SQLite)" z3 "zhidu O7+O8+O17 (SQLite)"
        sql "sqlite3 shell O7+O8+O17" py "Python O7+O8+O17 (CSV)")
base_of() { case $1 in csv|zload|zcsv|zcsv1|py|rule-*) echo csv ;; *) echo db ;; esac; }
[ "$per_rule" = 1 ] && for t in "${tags[@]}"; do labels+=("rule-$t" "zhidu $t alone (CSV)"); done

declare -A nev
echo "# zhidu against bare reads and plain SQL (bench/compare.sh)"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg);"
echo "$repeat runs each, medians; events in $order order; runs capped at $limit s of CPU."
for n in "${sizes[@]}"; do
  suffix=$([ "$order" = time ] && echo -time || true)
  dir=$work/dense-$n$suffix
  if [ ! -f "$dir.db" ]; then
    python3 bench/gen_dense.py --events "$n" --out "$dir" --sqlite "$dir.db.part" \
      $([ "$order" = time ] && echo --in-order) && mv "$dir.db.part" "$dir.db"
  fi
  rows=$(sqlite3 -readonly "$dir.db" 'SELECT count(*) FROM events')
  nev[$n]=$rows
  measure "csv-$n" -- "$work/csv_scan" "$dir"/*.csv
  measure "db-$n" -- "$work/sqlite_scan" "$dir.db"
  measure "zload-$n" -- "$zhidu" run "$work/bindings-only.zd" "$dir" --format jsonl --fail-on never
  measure "zcsv-$n" -- "$zhidu" run rules/gxnu.zd "$dir" --format jsonl --fail-on never
  measure "zcsv1-$n" -- "$zhidu" run rules/gxnu.zd "$dir" --format jsonl --fail-on never --jobs 1
  measure "zdb-$n" -- "$zhidu" run rules/gxnu.zd "$dir.db" --format jsonl --fail-on never
  measure "z3-$n" -- "$zhidu" run "$work/rules-O7-O8-O17.zd" "$dir.db" --format jsonl --fail-on never
  measure "sql-$n" -- sqlite3 -readonly "$dir.db" -init /dev/null -cmd '.read bench/rules.sql' .quit
  measure "py-$n" -- python3 bench/rules.py "$dir"
  if [ "$per_rule" = 1 ]; then
    for t in "${tags[@]}"; do
      measure "rule-$t-$n" -- "$zhidu" run "$work/rules-$t.zd" "$dir" --format jsonl --fail-on never
    done
  fi
  echo
  echo "## $rows events ($(du -shL "$dir" | cut -f1) CSV, $(du -hL "$dir.db" | cut -f1) SQLite; load now $(cut -d' ' -f1 /proc/loadavg))"
  echo
  echo "| | CPU s | wall s | events/s | peak MiB | CPU × bare parse | wall × bare parse |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for ((i = 0; i < ${#labels[@]}; i += 2)); do
    k=${labels[i]}; r=${res[$k-$n]}; b=${res[$(base_of "$k")-$n]}
    if [ "$r" = timeout ]; then echo "| ${labels[i+1]} | > $limit (capped) | | | | | |"; continue; fi
    awk -v l="${labels[i+1]}" -v r="$r" -v b="$b" -v n="$rows" 'BEGIN {
      split(r, x, " "); split(b, y, " ")
      printf "| %s | %.2f | %.2f | %s | %.1f | %s | %s |\n", l, x[1], x[2], (x[1] >= 0.02 ? sprintf("%.0f", n / x[1]) : "–"),
             x[3] / 1024, (y[1] >= 0.02 ? sprintf("%.1f", x[1] / y[1]) : "–"), (y[2] >= 0.02 ? sprintf("%.1f", x[2] / y[2]) : "–") }'
  done
  if [ "${res[zcsv-$n]}" != timeout ] && [ "${res[py-$n]}" != timeout ]; then
    awk -v z="${res[zcsv-$n]}" -v p="${res[py-$n]}" 'BEGIN { split(z, x, " "); split(p, y, " ")
      printf "\nPython O7+O8+O17 against zhidu gxnu.zd (CSV, the whole file): %.1f× the CPU time, %.1f× the wall time.\n",
             y[1] / x[1], y[2] / x[2] }'
  fi
  for k in sql py; do
    [ "${res[zdb-$n]}" != timeout ] && [ "${res[$k-$n]}" != timeout ] || continue
    echo
    echo "bench/rules.$k against zhidu (SQLite run):"
    echo '```'
    python3 bench/agree.py "$work/out-zdb-$n" "$work/out-$k-$n" "$k" || true
    echo '```'
  done
done

if [ "${#sizes[@]}" -gt 1 ]; then
  echo
  echo "## Growth exponent of CPU time, log(t2/t1)/log(n2/n1)"
  echo
  head="| |"; sep="|---|"
  for ((j = 1; j < ${#sizes[@]}; j++)); do
    head+=" ${nev[${sizes[j-1]}]} → ${nev[${sizes[j]}]} |"; sep+="---:|"
  done
  echo "$head"; echo "$sep"
  for ((i = 0; i < ${#labels[@]}; i += 2)); do
    line="| ${labels[i+1]} |"
    for ((j = 1; j < ${#sizes[@]}; j++)); do
      a=${res[${labels[i]}-${sizes[j-1]}]}; b=${res[${labels[i]}-${sizes[j]}]}
      if [ "$a" = timeout ] || [ "$b" = timeout ]; then line+=" – |"; continue; fi
      line+=$(awk -v a="$a" -v b="$b" -v n1="${nev[${sizes[j-1]}]}" -v n2="${nev[${sizes[j]}]}" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        if (x[1] <= 0.02) printf " – |"; else printf " %.2f |", log(y[1] / x[1]) / log(n2 / n1) }')
    done
    echo "$line"
  done
fi
echo
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
