#!/usr/bin/env bash
# cycles.sh ZHIDU - no two files of compiler/, runtime/ and cli/ call each
# other in a cycle: builds the file-to-file graph from the object files beside
# ZHIDU (an edge A -> B when A.o needs a global symbol B.o defines, from nm)
# and fails on every loop tsort finds, printing its files. Calls through a
# function-pointer interface (VmHost, SourceOps) do not show in nm and are
# allowed by design. Also: no object of runtime/ calls abort or exit.
set -u
build=$(cd "$(dirname "$1")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

mapfile -t objs < <(find "$build/compiler" "$build/runtime" "$build/cli" "$build/gen" \
  -maxdepth 1 -name '*.o' 2>/dev/null | sort)
if [ "${#objs[@]}" -lt 20 ]; then
  fail "object files" "found ${#objs[@]} under $build"; exit 0
fi
name() { local o=${1#"$build"/}; echo "${o%.o}"; }
for o in "${objs[@]}"; do
  n=$(name "$o")
  nm --defined-only -g "$o" | awk -v f="$n" 'NF == 3 { print $3, f }' >>"$tmp/defs"
  nm -u "$o" | awk -v f="$n" '{ print $NF, f }' >>"$tmp/uses"
done
sort -k1,1 "$tmp/defs" >"$tmp/defs.s"
sort -k1,1 "$tmp/uses" >"$tmp/uses.s"
# edges "user definer", self-edges dropped
join "$tmp/uses.s" "$tmp/defs.s" | awk '$2 != $3 { print $2, $3 }' | sort -u >"$tmp/edges"
edges=$(wc -l <"$tmp/edges")
[ "$edges" -gt 20 ] || { fail "call graph" "only $edges edges"; exit 0; }

# a deliberate cycle must be found (the test can fail)
printf 'a b\nb c\nc a\n' | tsort >/dev/null 2>"$tmp/probe"
grep -q 'loop' "$tmp/probe" && pass "tsort reports a planted loop" \
  || fail "tsort" "a planted loop a -> b -> c -> a went unreported"

tsort "$tmp/edges" >/dev/null 2>"$tmp/loops"
if grep -q 'loop' "$tmp/loops"; then
  fail "no cycles between files ($edges edges)" "$(sed -e "s|^tsort: $tmp/edges: input contains a loop:|loop:|" -e 's/^tsort: //' "$tmp/loops" | tr '\n' ' ')"
  # for each file in a loop, the edges that close it
  sed -n 's/^tsort: \([a-z]*\/[a-z_0-9]*\)$/\1/p' "$tmp/loops" | sort -u >"$tmp/in"
  awk 'NR == FNR { s[$1] = 1; next } ($1 in s) && ($2 in s)' "$tmp/in" "$tmp/edges" | sed 's/^/    /'
else
  pass "no cycles between files ($edges edges)"
fi

# the runtime library reports failure, running out of memory included,
# through its error path: none of its objects calls abort or exit (the
# compiler may: diag_out_of_memory, whose call the scan must find)
stops=$(awk '$1 == "abort" || $1 == "exit" || $1 == "_exit" { print $2 }' "$tmp/uses" | sort -u)
bad=$(echo "$stops" | grep '^runtime/' | tr '\n' ' ')
if ! echo "$stops" | grep -qx 'compiler/diag'; then
  fail "abort and exit found" "the scan does not see compiler/diag's exit"
elif [ -n "$bad" ]; then
  fail "the runtime never aborts or exits" "$bad"
else
  pass "the runtime never aborts or exits"
fi
