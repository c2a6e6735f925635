#!/usr/bin/env bash
# fuzz_smoke.sh ZHIDU - every fuzz target (fuzz/fuzz_*.c), built by `make asan`
# with a plain main (fuzz/standalone.c) beside ZHIDU, run once over its seeds:
# the harnesses build and pass in every `make test`. The long runs are
# libFuzzer's (make fuzz, fuzz/run*.sh; docs/reliability.md).
# Prints "PASS name" or "FAIL name: why" per target.
set -u
zhidu=$1
case $zhidu in /*) ;; *) zhidu=$PWD/$zhidu ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
bins=$(dirname "$zhidu")/fuzz-standalone
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"

python3 fuzz/make_seeds.py "$tmp/seeds"
mkdir -p "$tmp/seeds/frontend" "$tmp/seeds/bytecode"
cp rules/*.zd tests/check/good/*.zd tests/check/bad/limits_*.zd "$tmp/seeds/frontend/"
for f in rules/gxnu.zd tests/data/mini.zd; do
  "$zhidu" compile "$f" -o "$tmp/seeds/bytecode/$(basename "$f" .zd).zbc" 2>/dev/null
done

for src in fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  seeds=$tmp/seeds/${name#fuzz_}
  if [ ! -x "$bins/$name" ]; then
    echo "FAIL fuzz_smoke $name: $bins/$name is not built (make asan builds it)"
    continue
  fi
  want=$(find "$seeds" -type f | wc -l)
  # the targets run in an empty folder (an input's extends resolves there)
  mkdir -p "$tmp/work"
  (cd "$tmp/work" && timeout 600 "$bins/$name" "$seeds" </dev/null) >"$tmp/out" 2>&1
  rc=$?
  if [ $rc = 0 ] && [ "$want" -gt 0 ] && grep -qx "ran $want inputs" "$tmp/out" && ! grep -qE 'ERROR: |runtime error' "$tmp/out"
  then echo "PASS fuzz_smoke $name over its $want seeds"
  else echo "FAIL fuzz_smoke $name over its $want seeds: exit $rc; $(grep -m3 -E 'ERROR|error|ran' "$tmp/out")"; fi
done
