#!/usr/bin/env bash
# run_data.sh TARGET [SECONDS] [libFuzzer flags] - runs one of the data-side
# fuzzers (csv, sqlite or time: build/fuzz/fuzz_TARGET, built by make fuzz)
# for SECONDS (default 60) on build/fuzz/corpus-TARGET, seeded by
# fuzz/make_seeds.py. One job (the machine is shared). Prints the first and
# last status lines and the final statistics; findings go to
# build/fuzz/artifacts-TARGET/, the full log to build/fuzz/logs/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${1:?usage: run_data.sh csv|sqlite|time [SECONDS] [flags]}
shift
secs=${1:-60}
[ $# -gt 0 ] && shift
out=$root/build/fuzz
bin=$out/fuzz_$target
[ -x "$bin" ] || bash fuzz/build.sh
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
python3 fuzz/make_seeds.py "$seeds"
mkdir -p "$out/corpus-$target" "$out/artifacts-$target" "$out/logs" "$out/work"
cp "$seeds/$target"/* "$out/corpus-$target/"
log=$out/logs/fuzz-$target-$(date +%Y%m%d-%H%M%S).log
echo "run_data.sh: $(ls "$out/corpus-$target" | wc -l) inputs in the corpus; log $log" >&2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
max_len=65536
[ "$target" = time ] && max_len=64
set +e
(cd "$out/work" && "$bin" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 -max_total_time="$secs" \
  -artifact_prefix="$out/artifacts-$target/" -print_final_stats=1 "$@" "$out/corpus-$target" </dev/null >"$log" 2>&1)
rc=$?
set -e
grep -aE '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | head -1
grep -aE '^#[0-9]+[[:space:]]+(pulse|NEW|REDUCE|DONE)' "$log" | tail -1
grep -aE 'ERROR: |runtime error|^stat::' "$log" || true
ls "$out/artifacts-$target" 2>/dev/null | sed 's/^/artifact: /'
exit $rc
