#!/usr/bin/env bash
# fmt.sh ZHIDU - tests of `zhidu fmt`: the repository's rule files are
# formatted; formatting is idempotent, keeps comments and tokens, changes
# whitespace only (same compiled program); a copy with its indentation and
# trailing blanks messed up formats back exactly; --check exit codes; a file
# with a lexical or syntax error is refused and left untouched; the example of
# docs/cli.md. Expected outputs are written by hand below.
. "$(dirname "$0")/lib.sh"
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# tests/check/good/vocabulary.zd keeps tabs and CRLF line ends on purpose;
# bad files with lexical or syntax errors are refused (checked below); two bad
# files are left as written because formatting would move the columns their
# '// expect:' lines pin (continuation lines indented 6 and 7, not 4).
unformatted_bad="tests/check/bad/limits_loops.zd tests/check/bad/limits_times.zd"
mapfile -t files < <(find rules examples tests -name '*.zd' | sort)

# 1. every repository rule file is formatted (or, a bad file, refused)
for f in "${files[@]}"; do
  out=$("$zhidu" fmt --check "$f" 2>"$tmp/err"); rc=$?
  case $f in
    tests/check/good/vocabulary.zd) [ $rc -eq 1 ] && [ "$out" = "$f" ] && pass "check lists $f" || fail "check $f" "exit $rc, '$out'" ;;
    tests/check/bad/*)
      if [ $rc -eq 0 ] && [ -z "$out" ]; then pass "formatted $f"
      elif [ $rc -eq 1 ] && [ "$out" = "$f" ] && [[ " $unformatted_bad " == *" $f "* ]]; then pass "left as written $f"
      elif [ $rc -eq 1 ] && [ -z "$out" ] && grep -q ': error\[E0[01]' "$tmp/err"; then pass "refused $f"
      else fail "check $f" "exit $rc, '$out' $(head -2 "$tmp/err")"; fi ;;
    *) [ $rc -eq 0 ] && [ -z "$out" ] && [ ! -s "$tmp/err" ] && pass "formatted $f" || fail "formatted $f" "exit $rc, '$out'" ;;
  esac
done

# 2. a copy of the tree: idempotence, messed-up copies format back, same program
mkdir -p "$tmp/tree"
for f in "${files[@]}"; do mkdir -p "$tmp/tree/$(dirname "$f")"; cp "$f" "$tmp/tree/$f"; done
cd "$tmp/tree"
for f in "${files[@]}"; do
  cp "$f" "$f.orig"
  if "$zhidu" fmt "$f" 2>/dev/null; then
    cp "$f" "$f.once"
    "$zhidu" fmt "$f" && cmp -s "$f" "$f.once" && "$zhidu" fmt --check "$f" >/dev/null &&
      pass "idempotent $f" || fail "idempotent $f" "a second run changed it"
  else
    cmp -s "$f" "$f.orig" && pass "refused untouched $f" || fail "refused untouched $f" "the file changed"
  fi
done
# messed-up copies: random indentation (spaces and tabs) and trailing blanks,
# extra blank lines at the end; not in files with block comments (their inner
# lines are text) nor in the ones the formatter refuses or changes. (After a
# comment comes a space, even before a ',': see "comments kept" below.)
python3 - "${files[@]}" <<'PY'
import os, random, sys
random.seed(13)
for f in sys.argv[1:]:
    if not os.path.exists(f + ".once"): continue
    text = open(f, "rb").read()
    if b"/*" in text or open(f + ".orig", "rb").read() != text: continue
    out = []
    for l in text.split(b"\n")[:-1]:
        s = l.lstrip(b" ")
        if s: s = b" " * random.randint(0, 12) + random.choice([b"", b"", b"\t"]) + s
        out.append(s + random.choice([b"", b"", b" ", b"  \t", b"\t"]))
    open(f + ".messy", "wb").write(b"\n".join(out) + b"\n\n\n")
PY
nmessy=0
for f in "${files[@]}"; do
  [ -e "$f.messy" ] || continue
  nmessy=$((nmessy + 1))
  cp "$f.messy" "$f.work"
  "$zhidu" fmt --check "$f.work" >/dev/null 2>&1; rc=$?
  "$zhidu" fmt "$f.work"
  if [ $rc -eq 1 ] && cmp -s "$f.work" "$f"; then pass "messed-up $f formats back"; else fail "messed-up $f" "check exit $rc; $(diff "$f" "$f.work" | head -5)"; fi
done
[ $nmessy -ge 60 ] && pass "messed-up copies: $nmessy files" || fail "messed-up copies" "only $nmessy files"
# same program: a messed-up rules/gxnu.zd (in place, so extends still resolve)
# compiles to the program of the canonical file up to source columns, and
# formats back to bytes that compile identically.
strip_cols() { sed 's/\([;:] *[0-9][0-9]*\):[0-9][0-9]*/\1/g' "$1"; }
for f in rules/gxnu.zd rules/units/wenxueyuan.zd tests/check/good/adaptation_chain.zd; do
  "$zhidu" compile "$f" -o "$tmp/canon.zbc" && "$zhidu" disasm "$tmp/canon.zbc" >"$tmp/canon.txt"
  cp "$f.messy" "$f"
  "$zhidu" compile "$f" -o "$tmp/messy.zbc" && "$zhidu" disasm "$tmp/messy.zbc" >"$tmp/messy.txt"
  "$zhidu" fmt "$f" && "$zhidu" compile "$f" -o "$tmp/back.zbc"

  if cmp -s "$tmp/canon.zbc" "$tmp/back.zbc" && diff <(strip_cols "$tmp/canon.txt") <(strip_cols "$tmp/messy.txt") >/dev/null; then
    pass "same program $f"; else fail "same program $f" "$(diff <(strip_cols "$tmp/canon.txt") <(strip_cols "$tmp/messy.txt") | head -5)"; fi
done
cd "$root"

# 3. comments stay where they were; spacing and indentation as documented
cat >"$tmp/c.zd" <<'ZD'
// head comment   
policy c { title "c" }   // trailing
   /* block
      comment */ role 书记,校长   /* mid */ , 副书记
def f(t: time) =
 书记 at t   // continued
rule r {
      // before a clause
   tags X
 require f( 2020-01-01 )!={} and -1h<2h
        // before the brace
      }
// at the end
ZD
cat >"$tmp/c.want" <<'ZD'
// head comment
policy c { title "c" }   // trailing
/* block
      comment */ role 书记, 校长   /* mid */ , 副书记
def f(t: time) =
  书记 at t   // continued
rule r {
  // before a clause
  tags X
  require f(2020-01-01) != {} and -1h < 2h
  // before the brace
}
// at the end
ZD
"$zhidu" fmt "$tmp/c.zd"
cmp -s "$tmp/c.zd" "$tmp/c.want" && pass "comments kept" || { fail "comments kept" "$(diff "$tmp/c.want" "$tmp/c.zd")"; }

# a byte-order mark stays and takes no column; CRLF line ends become LF
printf '\xef\xbb\xbfdef f(t: time) = exists(e: event where e.time < t\r\n and e.time > t)\r\n' >"$tmp/bom.zd"
printf '\xef\xbb\xbfdef f(t: time) = exists(e: event where e.time < t\n                        and e.time > t)\n' >"$tmp/bom.want"
"$zhidu" fmt "$tmp/bom.zd"
cmp -s "$tmp/bom.zd" "$tmp/bom.want" && pass "byte-order mark and CRLF" || fail "byte-order mark and CRLF" "$(od -c "$tmp/bom.zd" | head -3)"

# 4. --check: exit codes and the list of files; nothing is written
printf 'role a\nrule r {\n  tags X\n}\n' >"$tmp/ok.zd"
printf 'role a\nrule r {\ntags X\n}\n' >"$tmp/off.zd"
cp "$tmp/off.zd" "$tmp/off.copy"
out=$("$zhidu" fmt --check "$tmp/ok.zd" 2>&1); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] && pass "--check formatted: exit 0" || fail "--check formatted" "exit $rc '$out'"
out=$("$zhidu" fmt --check "$tmp/ok.zd" "$tmp/off.zd" 2>&1); rc=$?
[ $rc -eq 1 ] && [ "$out" = "$tmp/off.zd" ] && cmp -s "$tmp/off.zd" "$tmp/off.copy" && pass "--check unformatted: exit 1, listed, untouched" ||
  fail "--check unformatted" "exit $rc '$out'"
"$zhidu" fmt "$tmp/ok.zd" "$tmp/off.zd"; rc=$?
[ $rc -eq 0 ] && cmp -s "$tmp/off.zd" "$tmp/ok.zd" && pass "fmt rewrites in place: exit 0" || fail "fmt in place" "exit $rc"

# written as a named output: a symbolic link written through, the mode kept
printf 'role a\nrule r {\ntags X\n}\n' >"$tmp/target.zd"
chmod 640 "$tmp/target.zd"
ln -s target.zd "$tmp/link.zd"
"$zhidu" fmt "$tmp/link.zd"; rc=$?
[ $rc -eq 0 ] && [ -L "$tmp/link.zd" ] && cmp -s "$tmp/target.zd" "$tmp/ok.zd" && [ "$(stat -c %a "$tmp/target.zd")" = 640 ] &&
  pass "fmt through a symbolic link, mode kept" || fail "fmt through a link" "exit $rc, mode $(stat -c %a "$tmp/target.zd")"

# 5. a lexical or syntax error: refused with the check diagnostic, untouched
printf 'role a\n   rule r {\n  require exists(\n}\n' >"$tmp/syntax.zd"
printf 'role a\n   rule r {\n  message "open\n}\n' >"$tmp/lex.zd"
for f in syntax lex; do
  cp "$tmp/$f.zd" "$tmp/$f.copy"
  "$zhidu" check "$tmp/$f.zd" 2>"$tmp/$f.check"
  "$zhidu" fmt "$tmp/$f.zd" >"$tmp/$f.out" 2>"$tmp/$f.err"; rc=$?
  "$zhidu" fmt --check "$tmp/$f.zd" >>"$tmp/$f.out" 2>/dev/null; rc2=$?
  if [ $rc -eq 1 ] && [ $rc2 -eq 1 ] && [ ! -s "$tmp/$f.out" ] && cmp -s "$tmp/$f.zd" "$tmp/$f.copy" &&
     grep -q "$f.zd:[34]:[0-9]*: error\[E0" "$tmp/$f.err" && grep -qF "$(head -1 "$tmp/$f.err")" "$tmp/$f.check"; then
    pass "$f error: refused, untouched"; else fail "$f error" "exit $rc/$rc2 $(cat "$tmp/$f.err" "$tmp/$f.out")"; fi
done

# 6. usage and I/O
"$zhidu" fmt 2>/dev/null; [ $? -eq 2 ] && pass "fmt without files: exit 2" || fail "fmt without files" "not 2"
"$zhidu" fmt --diff "$tmp/ok.zd" 2>/dev/null; [ $? -eq 2 ] && pass "fmt unknown option: exit 2" || fail "fmt unknown option" "not 2"
"$zhidu" fmt "$tmp/none.zd" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "cannot read $tmp/none.zd" "$tmp/err" && pass "fmt missing file: exit 2" || fail "fmt missing file" "exit $rc"

# 7. the example of docs/cli.md
python3 - docs/cli.md "$tmp" <<'PY'
import re, sys
doc, tmp = sys.argv[1:]
s = open(doc, encoding="utf-8").read()
for which in ("before", "after"):
    m = re.search(r"<!-- fmt example: %s -->\n```text\n(.*?)```" % which, s, re.S)
    open("%s/doc_%s.zd" % (tmp, which), "w", encoding="utf-8").write(m.group(1) if m else "")
PY
"$zhidu" fmt "$tmp/doc_before.zd"
[ -s "$tmp/doc_after.zd" ] && cmp -s "$tmp/doc_before.zd" "$tmp/doc_after.zd" && pass "docs/cli.md fmt example" ||
  fail "docs/cli.md fmt example" "$(diff "$tmp/doc_after.zd" "$tmp/doc_before.zd" | head)"
