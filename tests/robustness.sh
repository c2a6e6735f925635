#!/usr/bin/env bash
# robustness.sh ZHIDU - hostile inputs for `zhidu check`. Generates, the same
# way every run, into a temp dir: random binary garbage, invalid UTF-8 in
# names, strings and comments, NUL bytes, 10 MB single lines, 100,000-deep
# nesting, 100,000-term chains, unterminated constructs at end of file, an
# empty file, a BOM-only file; then adds every file in tests/robustness/
# (fuzzer findings, kept as regression inputs).
# Each case must finish within `timeout 120`, print no sanitizer report, and
# exit 0 or 1 (never a crash or another code); a generated case must exit 1,
# the control (the header and rule the cases build on) 0;
# exit 1 must come with at least one "FILE:LINE:COL: error[" line.
# Prints "PASS robustness NAME" or "FAIL robustness NAME: why" per case.
# ROBUSTNESS_ONLY=REGEX runs only the matching cases; ROBUSTNESS_KEEP=DIR
# keeps the generated files there (DIR is replaced).
set -u
zhidu=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
tmp=$(mktemp -d)
trap '[ -n "${ROBUSTNESS_KEEP:-}" ] && rm -rf "$ROBUSTNESS_KEEP" && cp -r "$tmp" "$ROBUSTNESS_KEEP"; rm -rf "$tmp"' EXIT
gen=$tmp/cases
mkdir -p "$gen"
export LC_ALL=C

# A header that checks clean, so later errors come from the construct itself.
header='policy robust {
  title "t"
  document "d"
  effective 2024-01-01
  timezone "+08:00"
}
param p: int = 1
'
# the start of a rule; a case appends the expression of its `require` and "}"
rule_open='rule r {
  tags t
  clause "1" "x"
  severity must
  every day
  message "m"
  require '

# rep STRING COUNT: STRING repeated COUNT times, no newline (doubling: fast in any awk)
rep() {
  REP_S=$1 awk -v n="$2" 'BEGIN {
    s = ENVIRON["REP_S"]; out = ""; while (n > 0) { if (n % 2) out = out s; s = s s; n = int(n / 2) }
    printf "%s", out }'
}

# garbage SEED BYTES [ALPHABET]: deterministic bytes from a Park-Miller PRNG
# (products stay below 2^53, so every awk computes the same sequence). Without
# ALPHABET the bytes are 0..255; with it, runs of its characters and of
# language tokens, so the parser sees something close to rule files.
garbage() {
  awk -v seed="$1" -v n="$2" -v mode="${3:-bytes}" 'BEGIN {
    x = seed % 2147483646 + 1
    split("policy rule role body enum events event param def set tags clause severity must every day week on where for in let when else pending require deadline subjects evidence message and or not true false at throughout exists count latest first list extends override replace disable because { } ( ) [ ] , : . | & ? ; == != <= >= < > = + - * / \" // /* */ 2024-01-01 2024-01-01T08:00 30min 7d 12 a b x.y 书记 原则上 须", tok, " ")
    ntok = 0; for (k in tok) ntok++
    for (i = 0; i < n; ) {
      x = (x * 16807) % 2147483647
      if (mode == "bytes") { printf "%c", x % 256; i++; continue }
      r = x % 100
      if (r < 70) { t = tok[x % ntok + 1]; printf "%s", t; i += length(t) }
      else if (r < 90) { printf "%s", (r % 3 ? " " : "\n"); i++ }
      else { printf "%c", int(x / 100) % 256; i++ }
    }
  }'
}

mk() { cat >"$gen/$1"; }

# ---- random garbage ----------------------------------------------------------
for seed in 1 2 3 4 5 42 1234 99991; do
  garbage "$seed" 65536 | mk "garbage_bytes_$seed.zd"
  garbage "$seed" 65536 tokens | mk "garbage_tokens_$seed.zd"
done
{ printf '%s' "$header"; garbage 7 200000 tokens; } | mk garbage_tokens_after_header.zd

# ---- invalid UTF-8 and NUL bytes -------------------------------------------
# each: a lone continuation byte, an overlong '/', a surrogate, a truncated
# sequence, a byte that never occurs in UTF-8, one above U+10FFFF
bad_utf8=('\x80' '\xc0\xaf' '\xed\xa0\x80' '\xe5\xad' '\xff' '\xf4\x90\x80\x80' '\xfe\xfe\xfe\xfe')
i=0
for b in "${bad_utf8[@]}"; do
  i=$((i + 1))
  { printf '%s' "$header"; printf "param na${b}me: int = 2\n"; } | mk "utf8_name_$i.zd"
  { printf '%s' "$header"; printf "param ${b}: int = 2\n"; } | mk "utf8_name_start_$i.zd"
  { printf '%s' "$header"; printf "param s: text = \"ab${b}cd\"\n"; } | mk "utf8_string_$i.zd"
  { printf '%s' "$header"; printf "// a comment ${b} here\nparam q: bool = true ${b}\n"; } | mk "utf8_line_comment_$i.zd"
  { printf '%s' "$header"; printf "/* a comment ${b} here */ param q: bool = maybe\n"; } | mk "utf8_block_comment_$i.zd"
  { printf "${b}"; printf '%s' "$header"; } | mk "utf8_first_byte_$i.zd"
  { printf '%s' "$header"; printf "param s: text = \"end${b}"; } | mk "utf8_unterminated_string_$i.zd"
done
{ printf '%s' "$header"; printf 'param a\0b: int = 2\n'; } | mk nul_in_name.zd
{ printf '%s' "$header"; printf 'param s: text = "a\0b"\n'; } | mk nul_in_string.zd
{ printf '%s' "$header"; printf '// a\0b\n/* c\0d */\nparam x: int = 2 2\n'; } | mk nul_in_comments.zd
{ printf '\0\0\0\0'; printf '%s' "$header"; } | mk nul_at_start.zd
head -c 100000 /dev/zero | mk nul_only.zd
{ printf '%s' "$header"; printf 'param s: text = "\\\0"\n'; } | mk nul_after_backslash.zd

# ---- huge lines ----------------------------------------------------------------
{ printf '%s' "$header"; rep 'abcdefghi ' 1048576; printf '\n'; } | mk line_10mb_identifiers.zd
{ printf '%s' "$header"; printf 'param x: int = '; rep 'abcdefghij' 1048576; printf '\n'; } | mk line_10mb_one_identifier.zd
{ printf '%s' "$header"; printf 'param s: bool = "'; rep '0123456789' 1048576; printf '"\n'; } | mk line_10mb_string.zd
{ printf '%s' "$header"; printf 'param s: text = "'; rep '\q' 5242880; printf '"\n'; } | mk line_10mb_bad_escapes.zd
{ printf '%s' "$header"; printf 'param s: text = "'; rep '0123456789' 1048576; } | mk line_10mb_unterminated_string.zd
{ printf '%s' "$header"; printf '// '; rep '注释注释注释' 600000; printf '\nparam x: bool = "no"\n'; } | mk line_10mb_comment.zd
{ printf '%s' "$header"; rep '@' 10485760; printf '\n'; } | mk line_10mb_bad_chars.zd

# ---- deep nesting and long chains ----------------------------------------------
n=100000
{ printf '%s%s' "$header" "$rule_open"; rep '(' $n; printf 'p == 1'; rep ')' $n; printf '\n}\n'; } | mk nest_parens_100k.zd
{ printf '%s%s' "$header" "$rule_open"; rep 'not ' $n; printf 'p == 1\n}\n'; } | mk nest_not_100k.zd
{ printf '%s%s' "$header" "$rule_open"; printf 'a'; rep ' or a' $((n - 1)); printf '\n}\n'; } | mk chain_or_100k.zd
{ printf '%s%s' "$header" "$rule_open"; printf 'p'; rep ' + p' $((n - 1)); printf ' == 1\n}\n'; } | mk chain_plus_100k.zd
{ printf '%s%s' "$header" "$rule_open"; rep '- ' $n; printf 'p == 1\n}\n'; } | mk nest_minus_100k.zd
{ printf '%s%s' "$header" "$rule_open"; rep '{' $n; printf 'p'; rep '}' $n; printf ' == 1\n}\n'; } | mk nest_braces_100k.zd
{ printf '%s%s' "$header" "$rule_open"; printf 'p'; rep '[p' $n; rep ']' $n; printf ' == 1\n}\n'; } | mk nest_index_100k.zd
{ printf '%s%s' "$header" "$rule_open"; printf 'p'; rep '.f' $n; printf ' == 1\n}\n'; } | mk chain_field_100k.zd
{ printf '%s%s' "$header" "$rule_open"; printf '{p'; rep ', p' $n; printf '} == 1\n}\n'; } | mk set_100k_elements.zd
{ printf '%s%s' "$header" "$rule_open"; printf 'f(p'; rep ', p' $n; printf ') == 1\n}\n'; } | mk call_100k_arguments.zd
{ printf '%s' "$header"; rep '(' $n; printf '\n'; } | mk open_parens_100k_top_level.zd
{ printf '%s' "$header"; rep ')' $n; printf '\n'; } | mk close_parens_100k_top_level.zd
{ printf '%s' "$header"; awk -v n=5000 'BEGIN { for (i = 0; i < n; i++) printf "param q%d: int = %d\n", i, i }';
  printf 'param q0: int = 1\n'; } | mk params_5k_unused.zd
{ printf '%s' "$header"; rep 'rule ' $n; } | mk keywords_100k.zd

# ---- unterminated at end of file, empty, BOM ----------------------------------
{ printf '%s' "$header"; printf 'param s: text = "abc'; } | mk unterminated_string_eof.zd
{ printf '%s' "$header"; printf 'param s: text = "abc\\'; } | mk unterminated_string_backslash_eof.zd
{ printf '%s' "$header"; printf '/* abc'; } | mk unterminated_block_comment_eof.zd
{ printf '%s' "$header"; printf '/* abc *'; } | mk unterminated_block_comment_star_eof.zd
{ printf '%s' "$header"; printf '/*'; } | mk unterminated_block_comment_bare_eof.zd
{ printf '%s' "$header"; printf 'rule r {'; } | mk unterminated_rule_eof.zd
: | mk empty.zd
printf '\xef\xbb\xbf' | mk bom_only.zd
printf '\xef\xbb\xbf\n' | mk bom_newline.zd
printf '\n\n\n   \t\n' | mk whitespace_only.zd

# ---- run -------------------------------------------------------------------------
# run NAME FILE WANT: WANT is "1" (generated case), "0" (the control) or "01" (either)
run() {
  local name=$1 f=$2 want=$3 rc why=""
  [ -n "${ROBUSTNESS_ONLY:-}" ] && ! printf '%s' "$name" | grep -qE "$ROBUSTNESS_ONLY" && return
  timeout 120 "$zhidu" check "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -eq 124 ]; then why="timed out after 120 s"
  elif [ $rc -gt 128 ]; then why="killed by signal $((rc - 128))"
  elif grep -aqE 'Sanitizer|runtime error:|^==[0-9]+==' "$tmp/err"; then
    why="sanitizer report: $(grep -aE 'ERROR|runtime error:|SUMMARY' "$tmp/err" | head -2 | tr '\n' ' ')"
  elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then why="exit $rc"
  elif [ "$want" = 1 ] && [ $rc -ne 1 ]; then why="exit $rc, expected 1 (errors)"
  elif [ "$want" = 0 ] && [ $rc -ne 0 ]; then why="exit $rc, expected 0: the header and rule the cases build on must check clean"
  elif [ $rc -eq 1 ] && ! grep -aqE '^[^ ]+:[0-9]+:[0-9]+: error\[[EW][0-9]{4}\]' "$tmp/err"; then
    why="exit 1 without a FILE:LINE:COL: error[ line"
  fi
  if [ -z "$why" ]; then echo "PASS robustness $name"; else
    echo "FAIL robustness $name: $why"; head -c 2000 "$tmp/err" | head -20 | sed 's/^/    /'; fi
}

# the control: the header and a complete rule, without errors
{ printf '%s%s' "$header" "$rule_open"; printf 'p == 1\n}\n'; } >"$tmp/control.zd"
run control_clean.zd "$tmp/control.zd" 0
for f in "$gen"/*; do run "$(basename "$f")" "$f" 1; done
for f in tests/robustness/*; do
  [ -f "$f" ] || continue
  run "$f" "$f" 01
done
