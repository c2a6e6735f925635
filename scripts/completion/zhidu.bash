# zhidu.bash - bash completion for zhidu: the commands, each command's options,
# the values of --format, --fail-on, --on-bad-row and --lang, and file names.
# Use: source scripts/completion/zhidu.bash (or copy it to
# /etc/bash_completion.d/zhidu). tests/completion.sh checks it against the
# commands and options that `zhidu help` and `zhidu COMMAND --help` print.

_zhidu_options() {
  case "$1" in
    check) echo "--format --lang --help" ;;
    compile) echo "-o --lang --help" ;;
    disasm) echo "--lang --help" ;;
    run) echo "--format --output --db --from --as-of --unit --fail-on --on-bad-row --window --jobs --time-limit --shard --no-integrity-check --max-held-events --lang --help" ;;
    explain) echo "--rule --at --unit --format --no-integrity-check --max-held-events --lang --help" ;;
    merge) echo "--format --output --lang --help" ;;
    diff) echo "--data --format --no-integrity-check --max-held-events --lang --help" ;;
    fmt) echo "--check --lang --help" ;;
    test) echo "--junit --coverage --lang --help" ;;
    lsp) echo "--stdio --lang --help" ;;
    help) echo "--lang --help" ;;
  esac
}

_zhidu() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="check compile disasm run explain fmt test merge diff lsp help"
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
    return
  fi
  local cmd=${COMP_WORDS[1]}
  # "--format=js": bash splits the word at '='
  if [ "$cur" = "=" ]; then cur=""; elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 3 ]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi
  local values=""
  case "$cmd:$prev" in
    check:--format) values="text json" ;;
    run:--format) values="text jsonl json csv html" ;;
    explain:--format) values="text json" ;;
    merge:--format) values="jsonl" ;;
    diff:--format) values="text json" ;;
    run:--fail-on) values="must in-principle never" ;;
    run:--on-bad-row) values="stop skip" ;;
    *:--lang) values="zh en" ;;
    run:--output | run:--db | compile:-o | test:--junit | merge:--output | diff:--data)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return ;;
    run:--from | run:--as-of | run:--unit | run:--window | run:--jobs | run:--time-limit | run:--shard) return ;;
    *:--max-held-events) return ;;
    explain:--rule | explain:--at | explain:--unit) return ;;
  esac
  if [ -n "$values" ]; then
    mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
    return
  fi
  case "$cur" in
    -*) mapfile -t COMPREPLY < <(compgen -W "$(_zhidu_options "$cmd")" -- "$cur") ;;
    *)
      if [ "$cmd" = help ]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
      else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi ;;
  esac
}

complete -o filenames -F _zhidu zhidu
