#!/usr/bin/env bash
# docs_examples.sh ZHIDU - every ```zhidu block of docs/*.md and README.md must
# check with no diagnostic. A block whose first line is "// file: NAME.zd" is
# a whole file (written under that name, so later blocks can extend it); any
# other block is a fragment, checked appended to docs/language.md's running
# example school.zd. Prints PASS/FAIL per block.
set -u
zhidu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for doc in README.md docs/*.md; do
  [ -e "$doc" ] || continue
  mkdir -p "$tmp/blocks"
  rm -f "$tmp/blocks"/*
  # split the ```zhidu blocks into numbered files: NNN.LINE
  awk -v dir="$tmp/blocks" '
    /^```zhidu[ \t]*$/ { inblock = 1; n++; start = NR; file = sprintf("%s/%03d.%d", dir, n, NR + 1); printf "" > file; next }
    /^```/ && inblock { inblock = 0; close(file); next }
    inblock { print > file }
  ' "$doc"
  for block in "$tmp/blocks"/*; do
    [ -e "$block" ] || continue
    line=${block##*.}
    name="$doc:$line"
    first=$(head -n 1 "$block")
    case "$first" in
      "// file: "*)
        target="$tmp/${first#// file: }"
        cp "$block" "$target" ;;
      *)
        if [ ! -e "$tmp/school.zd" ]; then echo "FAIL $name: fragment before the running example school.zd"; continue; fi
        target="$tmp/fragment.zd"
        cat "$tmp/school.zd" "$block" >"$target" ;;
    esac
    out=$(cd "$tmp" && "$zhidu" check "$(basename "$target")" 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && [ -z "$out" ]; then echo "PASS $name"; else
      echo "FAIL $name: exit $rc"; echo "$out" | head -20; fi
  done
done
