#!/usr/bin/env bash
# size_limits.sh ZHIDU - no source file in compiler/, runtime/ or cli/ is over
# 1,000 lines and no function over 200: a function is found by a line that
# starts a definition at column 0 and ends at the first line that is just
# "}" (the project's layout); its length counts both. ZHIDU is not used.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

files=$(ls compiler/*.[ch] compiler/*.l compiler/*.y runtime/*.[ch] cli/*.[ch] 2>/dev/null)
over=""
for f in $files; do
  n=$(wc -l <"$f")
  [ "$n" -gt 1000 ] && over="$over $f($n)"
done
[ -z "$over" ] && pass "no source file over 1,000 lines" || fail "files over 1,000 lines" "$over"

# a definition: column-0 line with '(' not ending in ';' (not a prototype),
# then '{' alone or at its end; the body ends at a line that is exactly '}'.
scan='
  FNR == 1 { infn = 0; pending = "" }
  !infn && /^[A-Za-z_][A-Za-z0-9_ \t\*,]*\(/ && !/;[ \t]*$/ && !/^(typedef|struct|enum|union|static const|const)[ \t]/ {
    pending = FILENAME ":" FNR; pstart = FNR
  }
  !infn && pending != "" && /\{[ \t]*$/ { infn = 1; start = pstart; name = pending; pending = ""; next }
  !infn && /;[ \t]*$/ { pending = "" }
  infn && /^\}/ { len = FNR - start + 1; if (len > 200) print name "(" len ")"; infn = 0 }
'
long=$(awk "$scan" $files)
[ -z "$long" ] && pass "no function over 200 lines" || fail "functions over 200 lines" "$(echo $long)"

# the scan can fail: a planted 201-line function is found
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
{ echo "static int f(void)"; echo "{"; for i in $(seq 199); do echo "    x();"; done; echo "}"; } >"$tmp/t.c"
n=$(awk "$scan" "$tmp/t.c")
[ "$n" = "$tmp/t.c:1(202)" ] && pass "planted 202-line function found" || fail "planted function" "scan said '$n'"
