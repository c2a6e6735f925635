#!/usr/bin/env bash
# completion.sh ZHIDU - the bash completion (scripts/completion/zhidu.bash):
# sourced in this shell, asked for completions as bash would ask, checked
# against hand-written lists and against what the binary's help says (every
# command, every option of every command, every value of an option that
# takes one of a list), so a command or option added without its completion
# fails here. Prints PASS/FAIL per check.
. "$(dirname "$0")/lib.sh"
# shellcheck source=../scripts/completion/zhidu.bash
source scripts/completion/zhidu.bash

# complete WORD... : COMPREPLY for the command line "zhidu WORD...", the last
# word being completed, sorted, on one line
complete_line() {
  COMP_WORDS=(zhidu "$@")
  COMP_CWORD=$(($# ))
  COMPREPLY=()
  _zhidu
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

expect() {
  local name=$1 want=$2
  shift 2
  local got
  got=$(complete_line "$@")
  if [ "$got" = "$want" ]; then echo "PASS $name"; else echo "FAIL $name: got '$got', want '$want'"; fi
}

expect "commands" "--help --version check compile diff disasm explain fmt help lsp merge run test" ""
expect "commands starting with c" "check compile" c
expect "help COMMAND" "run" help r
expect "run options starting with --f" "--fail-on --format --from" run x.zd d --f
expect "check options" "--format --help --lang" check -
expect "compile options" "--help --lang -o" compile -
expect "run --format values" "csv html json jsonl text" run x.zd d --format ""
expect "run --format j" "json jsonl" run x.zd d --format j
expect "explain --format values" "json text" explain x.zd d --format ""
expect "explain options starting with --r" "--rule" explain x.zd d --r
expect "run --format=j (bash splits at =)" "json jsonl" run x.zd d --format = j
expect "check --format values" "json text" check --format ""
expect "run --fail-on values" "in-principle must never" run --fail-on ""
expect "run --on-bad-row values" "skip stop" run --on-bad-row s
expect "--lang values" "en zh" fmt --lang ""
expect "run --window takes a number: nothing offered" "" run --window ""
expect "diff options" "--data --format --help --lang --max-held-events --no-integrity-check" diff a.zd b.zd -
expect "run --max-held-events takes a number: nothing offered" "" run --max-held-events ""
expect "run options starting with --n" "--no-integrity-check" run x.zd d --n
expect "diff --format values" "json text" diff --format ""
expect "run --jobs takes a number: nothing offered" "" run --jobs ""
mkdir -p "$tmp/dir" && touch "$tmp/dir/a.zd" "$tmp/dir/b.zbc"
expect "files after run" "$tmp/dir/a.zd $tmp/dir/b.zbc" run "$tmp/dir/"
expect "files after --output" "$tmp/dir/a.zd $tmp/dir/b.zbc" run --output "$tmp/dir/"
expect "files after compile -o" "$tmp/dir/b.zbc" compile -o "$tmp/dir/b"

# against the binary: every command `zhidu help` lists, every option its
# --help prints, and every listed value
commands=$("$zhidu" help | sed -n '/^commands:/,/^$/p' | awk 'NF && !/^commands:/ {print $1}')
[ -n "$commands" ] || echo "FAIL no commands read from 'zhidu help'"
for c in $commands; do
  offered=" $(complete_line "") "
  case "$offered" in *" $c "*) echo "PASS command $c is completed" ;; *) echo "FAIL command $c is not completed" ;; esac
  "$zhidu" "$c" --help >"$tmp/help" || echo "FAIL $c --help: exit $?"
  opts=" $(complete_line "$c" -) "
  while read -r opt values; do
    case "$opts" in *" $opt "*) echo "PASS $c $opt is completed" ;; *) echo "FAIL $c $opt is not completed" ;; esac
    case "$values" in
      *"|"*)
        want=$(echo "$values" | tr '|' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
        got=$(complete_line "$c" "$opt" "")
        if [ "$got" = "$want" ]; then echo "PASS $c $opt values"; else echo "FAIL $c $opt values: got '$got', help says '$want'"; fi ;;
    esac
  done < <(sed -n '/^options:/,$p' "$tmp/help" | sed 's/^  -h, --help .*/  --help/' | awk '$1 ~ /^-/ {print $1, $2}')
done
