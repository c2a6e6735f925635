#!/usr/bin/env bash
# codes_covered.sh [ZHIDU] - every diagnostic code of compiler/diag_codes.def
# must be expected by at least one test file (an "expect: CODE at" line in
# tests/check/bad/*.zd or a .expect sidecar there) and must have a heading
# "## CODE: summary" in docs/errors.md whose summary is the one in the .def
# file; docs/errors.md must not document codes that do not exist, and must
# list them in the .def file's order. Prints PASS/FAIL per check. The zhidu
# binary ($1) is not needed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
def=compiler/diag_codes.def
doc=docs/errors.md

codes=$(sed -n 's/^DIAG(\([EW][0-9]\{4\}\), *[A-Z]*, *"\(.*\)")$/\1/p' "$def")
if [ -z "$codes" ]; then echo "FAIL codes_covered: no DIAG(...) lines found in $def"; exit 1; fi

for code in $codes; do
  summary=$(sed -n "s/^DIAG($code, *[A-Z]*, *\"\\(.*\\)\")\$/\\1/p" "$def")
  # a test file expects it
  files=$(grep -a -l -e "expect: $code at [0-9]" tests/check/bad/*.zd tests/check/bad/*.expect 2>/dev/null | wc -l)
  if [ "$files" -gt 0 ]; then echo "PASS tested $code ($files file(s))"
  else echo "FAIL tested $code: no tests/check/bad file has an 'expect: $code at' line"; fi
  # the reference documents it, under its summary
  heading=$(grep -a -m1 -E "^## $code: " "$doc" 2>/dev/null)
  if [ -z "$heading" ]; then
    echo "FAIL documented $code: no '## $code: $summary' heading in $doc"
  elif [ "$heading" != "## $code: $summary" ]; then
    echo "FAIL documented $code: heading '$heading' does not match the summary '$summary' of $def"
  else
    echo "PASS documented $code"
  fi
done

# no heading for a code that does not exist, and the .def order is kept
doc_codes=$(sed -n 's/^## \([EW][0-9]\{4\}\): .*/\1/p' "$doc" 2>/dev/null)
stale=""
for c in $doc_codes; do
  printf '%s\n' $codes | grep -qx "$c" || stale="$stale $c"
done
if [ -z "$stale" ]; then echo "PASS documented codes exist"; else echo "FAIL documented codes exist:$stale are not in $def"; fi
if [ "$(printf '%s\n' $doc_codes)" = "$(printf '%s\n' $codes)" ]; then echo "PASS documented in order"
else echo "FAIL documented in order: the '## CODE:' headings of $doc are not the codes of $def, once each, in order"; fi
