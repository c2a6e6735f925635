#!/usr/bin/env bash
# run.sh [SECONDS] - runs the front-end fuzzer (build it first: make fuzz) for
# SECONDS (default 60) on build/fuzz/corpus, seeded from rules/, tests/check/
# and tests/robustness/ (seeds are copied there; the repository is not written).
# One job only (-jobs/-workers are not used: the machine is shared). Findings
# (crash-*, timeout-*, oom-*, leak-*) land in build/fuzz/artifacts/ and the
# log in build/fuzz/logs/. Extra arguments are passed on to libFuzzer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:-60}
[ $# -gt 0 ] && shift
out=$root/build/fuzz
bin=$out/fuzz_frontend
[ -x "$bin" ] || bash fuzz/build.sh
mkdir -p "$out/corpus" "$out/artifacts" "$out/logs" "$out/work"
n=0
while IFS= read -r -d '' f; do
  name=$(printf '%s' "$f" | tr '/' '_')
  cp "$f" "$out/corpus/seed_$name"
  n=$((n + 1))
done < <(find rules tests/check tests/robustness -type f -print0 2>/dev/null)
echo "run.sh: $n seed files, corpus has $(ls "$out/corpus" | wc -l) inputs" >&2
log=$out/logs/fuzz-$(date +%Y%m%d-%H%M%S).log
echo "run.sh: log $log" >&2
# Run in an empty directory: `extends "x"` in an input resolves relative to
# "fuzz-input.zd", that is, to the working directory. stdin is /dev/null so
# `extends "/dev/stdin"` cannot block.
cd "$out/work"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
set +e
"$bin" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -max_total_time="$secs" \
  -dict="$root/fuzz/zhidu.dict" -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
  "$@" "$out/corpus" </dev/null >"$log" 2>&1
rc=$?
set -e
# the summary: first and last status lines, sanitizer reports, final stats
grep -aE '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | head -1
grep -aE '^#[0-9]+[[:space:]]+(pulse|NEW|REDUCE|DONE)' "$log" | tail -1
grep -aE '^==[0-9]+==|SUMMARY|^stat::|^Done ' "$log" || true
ls "$out/artifacts" | sed 's/^/artifact: /' >&2
exit "$rc"
