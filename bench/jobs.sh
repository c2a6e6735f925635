#!/usr/bin/env bash
# jobs.sh [EVENTS...] - wall and CPU time of `zhidu run --jobs 2` against
# `--jobs 1` on dense multi-unit logs (bench/gen_dense.py --units), run back
# to back REPEAT times (the order of the runs rotates each time), with the
# medians of wall and CPU time and of peak RSS, the ratio of the wall
# medians and the load average before and after; checks that every run gave
# the same report bytes. Environment: UNITS (default 8), REPEAT (default 5),
# ORDER=time for logs in time order
# (default: story order, so every event is held), RULES (default
# rules/gxnu.zd), ZHIDU (default build/zhidu), BASELINE (another zhidu
# binary, e.g. one built from an older commit: timed the same way, in the same
# rotation, one more row per log), DATA (data sets to use, CSV folders or
# SQLite files, instead of generating them). Data is kept in build/bench/.
# Prints Markdown.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
zhidu=${ZHIDU:-build/zhidu}
baseline=${BASELINE:-}
units=${UNITS:-8}
repeat=${REPEAT:-5}
rules=${RULES:-rules/gxnu.zd}
order=${ORDER:-story}
sizes=${*:-100000 250000}
work=build/bench
mkdir -p "$work"
[ -x "$zhidu" ] || make -s "$zhidu"

median() { sort -g | awk '{a[NR] = $1} END {print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# the data sets: DATA, or logs generated at the sizes asked for
sets=${DATA:-}
if [ -z "$sets" ]; then
  for n in $sizes; do
    dir=$work/dense-$n-u$units-$order
    if [ ! -d "$dir" ]; then
      inorder=""
      [ "$order" = time ] && inorder=--in-order
      python3 bench/gen_dense.py --events "$n" --units "$units" $inorder --out "$dir.tmp" >/dev/null
      mv "$dir.tmp" "$dir"
    fi
    sets="$sets $dir"
  done
fi

# the runs of one data set: binary (z: ZHIDU, b: BASELINE) and job count
runs="z1 z2"
[ -n "$baseline" ] && runs="z1 z2 b1 b2"
nruns=$(echo $runs | wc -w)

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $rules; medians of $repeat"
echo
echo "| data | binary | --jobs 1 wall s | --jobs 2 wall s | wall ratio | --jobs 1 CPU s | --jobs 2 CPU s | --jobs 1 MiB | --jobs 2 MiB | same report |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
for data in $sets; do
  for r in $runs; do : >"$work/w$r"; : >"$work/c$r"; : >"$work/m$r"; done
  same=yes
  for i in $(seq "$repeat"); do
    # rotate: round i starts at the i-th configuration
    for r in $(echo $runs | awk -v k=$(((i - 1) % nruns)) '{for (j = 0; j < NF; j++) printf "%s ", $((j + k) % NF + 1)}'); do
      bin=$zhidu
      [ "${r%?}" = b ] && bin=$baseline
      /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" run "$rules" "$data" --format jsonl --fail-on never --jobs "${r#?}" \
        >"$work/out$r" 2>/dev/null
      read -r wall user sys rss <"$work/time"
      echo "$wall" >>"$work/w$r"
      echo $((rss / 1024)) >>"$work/m$r"
      awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}' >>"$work/c$r"
    done
    for r in $runs; do cmp -s "$work/outz1" "$work/out$r" || same=no; done
  done
  for b in z b; do
    [ -s "$work/w${b}1" ] || continue
    name=$zhidu
    [ $b = b ] && name=$baseline
    w1=$(median <"$work/w${b}1"); w2=$(median <"$work/w${b}2")
    c1=$(median <"$work/c${b}1"); c2=$(median <"$work/c${b}2")
    m1=$(median <"$work/m${b}1"); m2=$(median <"$work/m${b}2")
    ratio=$(awk -v a="$w2" -v b="$w1" 'BEGIN {printf "%.2f", a / b}')
    echo "| $(basename "$data") | $(basename "$name") | $w1 | $w2 | $ratio | $c1 | $c2 | $m1 | $m2 | $same |"
  done
  rm -f "$work"/[wcm][zb]?
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
