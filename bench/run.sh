#!/usr/bin/env bash
# bench/run.sh - throughput and memory of `zhidu run` on a generated data set.
# Each figure is the median of REPEAT runs, and is compared with a baseline
# run in the same invocation (the machine is noisy: read the ratios):
#   load   - the same bindings with no rules: reading and converting the data
#   csv    - rules/gxnu.zd over the CSV directory
#   sqlite - rules/gxnu.zd over the same data as a SQLite database
#   shards - --shard 0/2 and 1/2 merged (zhidu merge) against one run, byte for byte
# Usage: bash bench/run.sh [EVENTS] [UNITS]    (defaults 200000, 4)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-200000}
units=${2:-4}
repeat=${REPEAT:-5}
zhidu=build/zhidu
[ -x "$zhidu" ] || make -s
dir=build/bench/data-$events-$units
if [ ! -d "$dir" ]; then
  echo "generating $events events in $units units (tools/gen_data.py)..."
  mkdir -p build/bench
  python3 tools/gen_data.py --seed 42 --events "$events" --units "$units" --weeks 52 --out "$dir" --sqlite "$dir.db" >/dev/null
fi
# the load-only policy: gxnu.zd's header and bindings, no rules
norules=build/bench/bindings-only.zd
sed -n '/^policy/,/^\/\/ ---- parameters/p' rules/gxnu.zd >"$norules"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
run_times() { # label, command...
  local label=$1; shift
  for _ in $(seq "$repeat"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
  done | median
}
peak_kb() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}'; }

nevents=$(( $(wc -l <"$dir/events.csv") - 1 ))
echo "data: $dir ($nevents event rows, $(du -sh "$dir" | cut -f1) CSV), $repeat runs each, medians"
t_load=$(run_times load "$zhidu" run "$norules" "$dir" --format jsonl --fail-on never)
t_csv=$(run_times csv "$zhidu" run rules/gxnu.zd "$dir" --format jsonl --fail-on never)
t_db=$(run_times sqlite "$zhidu" run rules/gxnu.zd "$dir.db" --format jsonl --fail-on never)
m_csv=$(peak_kb "$zhidu" run rules/gxnu.zd "$dir" --format jsonl --fail-on never)
m_load=$(peak_kb "$zhidu" run "$norules" "$dir" --format jsonl --fail-on never)
violations=$("$zhidu" run rules/gxnu.zd "$dir" --format jsonl --fail-on never | wc -l)
awk -v n="$nevents" -v l="$t_load" -v c="$t_csv" -v d="$t_db" -v mc="$m_csv" -v ml="$m_load" -v v="$violations" 'BEGIN {
  printf "  load only (baseline)  %7.3f s  %9.0f events/s  peak %6.1f MiB\n", l, n / l, ml / 1024
  printf "  gxnu over CSV         %7.3f s  %9.0f events/s  peak %6.1f MiB  (%d violations)\n", c, n / c, mc / 1024, v
  printf "  gxnu over SQLite      %7.3f s  %9.0f events/s\n", d, n / d
  printf "  ratios: rules/load %.2f, SQLite/CSV %.2f, memory per event %.0f bytes\n", c / l, d / c, mc * 1024 / n
}'
# two shards merged (docs/scale.md) against the one run, byte for byte
"$zhidu" run rules/gxnu.zd "$dir" --format jsonl --fail-on never >build/bench/one.jsonl
for i in 0 1; do
  "$zhidu" run rules/gxnu.zd "$dir" --format jsonl --fail-on never --shard $i/2 >build/bench/shard$i.jsonl
done
t_shard=$(run_times shard "$zhidu" run rules/gxnu.zd "$dir" --format jsonl --fail-on never --shard 0/2)
"$zhidu" merge build/bench/shard0.jsonl build/bench/shard1.jsonl >build/bench/merged.jsonl
if cmp -s build/bench/merged.jsonl build/bench/one.jsonl; then same="identical to one run"; else same="DIFFERENT from one run"; fi
printf "  2 shards merged: %s (%d lines); shard 0/2 alone %.3f s\n" "$same" "$(wc -l <build/bench/merged.jsonl)" "$t_shard"
