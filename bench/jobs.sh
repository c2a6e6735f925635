#!/usr/bin/env bash
# jobs.sh [EVENTS...] - wall and CPU time of `zhidu run --jobs 2` against
# `--jobs 1` on dense multi-unit logs (bench/gen_dense.py --units), in pairs
# run back to back (which goes first alternates), with the medians, the ratio
# of the medians and the load average before and after; checks that the two
# reports are the same bytes. Environment: UNITS (default 8), REPEAT (pairs,
# default 5), ORDER=time for logs in time order (default: story order, so
# every event is held), RULES (default rules/gxnu.zd), ZHIDU (default
# build/zhidu). Data is kept in build/bench/. Prints Markdown.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
zhidu=${ZHIDU:-build/zhidu}
units=${UNITS:-8}
repeat=${REPEAT:-5}
rules=${RULES:-rules/gxnu.zd}
order=${ORDER:-story}
sizes=${*:-100000 250000}
work=build/bench
mkdir -p "$work"
[ -x "$zhidu" ] || make -s "$zhidu"

median() { sort -g | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo
echo "| events | units | order | --jobs 1 wall s | --jobs 2 wall s | wall ratio | --jobs 1 CPU s | --jobs 2 CPU s | same report |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|---|"
for n in $sizes; do
  dir=$work/dense-$n-u$units-$order
  if [ ! -d "$dir" ]; then
    inorder=""
    [ "$order" = time ] && inorder=--in-order
    python3 bench/gen_dense.py --events "$n" --units "$units" $inorder --out "$dir.tmp" >/dev/null
    mv "$dir.tmp" "$dir"
  fi
  events=$(($(wc -l <"$dir/events.csv") - 1))
  : >"$work/w1"; : >"$work/w2"; : >"$work/c1"; : >"$work/c2"
  same=yes
  for i in $(seq "$repeat"); do
    if [ $((i % 2)) -eq 1 ]; then order_jobs="1 2"; else order_jobs="2 1"; fi
    for j in $order_jobs; do
      /usr/bin/time -f "%e %U %S" -o "$work/time" "$zhidu" run "$rules" "$dir" --format jsonl --fail-on never --jobs "$j" >"$work/out$j"
      read -r wall user sys <"$work/time"
      echo "$wall" >>"$work/w$j"
      awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}' >>"$work/c$j"
    done
    cmp -s "$work/out1" "$work/out2" || same=no
  done
  w1=$(median <"$work/w1"); w2=$(median <"$work/w2")
  c1=$(median <"$work/c1"); c2=$(median <"$work/c2")
  ratio=$(awk -v a="$w2" -v b="$w1" 'BEGIN {printf "%.2f", a / b}')
  echo "| $events | $units | $order | $w1 | $w2 | $ratio | $c1 | $c2 | $same |"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
