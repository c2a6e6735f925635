#!/usr/bin/env bash
# generate.sh - writes the test rule files that cannot be typed in an editor:
# raw invalid bytes, NUL bytes, an over-long name, and a file with more than
# 100 errors. The generated files are committed; rerun this after editing it.
#   bash tests/check/generate.sh
set -eu
cd "$(dirname "$0")/bad"

header='policy 测试 { title "t" document "d" effective 2020-01-01 timezone "+08:00" }'
rules_tail='body 碰头会
events "events" { id: id time: time type: text actor: person targets: list person kind: text }
event meeting { actor, targets, kind: body }'
rules_head="role 书记, 校长
$rules_tail"

# E0001: a rule file partly saved in GBK (书记 is CA E9 BC C7 in GBK, the
# ideographic space A1 A1, 周一 D6 DC D2 BB), and a stray Latin-1 byte. A run
# of bad bytes is reported once, at its first byte; a comment or a string once,
# at its first bad byte.
{
  printf '%s\n' '// Parts of the file saved in GBK instead of UTF-8, and a stray Latin-1 byte.'
  printf '%s\n' '// A run of invalid bytes between tokens is reported once, at its first byte;'
  printf '%s\n' '// a comment or a string is reported once, at its first invalid byte.'
  printf '%s\n' '// expect: E0001 at 9:4 "invalid UTF-8 byte 0xCA in comment"'
  printf '%s\n' '// expect: E0001 at 10:13 "invalid UTF-8 byte 0xA1"'
  printf '%s\n' '// expect: E0001 at 20:18 "invalid UTF-8 byte 0xD6 in string literal"'
  printf '%s\n' '// expect: E0001 at 21:14 "invalid UTF-8 byte 0xE9"'
  printf '%s\n' "$header"
  printf '// \xca\xe9\xbc\xc7\xa1\xa2\xd0\xa3\xb3\xa4\n'
  printf 'role 书记, 校长 \xa1\xa1\n'
  printf '%s\n' "$rules_tail"
  printf '%s\n' 'rule 碰头会周一召开 {'
  printf '%s\n' '  tags O2'
  printf '%s\n' '  clause "一(二)" "领导班子碰头会原则上隔周周一召开"'
  printf '%s\n' '  severity in-principle'
  printf '%s\n' '  on m: meeting where m.kind == 碰头会'
  printf '%s\n' '  require weekday(m.time) == monday'
  printf '  message "碰头会{m}\xd6\xdc\xd2\xbb"\n'
  printf '  evidence m \xe9\n'
  printf '%s\n' '}'
} >lex_invalid_utf8.zd

# E0002: control characters pasted from a word processor (form feed, escape).
{
  printf '%s\n' '// Control characters pasted from another program: a form feed between two'
  printf '%s\n' '// declarations and an escape byte inside a rule. Tabs and CRLF are fine.'
  printf '%s\n' '// expect: E0002 at 6:1 "control character 0x0C"'
  printf '%s\n' '// expect: E0002 at 16:18 "control character 0x1B"'
  printf '%s\r\n' "$header"
  printf '\x0c\n'
  printf '%s\n' "$rules_head"
  printf '%s\n' 'rule 碰头会周一召开 {'
  printf '\ttags O2\n'
  printf '\tclause "一(二)" "领导班子碰头会原则上隔周周一召开"\n'
  printf '%s\n' '  severity in-principle'
  printf '%s\n' '  on m: meeting where m.kind == 碰头会'
  printf '  require weekday\x1b(m.time) == monday\n'
  printf '%s\n' '  message "碰头会{m}不是在周一召开"'
  printf '%s\n' '}'
} >lex_control_char.zd

# E0007: NUL bytes, in a comment, between tokens and in a string.
{
  printf '%s\n' '// NUL bytes (a file damaged in transfer): in a comment, between two tokens'
  printf '%s\n' '// and inside a string. Each is reported once.'
  printf '%s\n' '// expect: E0007 at 11:11 "NUL byte in comment"'
  printf '%s\n' '// expect: E0007 at 17:18 "NUL byte in source"'
  printf '%s\n' '// expect: E0007 at 18:15 "NUL byte in string literal"'
  printf '%s\n' "$header"
  printf '%s\n' "$rules_head"
  printf '// 碰头会隔周召开\x00\x00\n'
  printf '%s\n' 'rule 碰头会周一召开 {'
  printf '%s\n' '  tags O2'
  printf '%s\n' '  clause "一(二)" "领导班子碰头会原则上隔周周一召开"'
  printf '%s\n' '  severity in-principle'
  printf '%s\n' '  on m: meeting where m.kind == 碰头会'
  printf '  require weekday\x00(m.time) == monday\n'
  printf '  message "碰头会\x00{m}不是在周一召开"\n'
  printf '%s\n' '}'
} >lex_nul_byte.zd

# E0008: a clause's whole text pasted as a name (more than 1024 bytes). The
# name is cut to 1024 bytes, the same way at each use, so the uses still match.
long=$(printf '校党委书记校长原则上每周沟通不少于一次%.0s' $(seq 1 20))   # 20 x 19 chars x 3 bytes = 1140 bytes
{
  printf '%s\n' '// A clause text pasted as a parameter name: longer than 1024 bytes. The name'
  printf '%s\n' '// is reported where it is declared and where it is used, and nothing else:'
  printf '%s\n' '// both are cut to the same 1024 bytes, so the use still finds the declaration.'
  printf '%s\n' '// expect: E0008 at 11:7 "identifier too long (1140 bytes"'
  printf '%s\n' '// expect: E0008 at 17:29 "identifier too long (1140 bytes"'
  printf '%s\n' "$header"
  printf '%s\n' "$rules_head"
  printf 'param %s = 1d\n' "$long"
  printf '%s\n' 'rule 碰头会及时召开 {'
  printf '%s\n' '  tags O2'
  printf '%s\n' '  clause "一(二)" "领导班子碰头会原则上隔周周一召开"'
  printf '%s\n' '  severity in-principle'
  printf '%s\n' '  on m: meeting where m.kind == 碰头会'
  printf '  require m.time < m.time + %s\n' "$long"
  printf '%s\n' '  message "碰头会{m}"'
  printf '%s\n' '}'
} >lex_token_too_long.zd

# E0101: a generated condition with more than 200 open brackets. Scanning stops
# at the 201st '(' (the rest of the file is not checked).
{
  printf '%s\n' '// A generated condition nested 201 parentheses deep inside the rule'"'"'s "{":'
  printf '%s\n' '// more than the 200 open brackets the scanner accepts. Checking stops there,'
  printf '%s\n' '// with one error at the 201st open bracket (the 200th parenthesis).'
  printf '%s\n' '// expect: E0101 at 13:210 "more than 200 open brackets"'
  printf '%s\n' "$header"
  printf '%s\n' 'events "events" { id: id time: time type: text actor: person }'
  printf '%s\n' 'event report { actor }'
  printf '%s\n' 'rule 报告人在册 {'
  printf '%s\n' '  tags G1'
  printf '%s\n' '  clause "1" "报告须有报告人。"'
  printf '%s\n' '  severity must'
  printf '%s\n' '  on e: report'
  printf '  require '
  for i in $(seq 1 201); do printf '('; done
  printf 'present(e.actor)'
  for i in $(seq 1 201); do printf ')'; done
  printf '\n%s\n' '  message "{e}没有报告人"'
  printf '%s\n' '}'
} >nesting_brackets.zd

# E0101: 6000 'not's in a row overflow the parser's stack (5000 entries).
{
  printf '%s\n' '// A generated condition with 6000 nested "not": the parser stack (5000'
  printf '%s\n' '// entries) overflows; one error, at the token where it did.'
  printf '%s\n' '// expect: E0101 at 12:19979 "nesting too deep for the parser"'
  printf '%s\n' "$header"
  printf '%s\n' 'events "events" { id: id time: time type: text actor: person }'
  printf '%s\n' 'event report { actor }'
  printf '%s\n' 'rule 报告人在册 {'
  printf '%s\n' '  tags G1'
  printf '%s\n' '  clause "1" "报告须有报告人。"'
  printf '%s\n' '  severity must'
  printf '%s\n' '  on e: report'
  printf '  require '
  for i in $(seq 1 6000); do printf 'not '; done
  printf 'present(e.actor)\n'
  printf '%s\n' '  message "{e}没有报告人"'
  printf '%s\n' '}'
} >nesting_parser_stack.zd

# E0102: 120 rules that each cite an undeclared role. The first 100 errors
# are reported, then one E0102 where the 101st would have been.
{
  printf '%s\n' '// A generated file with 120 errors (one unknown role per rule). Only the'
  printf '%s\n' '// first 100 are reported, then one E0102 at the 101st; no further error is.'
  for i in $(seq 1 100); do
    printf '// expect: E0200 at %d:22 "unknown name '"'"'主任%d'"'"'"\n' $((i * 8 + 106)) "$i"
  done
  printf '// expect: E0102 at %d:22 "too many errors (100)"\n' $((101 * 8 + 106))
  printf '%s\n' "$header"
  printf '%s\n' 'events "events" { id: id time: time type: text actor: person }'
  printf '%s\n' 'event report { actor }'
  printf '%s\n' 'roster 名册 "roster" { person: person role: role from: time to: time }'
  printf '%s\n' 'role 书记'
  for i in $(seq 1 120); do
    printf 'rule 规则%d {\n  tags T%d\n  clause "%d" "x"\n  severity must\n  on e: report\n  require e.actor in 主任%d at e.time\n  message "{e}"\n}\n' \
      "$i" "$i" "$i" "$i"
  done
} >too_many_errors.zd

# E0403-E0405: the limits of the compiled format (runtime/limits.h). Each
# file is a complete policy whose rule 限 is otherwise correct.
limits_events='events "events" { id: id time: time type: text actor: person kind: text }
event meeting { actor, kind }'
limits_rule() { # $1: clauses before require, $2: the require condition
  printf 'rule 限 {\n  tags L1\n  clause "1" "x"\n  severity must\n  on e: meeting\n%s  require %s\n  subjects e.actor\n  message "x"\n}\n' "$1" "$2"
}

# E0403: an event log binding with 65 fields (a field is a bit in the masks).
{
  printf '%s\n' '// An event log with 65 fields: at most 64 fit the compiled format.'
  printf '%s\n' '// expect: E0403 at 69:3 "event log '"'"'events'"'"' has more than 64 fields"'
  printf '%s\n' "$header"
  printf '%s\n' 'events "events" {' '  id: id' '  time: time' '  type: text' '  actor: person'
  for i in $(seq 1 61); do printf '  f%d: text\n' "$i"; done
  printf '%s\n' '}' 'event meeting { actor, f1 }'
  limits_rule '' 'e.f1 != "q"'
} >limits_fields.zd

# E0404: a set literal of 1,025 texts (lists are built 1,024 values at most).
{
  printf '%s\n' '// A set literal of 1,025 texts: a list is built from at most 1,024 values.'
  printf '%s\n' '// expect: E0404 at 11:21 "at most 1024 elements, not 1025"'
  printf '%s\n' "$header" "$limits_events"
  limits_rule '' "e.kind in {$(for i in $(seq 1 1025); do printf '"k%d"' "$i"; [ "$i" -lt 1025 ] && printf ', '; done)}"
} >limits_set.zd

# E0405: 1,024 texts fit a set, but not beside the value compared with it
# (1,025 values on the stack): found when the code is generated, which
# checking does too. And 65 nested 'for' bindings, found by sema.
{
  printf '%s\n' '// A set of 1,024 texts compared with a value needs 1,025 values on the'
  printf '%s\n' '// stack at once, more than the compiled format allows.'
  printf '%s\n' '// expect: E0405 at 7:6 "more than 1024 values on the stack"'
  printf '%s\n' "$header" "$limits_events"
  limits_rule '' "e.kind in {$(for i in $(seq 1 1024); do printf '"k%d"' "$i"; [ "$i" -lt 1024 ] && printf ', '; done)}"
} >limits_stack.zd
loops="  for x1 in {e.actor}$(for i in $(seq 2 65); do [ $((i % 8)) -eq 1 ] && printf ',\n      ' || printf ', '; printf 'x%d in {x%d}' "$i" $((i - 1)); done)
"
{
  printf '%s\n' '// 65 nested loops: a rule opens at most 64.'
  printf '%s\n' '// expect: E0405 at 19:7 "more than 64 nested loops"'
  printf '%s\n' "$header" "$limits_events"
  limits_rule "$loops" 'x65 != e.actor'
} >limits_loops.zd

# 257 'when' clauses compile (each is a jump to the rule's end).
cd ../good
{
  printf '%s\n' '// A rule with 257 '"'"'when'"'"' clauses: each is one jump, there is no limit on them.'
  printf '%s\n' "$header" "$limits_events"
  limits_rule "$(for i in $(seq 1 257); do printf '  when e.kind != "k%d"\n' "$i"; done)
" 'e.kind != "z"'
} >many_when.zd
