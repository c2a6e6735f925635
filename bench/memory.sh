#!/usr/bin/env bash
# bench/memory.sh - memory of a streaming `zhidu run` as the log grows.
# One log in time order (tools/gen_data.py --in-order) of EVENTS events; its
# first quarter, half and whole are checked with rules/gxnu.zd by a streaming
# run (the default window) and by the baseline run in the same invocation,
# holding every event (--window 0). Prints, per size, the peak resident memory
# (/usr/bin/time -v) and the median wall time of REPEAT runs of each, and the
# ratios; the two reports are compared byte for byte. A bounded run's memory
# grows far less than the log (what grows: 8 bytes an event for duplicate
# ids, and the history the rules reach back into; docs/runtime.md).
# Usage: bash bench/memory.sh [EVENTS] [UNITS]    (defaults 400000, 8)
#        bash bench/memory.sh DIR                 (a CSV data set in time order
#        already made, e.g. by bench/gen_dense.py --in-order: its quarter, half, whole)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-400000}
units=${2:-8}
repeat=${REPEAT:-3}
zhidu=${ZHIDU:-build/zhidu}
[ -x "$zhidu" ] || make -s
dir=build/bench/ordered-$events-$units
if [ -d "$events" ]; then
  dir=$events
  events=$(basename "$dir")
  units=given
elif [ ! -d "$dir" ]; then
  echo "generating $events events in time order, $units units (tools/gen_data.py --in-order)..."
  mkdir -p build/bench
  python3 tools/gen_data.py --seed 7 --events "$events" --units "$units" --weeks 104 --in-order --out "$dir" >/dev/null
fi
rows=$(( $(wc -l <"$dir/events.csv") - 1 ))

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# measure DATA WINDOW OUT: "peak_kb seconds", the report in OUT
measure() {
  local data=$1 window=$2 out=$3 peak=0
  local times=()
  for _ in $(seq "$repeat"); do
    local t0 t1 kb
    t0=$(date +%s.%N)
    kb=$(/usr/bin/time -v "$zhidu" run rules/gxnu.zd "$data" --format jsonl --fail-on never --window "$window" 2>&1 >"$out" |
         awk -F': ' '/Maximum resident/ {print $2}')
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  echo "$peak $(printf '%s\n' "${times[@]}" | median)"
}

echo "log: $dir ($rows events), rules/gxnu.zd, $repeat runs each: peak RSS (max), wall time (median)"
printf '%10s  %22s  %22s  %12s  %s\n' events "streaming (MiB, s)" "holding all (MiB, s)" "memory ratio" "events/s streaming"
for part in 4 2 1; do
  n=$((rows / part))
  sub=build/bench/ordered-$events-$units-first-$n
  if [ ! -d "$sub" ]; then
    mkdir -p "$sub"
    cp "$dir"/roster.csv "$dir"/topics.csv "$dir"/calendar.csv "$sub"/
    head -n $((n + 1)) "$dir/events.csv" >"$sub/events.csv"
  fi
  read -r s_kb s_t < <(measure "$sub" 65536 build/bench/stream.jsonl)
  read -r h_kb h_t < <(measure "$sub" 0 build/bench/hold.jsonl)
  same=$(cmp -s build/bench/stream.jsonl build/bench/hold.jsonl && echo "" || echo "  REPORTS DIFFER")
  printf '%10d  %12.1f %8.2f  %12.1f %8.2f  %12.2f  %.0f%s\n' "$n" \
    "$(echo "$s_kb / 1024" | bc -l)" "$s_t" "$(echo "$h_kb / 1024" | bc -l)" "$h_t" \
    "$(echo "$s_kb / $h_kb" | bc -l)" "$(echo "$n / $s_t" | bc -l)" "$same"
done
