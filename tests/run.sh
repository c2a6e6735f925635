#!/usr/bin/env bash
# run.sh BUILD_DIR - the whole suite: every cmocka unit-test binary (TAP output)
# and every file-driven test script; ends with one line "N passed, N failed"
# and exits non-zero when anything failed.
set -u
build=${1:-build/asan}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# zhidu speaks the locale's language (LC_ALL, LC_MESSAGES, LANG): the expected
# texts are English unless a test asks for --lang zh, whatever the machine's locale.
export LC_ALL=C.UTF-8
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# cmocka binaries: TAP on stdout; a crash without a "not ok" counts as a failure.
for bin in "$build"/tests/test_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  CMOCKA_MESSAGE_OUTPUT=TAP "$bin" >"$log" 2>&1
  rc=$?
  p=$(grep -c '^ok ' "$log")
  f=$(grep -c '^not ok ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "FAIL $name: exited $rc without reporting a failed test"
  fi
  grep '^not ok ' "$log" | sed "s/^/FAIL $name: /"
  if [ "$f" -gt 0 ]; then sed -n '1,80p' "$log" | grep -v '^ok ' | sed 's/^/    /'; fi
  echo "unit $name: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
done

# file-driven tests: each script prints "PASS name" or "FAIL name: why" per test.
for script in tests/*.sh; do
  case $(basename "$script") in run.sh | lib.sh) continue ;; esac
  bash "$script" "$build/zhidu" >"$log" 2>&1
  rc=$?
  p=$(grep -c '^PASS ' "$log")
  f=$(grep -c '^FAIL ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "FAIL $script: exited $rc without reporting a failed test"
    tail -n 20 "$log" | sed 's/^/    /'
  fi
  grep -A12 '^FAIL ' "$log"
  echo "files $(basename "$script"): $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
