#!/usr/bin/env bash
# run_bytecode.sh [SECONDS] - runs the loader/verifier/VM fuzzer (make fuzz
# builds it) for SECONDS (default 60) on build/fuzz/corpus-bc, seeded with the
# bytecode of every rule file of the repository (compiled with build/zhidu).
# The target fixes each input's size and checksum fields, so mutations reach
# the section parsers, the verifier and, for accepted programs, the VM.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:-60}
[ $# -gt 0 ] && shift
out=$root/build/fuzz
bin=$out/fuzz_bytecode
[ -x "$bin" ] || bash fuzz/build.sh
[ -x build/zhidu ] || make -s build/zhidu
mkdir -p "$out/corpus-bc" "$out/artifacts-bc" "$out/logs"
n=0
while IFS= read -r -d '' f; do
  if build/zhidu compile "$f" -o "$out/corpus-bc/seed_$(printf '%s' "$f" | tr '/' '_').zbc" 2>/dev/null; then n=$((n + 1)); fi
done < <(find rules tests/golden tests/check/good tests/data -name '*.zd' -print0)
echo "run_bytecode.sh: $n seed programs, corpus has $(ls "$out/corpus-bc" | wc -l) inputs" >&2
log=$out/logs/fuzz-bytecode-$(date +%Y%m%d-%H%M%S).log
echo "run_bytecode.sh: log $log" >&2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
set +e
"$bin" -max_len=262144 -timeout=10 -rss_limit_mb=2048 -max_total_time="$secs" \
  -artifact_prefix="$out/artifacts-bc/" -print_final_stats=1 "$@" "$out/corpus-bc" </dev/null >"$log" 2>&1
rc=$?
set -e
grep -aE '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | head -1
grep -aE '^#[0-9]+[[:space:]]+(pulse|NEW|REDUCE|DONE)' "$log" | tail -1
grep -aE 'ERROR: |runtime error|^stat::' "$log" || true
ls "$out/artifacts-bc" 2>/dev/null | sed 's/^/artifact: /'
exit $rc
