#!/usr/bin/env bash
# bytecode_cli.sh ZHIDU - `zhidu compile` and `zhidu disasm` from the outside:
#  - every rule file in rules/ and rules/units/ compiles (silently) and its
#    .zbc disassembles; disassembling the .zd directly prints the same text;
#  - compiling twice gives identical files;
#  - a truncated, a bit-flipped, an empty, a text-mangled and a non-bytecode
#    .zbc each exit 2 with exactly one line "FILE: error: bytecode: ..." on
#    stderr and nothing on stdout;
#  - compiling a rule file with an error exits 1 and writes no output file
#    (an existing one is left as it was); compiling to an unwritable path
#    exits 2 and leaves no temporary file behind.
# Prints "PASS name" or "FAIL name: why" per test.
. "$(dirname "$0")/lib.sh"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# flip FILE OFFSET: xor the byte at OFFSET with 0x10, in place
flip() {
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' \n')
  # shellcheck disable=SC2059
  printf "$(printf '\\%03o' $((b ^ 16)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# expect_bytecode_error NAME FILE [TEXT]: disasm FILE must exit 2 with one
# stderr line "FILE: error: bytecode: ..." (containing TEXT) and no stdout.
expect_bytecode_error() {
  local name=$1 file=$2 text=${3:-}
  "$zhidu" disasm "$file" >"$tmp/out" 2>"$tmp/err"
  local rc=$? lines
  lines=$(wc -l <"$tmp/err")
  if [ $rc -ne 2 ]; then fail "$name" "exit $rc, expected 2"; head -5 "$tmp/err"; return; fi
  if [ "$lines" -ne 1 ]; then fail "$name" "$lines lines on stderr, expected 1"; head -20 "$tmp/err"; return; fi
  if ! grep -q "^$file: error: bytecode: ." "$tmp/err"; then fail "$name" "stderr: $(cat "$tmp/err")"; return; fi
  if [ -n "$text" ] && ! grep -qF -- "$text" "$tmp/err"; then fail "$name" "message lacks '$text': $(cat "$tmp/err")"; return; fi
  if [ -s "$tmp/out" ]; then fail "$name" "printed something on stdout"; return; fi
  pass "$name"
}

files=$(ls rules/*.zd rules/units/*.zd 2>/dev/null)
[ -n "$files" ] || fail "bytecode rule files" "none found in rules/ and rules/units/"

for f in $files; do
  base=$(echo "$f" | tr '/' '_')
  zbc=$tmp/$base.zbc
  "$zhidu" compile "$f" -o "$zbc" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 0 ] || [ -s "$tmp/err" ] || [ -s "$tmp/out" ] || [ ! -s "$zbc" ]; then
    fail "compile $f" "exit $rc"; head -20 "$tmp/err"; continue
  fi
  pass "compile $f"
  "$zhidu" disasm "$zbc" >"$tmp/dis.zbc" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 0 ] || [ -s "$tmp/err" ] || ! grep -q '^code:' "$tmp/dis.zbc"; then
    fail "disasm $f" "exit $rc"; head -20 "$tmp/err"
  else
    pass "disasm $f"
  fi
  "$zhidu" disasm "$f" >"$tmp/dis.zd" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then fail "disasm of the rule file $f" "exit $rc"; head -20 "$tmp/err"
  elif ! cmp -s "$tmp/dis.zd" "$tmp/dis.zbc"; then fail "disasm of the rule file $f" "differs from the disassembly of its .zbc"
  else pass "disasm of the rule file $f"; fi
  "$zhidu" compile "$f" -o "$zbc.again" >/dev/null 2>&1
  if cmp -s "$zbc" "$zbc.again"; then pass "deterministic $f"; else fail "deterministic $f" "two compilations differ"; fi
done

# corrupt files, from the main policy's bytecode
good=$tmp/rules_gxnu.zd.zbc
if [ -s "$good" ]; then
  size=$(wc -c <"$good")

  head -c $((size / 2)) "$good" >"$tmp/truncated.zbc"
  expect_bytecode_error "bytecode truncated" "$tmp/truncated.zbc" "header: "
  head -c $((size - 1)) "$good" >"$tmp/short1.zbc"
  expect_bytecode_error "bytecode missing its last byte" "$tmp/short1.zbc" "truncated or padded"
  head -c 20 "$good" >"$tmp/header.zbc"
  expect_bytecode_error "bytecode truncated in the header" "$tmp/header.zbc" "header: "

  for off in $((size / 2)) $((size - 1)) 100 9; do
    cp "$good" "$tmp/flipped.zbc"
    flip "$tmp/flipped.zbc" "$off"
    if cmp -s "$good" "$tmp/flipped.zbc"; then fail "bytecode bit flip at $off" "the flip did not change the file"; continue; fi
    expect_bytecode_error "bytecode bit flip at $off" "$tmp/flipped.zbc" "header: "
  done
  cp "$good" "$tmp/flipped.zbc"
  flip "$tmp/flipped.zbc" $((size / 2))
  expect_bytecode_error "bytecode bit flip says checksum" "$tmp/flipped.zbc" "checksum mismatch"

  : >"$tmp/empty.zbc"
  expect_bytecode_error "bytecode empty file" "$tmp/empty.zbc" "not a zhidu bytecode file"

  # a text-mode transfer turned the magic's "\r\n" into "\n"
  { head -c 4 "$good"; tail -c +6 "$good"; } >"$tmp/textmode.zbc"
  expect_bytecode_error "bytecode text-mode line endings" "$tmp/textmode.zbc" "magic"

  cp rules/gxnu.zd "$tmp/source.zbc"
  expect_bytecode_error "bytecode that is a rule file" "$tmp/source.zbc" "not a zhidu bytecode file"

  cat "$good" "$good" >"$tmp/twice.zbc"
  expect_bytecode_error "bytecode padded" "$tmp/twice.zbc" "truncated or padded"
else
  fail "bytecode corrupt files" "rules/gxnu.zd did not compile"
fi

# a .zbc that does not exist
"$zhidu" disasm "$tmp/nothere.zbc" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "cannot read $tmp/nothere.zbc" "$tmp/err"; then pass "disasm of a missing .zbc"; else
  fail "disasm of a missing .zbc" "exit $rc: $(head -3 "$tmp/err")"; fi

# a .zbc path that is a directory, or not a regular file, says so
mkdir -p "$tmp/dir.zbc"
for cmd in disasm run; do
  "$zhidu" $cmd "$tmp/dir.zbc" $([ $cmd = run ] && echo examples/gxnu) >/dev/null 2>"$tmp/err"
  rc=$?
  if [ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "zhidu: cannot read $tmp/dir.zbc: Is a directory" ]; then
    pass "$cmd of a .zbc that is a directory"; else
    fail "$cmd of a .zbc that is a directory" "exit $rc: $(head -3 "$tmp/err")"; fi
done
mkfifo "$tmp/fifo.zbc"
timeout 20 "$zhidu" disasm "$tmp/fifo.zbc" >/dev/null 2>"$tmp/err" # an old reader blocked here
rc=$?
if [ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "zhidu: cannot read $tmp/fifo.zbc: not a regular file" ]; then
  pass "disasm of a .zbc that is a FIFO"; else fail "disasm of a .zbc that is a FIFO" "exit $rc: $(head -3 "$tmp/err")"; fi

# a rule file with an error: exit 1, no output written
mkdir -p "$tmp/bad"
printf 'policy broken {\n  title "t"\n  document "d"\n  effective 2024-01-01\n  timezone "+08:00"\n}\nrule r {\n  severity must\n  every day\n  message "m"\n  require nosuchname\n}\n' >"$tmp/bad/broken.zd"
"$zhidu" compile "$tmp/bad/broken.zd" -o "$tmp/bad/broken.zbc" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -ne 1 ]; then fail "compile with errors" "exit $rc, expected 1"; head -5 "$tmp/err"
elif [ -e "$tmp/bad/broken.zbc" ]; then fail "compile with errors" "wrote an output file"
elif ! grep -q 'error\[' "$tmp/err"; then fail "compile with errors" "no diagnostic: $(head -3 "$tmp/err")"
elif [ "$(ls "$tmp/bad")" != "broken.zd" ]; then fail "compile with errors" "left files behind: $(ls "$tmp/bad" | tr '\n' ' ')"
else pass "compile with errors"; fi
# an existing output file is left as it was
echo "previous" >"$tmp/bad/broken.zbc"
"$zhidu" compile "$tmp/bad/broken.zd" -o "$tmp/bad/broken.zbc" >/dev/null 2>&1
rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$tmp/bad/broken.zbc")" = previous ]; then pass "compile with errors keeps the old output"; else
  fail "compile with errors keeps the old output" "exit $rc, output now $(head -c 40 "$tmp/bad/broken.zbc" | od -c | head -1)"; fi

# a rule file that does not exist: exit 2
"$zhidu" compile "$tmp/none.zd" -o "$tmp/none.zbc" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && [ ! -e "$tmp/none.zbc" ]; then pass "compile of a missing file"; else fail "compile of a missing file" "exit $rc"; fi

# an unwritable output path: exit 2, nothing left behind
"$zhidu" compile rules/gxnu.zd -o "$tmp/no/such/dir/out.zbc" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "cannot write $tmp/no/such/dir/out.zbc" "$tmp/err"; then pass "compile to a missing directory"; else
  fail "compile to a missing directory" "exit $rc: $(head -3 "$tmp/err")"; fi
mkdir -p "$tmp/outdir/sub"
"$zhidu" compile rules/gxnu.zd -o "$tmp/outdir/sub" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -ne 2 ]; then fail "compile onto a directory" "exit $rc, expected 2"
elif [ "$(ls "$tmp/outdir")" != sub ] || [ -n "$(ls "$tmp/outdir/sub")" ]; then fail "compile onto a directory" "left files behind: $(ls -R "$tmp/outdir" | tr '\n' ' ')"
else pass "compile onto a directory"; fi
