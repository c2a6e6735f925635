#!/usr/bin/env bash
# check_files.sh ZHIDU - file-driven tests of `zhidu check`.
#  tests/check/good/*.zd must check with no error and no warning (exit 0).
#  tests/check/bad/*.zd state their expected diagnostics inline, one per line:
#      // expect: CODE at LINE[:COL] ["text the message contains"]
#  (or in FILE.expect beside a file that cannot hold comments).
#      // expect-note: "text"   (also after an expect: on its line)
#  each such note must be printed (a line "note: ...text..."), and every
#  "did you mean" note printed must be expected so. The set of
#  (code, line[, col]) reported must equal the set expected, and the exit code
#  must be 1 when an error is expected, 0 when only warnings are.
# Support files that are not tests themselves live in subdirectories.
. "$(dirname "$0")/lib.sh"

for f in tests/check/good/*.zd rules/*.zd rules/units/*.zd; do
  [ -e "$f" ] || continue
  out=$("$zhidu" check "$f" 2>&1)
  rc=$?
  if [ $rc -eq 0 ] && [ -z "$out" ]; then echo "PASS good $f"; else
    echo "FAIL good $f: exit $rc"; echo "$out" | head -20; fi
done

for f in tests/check/bad/*.zd; do
  [ -e "$f" ] || continue
  spec="$f"; [ -e "$f.expect" ] && spec="$f.expect"
  grep -a -o 'expect: [EW][0-9]\{4\} at [0-9]\+\(:[0-9]\+\)\?\( "[^"]*"\)\?' "$spec" | sed 's/^expect: //' >"$tmp/want"
  if [ ! -s "$tmp/want" ]; then echo "FAIL bad $f: no '// expect:' line"; continue; fi
  "$zhidu" check "$f" >/dev/null 2>"$tmp/err"
  rc=$?
  # "FILE:LINE:COL: error[CODE]: message" lines become "CODE LINE COL message"
  grep -a -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning)\[[EW][0-9]{4}\]: ' "$tmp/err" |
    sed -E 's/^[^ ]+:([0-9]+):([0-9]+): (error|warning)\[([EW][0-9]{4})\]: (.*)$/\4 \1 \2 \5/' >"$tmp/got"
  ok=1; why=""
  while IFS= read -r w; do
    code=${w%% at *}; rest=${w#* at }; pos=${rest%% *}; text=""
    case "$rest" in *\"*) text=${rest#*\"}; text=${text%\"};; esac
    line=${pos%%:*}; col=""; [ "$pos" != "$line" ] && col=${pos#*:}
    if ! awk -v c="$code" -v l="$line" -v k="$col" -v t="$text" '
        $1==c && $2==l && (k=="" || $3==k) && (t=="" || index($0,t)>0) {found=1}
        END {exit !found}' "$tmp/got"; then
      ok=0; why="$why; missing $w"
    fi
  done <"$tmp/want"
  while read -r code line col msg; do
    if ! awk -v c="$code" -v l="$line" -v k="$col" '
        { split($0, a, " at "); split(a[2], p, "[: ]"); if (a[1]==c && p[1]==l && (p[2]=="" || p[2] !~ /^[0-9]+$/ || p[2]==k)) found=1 }
        END {exit !found}' "$tmp/want"; then
      ok=0; why="$why; unexpected $code at $line:$col ($msg)"
    fi
  done <"$tmp/got"
  grep -a -o 'expect-note: "[^"]*"' "$spec" | sed 's/^expect-note: "//; s/"$//' >"$tmp/notes"
  while IFS= read -r n; do
    grep -a -q -F "note: $n" "$tmp/err" || { ok=0; why="$why; missing note \"$n\""; }
  done <"$tmp/notes"
  while IFS= read -r n; do
    grep -a -q -F -x "${n#note: }" "$tmp/notes" || { ok=0; why="$why; unexpected $n"; }
  done < <(grep -a '^note: did you mean' "$tmp/err")
  want_rc=0; grep -q '^E' "$tmp/want" && want_rc=1
  [ $rc -eq $want_rc ] || { ok=0; why="$why; exit $rc, expected $want_rc"; }
  if [ $ok = 1 ]; then echo "PASS bad $f"; else echo "FAIL bad $f:${why#;}"; fi
done
