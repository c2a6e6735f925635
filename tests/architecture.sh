#!/usr/bin/env bash
# architecture.sh ZHIDU - docs/architecture.md stays true: every file of
# compiler/, runtime/ and cli/ has its row in "Which file owns what", and
# every row names a file that exists. ZHIDU is not used.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rows: lines "| `dir/file` | ..." under "## Which file owns what"
rows() { sed -n '/^## Which file owns what/,$p' "$1" | sed -n 's/^| `\(\(compiler\|runtime\|cli\)\/[^`]*\)` |.*/\1/p' | sort; }
ls compiler/* runtime/* cli/* | sort >"$tmp/files"
rows docs/architecture.md >"$tmp/rows"
missing=$(comm -23 "$tmp/files" "$tmp/rows" | tr '\n' ' ')
stale=$(comm -13 "$tmp/files" "$tmp/rows" | tr '\n' ' ')
[ -z "$missing" ] && pass "every source file has its row in docs/architecture.md" \
  || fail "files without a row in docs/architecture.md" "$missing"
[ -z "$stale" ] && pass "every row of docs/architecture.md names a file" \
  || fail "rows of docs/architecture.md without a file" "$stale"

# the check can fail: a page without one row is caught
grep -v '^| `runtime/arena.c`' docs/architecture.md >"$tmp/page.md"
n=$(rows "$tmp/page.md" | comm -23 "$tmp/files" - | tr -d '\n')
[ "$n" = "runtime/arena.c" ] && pass "a missing row is found" || fail "a missing row" "found '$n'"
