#!/usr/bin/env bash
# build.sh - builds the libFuzzer targets (every fuzz/fuzz_*.c) with clang
# into build/fuzz/, among them:
#   build/fuzz/fuzz_frontend   lexer + parser + sema + diagnostic renderers
#   build/fuzz/fuzz_bytecode   bytecode reader, verifier, disassembler, VM
# Generates its own flex/bison sources (build/fuzz/gen/) and compiles
# compiler/*.c and runtime/*.c with -fsanitize=fuzzer,address,undefined;
# it does not use the gcc build. Installs clang when missing.
# Usage: bash fuzz/build.sh        (or: make fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=build/fuzz
gen=$out/gen

if ! command -v clang >/dev/null; then
  ZHIDU_WITH_CLANG=1 bash scripts/install-deps.sh
fi
bash scripts/install-deps.sh   # flex, bison, headers
CC=${FUZZ_CC:-clang}

rm -rf "$out/obj"
mkdir -p "$gen" "$out/obj"
bison -Wall -Werror --defines="$gen/parser.h" -o "$gen/parser.c" compiler/parser.y
flex -o "$gen/lexer.c" compiler/lexer.l
sh scripts/embed-text.sh "$gen/report_html_assets.h" report_css=runtime/report_html.css report_js=runtime/report_html.js

cflags=(-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
        -I"$gen" -Icompiler -Iruntime -DFUZZ_ROOT="\"$root\"")
# the library objects are compiled without the fuzzer's main but with its
# coverage instrumentation
libflags=("${cflags[@]/-fsanitize=fuzzer,address,undefined/-fsanitize=fuzzer-no-link,address,undefined}")

objs=()
for src in compiler/*.c runtime/*.c "$gen/lexer.c" "$gen/parser.c"; do
  obj=$out/obj/$(printf '%s' "${src%.c}" | tr '/' '_').o
  warn=(-Wall -Wextra); case "$src" in "$gen"/*) warn=(-w);; esac
  "$CC" "${libflags[@]}" "${warn[@]}" -c -o "$obj" "$src"
  objs+=("$obj")
done
# an archive, so only what the target reaches is linked (the runtime's
# sqlite/csv users are not)
rm -f "$out/libzdfuzz.a"
ar rcs "$out/libzdfuzz.a" "${objs[@]}"
# every fuzz/fuzz_*.c is a target; link beside it and rename, so a running
# fuzzer keeps its binary
for target in fuzz/fuzz_*.c; do
  name=$(basename "${target%.c}")
  "$CC" "${cflags[@]}" -o "$out/$name.new" "$target" "$out/libzdfuzz.a" -lsqlite3 -lcsv -lm
  mv -f "$out/$name.new" "$out/$name"
  echo "built $out/$name"
done
