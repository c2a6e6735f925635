#!/usr/bin/env bash
# errors_examples.sh ZHIDU - the examples of docs/errors.md report what they
# illustrate: every ```zd block under a "## CODE: ..." heading, checked with
# `zhidu check`, must report CODE. A block whose first line starts with
# "policy" or "extends" is a whole file; any other block is a fragment,
# checked appended to the running example school.zd of docs/language.md (which
# is also written beside it, so whole files may extend "school.zd").
# Prints PASS/FAIL per block.
. "$(dirname "$0")/lib.sh"
doc=docs/errors.md

# the running example: the first ```zhidu block of docs/language.md
awk '/^```zhidu[ \t]*$/ { n++; if (n == 1) { on = 1; next } } /^```/ && on { exit } on { print }' \
  docs/language.md >"$tmp/school.zd"
if ! grep -q '^// file: school.zd' "$tmp/school.zd"; then
  echo "FAIL errors_examples: cannot find the running example school.zd in docs/language.md"; exit 1
fi

mkdir -p "$tmp/blocks"
# blocks as files CODE.NNN.LINE
awk -v dir="$tmp/blocks" '
  /^## [EW][0-9][0-9][0-9][0-9]: / { code = substr($2, 1, 5); next }
  /^```zd[ \t]*$/ { if (code == "") { print "FAIL errors_examples: zd block before any code heading" > "/dev/stderr" }
                    inb = 1; n++; file = sprintf("%s/%s.%03d.%d", dir, code, n, NR + 1); printf "" > file; next }
  /^```/ && inb { inb = 0; close(file); next }
  inb { print > file }
' "$doc"

count=0
for block in "$tmp/blocks"/*; do
  [ -e "$block" ] || continue
  count=$((count + 1))
  base=$(basename "$block")
  code=${base%%.*}
  line=${base##*.}
  name="$doc:$line ($code)"
  case "$(head -n 1 "$block")" in
    policy*|extends*) cp "$block" "$tmp/example.zd" ;;
    *) { cat "$tmp/school.zd"; echo; cat "$block"; } >"$tmp/example.zd" ;;
  esac
  out=$(cd "$tmp" && "$zhidu" check example.zd 2>&1)
  rc=$?
  if printf '%s\n' "$out" | grep -a -q -E "^[^ ]+:[0-9]+:[0-9]+: (error|warning)\[$code\]: "; then
    want_rc=1; case $code in W*) want_rc=0;; esac
    if [ $rc -eq $want_rc ]; then echo "PASS $name"
    else echo "FAIL $name: exit $rc, expected $want_rc"; printf '%s\n' "$out" | head -20; fi
  else
    echo "FAIL $name: does not report $code (exit $rc)"; printf '%s\n' "$out" | head -20
  fi
done
[ $count -gt 0 ] || echo "FAIL errors_examples: no zd blocks in $doc"
