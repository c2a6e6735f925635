#!/usr/bin/env bash
# golden.sh ZHIDU - outputs pinned in tests/golden/ (each checked by hand when
# written): `zhidu disasm X.zd` must print exactly X.disasm, and the .zbc
# compiled from X.zd must disassemble to the same text.
. "$(dirname "$0")/lib.sh"
for zd in tests/golden/*.zd; do
  want="${zd%.zd}.disasm"
  [ -e "$want" ] || continue
  if "$zhidu" disasm "$zd" >"$tmp/got" 2>"$tmp/err" && diff -u "$want" "$tmp/got" >"$tmp/diff"; then
    echo "PASS disasm $zd"
  else
    echo "FAIL disasm $zd: output differs from $want"; head -30 "$tmp/diff" "$tmp/err"
  fi
  if "$zhidu" compile "$zd" -o "$tmp/x.zbc" && "$zhidu" disasm "$tmp/x.zbc" >"$tmp/got2" && cmp -s "$tmp/got" "$tmp/got2"; then
    echo "PASS disasm of compiled $zd"
  else
    echo "FAIL disasm of compiled $zd: differs from disassembling the source"
  fi
done
