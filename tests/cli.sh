#!/usr/bin/env bash
# cli.sh ZHIDU - the conventional command line: --help/-h on every command
# (exit 0, its usage on stdout), `zhidu help COMMAND` (the same text),
# --version, usage errors (exit 2, the message, a "did you mean" where a name
# is near, the command's usage line) and docs/cli.md documenting every option
# each command's help lists. Expected texts are written by hand.
. "$(dirname "$0")/lib.sh"

# check NAME RC STDOUT-FIRST-LINE STDERR ARGS... : exit code, first line of
# stdout ("-" for empty stdout), whole stderr
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 4
  "$zhidu" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? why=""
  [ "$rc" = "$want_rc" ] || why="$why exit $rc, want $want_rc;"
  if [ "$want_out" = "-" ]; then [ -s "$tmp/out" ] && why="$why unexpected stdout;"
  else [ "$(head -n 1 "$tmp/out")" = "$want_out" ] || why="$why stdout starts '$(head -n 1 "$tmp/out")';"; fi
  [ "$(cat "$tmp/err")" = "$want_err" ] || why="$why stderr: $(tr '\n' '|' <"$tmp/err");"
  if [ -z "$why" ]; then echo "PASS $name"; else echo "FAIL $name:$why"; fi
}

# ---- help and version ----
check "zhidu --help" 0 "usage: zhidu COMMAND [options] [args]" "" --help
check "zhidu -h" 0 "usage: zhidu COMMAND [options] [args]" "" -h
check "zhidu help" 0 "usage: zhidu COMMAND [options] [args]" "" help
check "zhidu --version" 0 "zhidu 0.1.0" "" --version
grep -q "^#define ZHIDU_VERSION \"$("$zhidu" --version | sed -n '1s/^zhidu //p')\"" cli/cli.h &&
  echo "PASS --version prints cli/cli.h's ZHIDU_VERSION" || echo "FAIL --version is not cli/cli.h's ZHIDU_VERSION"
bc=$(sed -n 's/.*BC_VERSION = \([0-9]*\).*/\1/p' runtime/bytecode.h)
[ "$("$zhidu" --version | sed -n 2p)" = "bytecode format $bc" ] &&
  echo "PASS --version prints the bytecode format version ($bc)" || echo "FAIL --version: bytecode format is not $bc"
check "no command: the overview on stderr, exit 2" 2 - "$("$zhidu" help)"

check "check --help" 0 "usage: zhidu check [--format text|json] FILE..." "" check --help
check "compile -h" 0 "usage: zhidu compile POLICY.zd -o OUT.zbc" "" compile -h
check "disasm --help" 0 "usage: zhidu disasm POLICY.zbc|POLICY.zd" "" disasm --help
check "run --help after arguments" 0 "usage: zhidu run POLICY DATA [options]" "" run rules/gxnu.zd examples/gxnu --help
check "lsp --help" 0 "usage: zhidu lsp [--stdio]" "" lsp --help
check "help --help" 0 "usage: zhidu help [COMMAND]" "" help --help
check "a file named --help after --" 2 - "zhidu: cannot read --help: No such file or directory" check -- --help
for c in $("$zhidu" help | sed -n '/^commands:/,/^$/p' | awk 'NF && !/^commands:/ {print $1}'); do
  if [ "$("$zhidu" help "$c")" = "$("$zhidu" "$c" --help)" ] && [ -n "$("$zhidu" "$c" -h)" ]; then
    echo "PASS help $c = $c --help"
  else echo "FAIL help $c differs from $c --help"; fi
  # every option the help lists is documented in docs/cli.md
  for opt in $("$zhidu" "$c" --help | sed -n '/^options:/,$p' | awk '$1 ~ /^-/ && $1 != "-h," {print $1}'); do
    if grep -q -- "\`$opt" docs/cli.md; then echo "PASS docs/cli.md documents $c $opt"
    else echo "FAIL docs/cli.md does not document $c $opt"; fi
  done
  grep -q "^## \`zhidu $c\`" docs/cli.md && echo "PASS docs/cli.md has a section for $c" || echo "FAIL docs/cli.md has no section for $c"
  # the synopsis (the first code block) and the exit codes name every command
  sed -n '/^```$/,/^```$/p' docs/cli.md | sed -n '1,/^```$/{/^```$/!p}' | grep -q "^zhidu $c\b" \
    && echo "PASS docs/cli.md synopsis lists $c" || echo "FAIL docs/cli.md synopsis lacks $c"
  sed -n '/^## Exit codes/,$p' docs/cli.md | grep -q "\`$c\`\|zhidu $c\`" \
    && echo "PASS docs/cli.md exit codes cover $c" || echo "FAIL docs/cli.md exit codes lack $c"
done
"$zhidu" run --help | grep -q -- '^  --window N  ' && echo "PASS run --help lists --window" || echo "FAIL run --help lacks --window"

# ---- usage errors: exit 2, nothing on stdout ----
check "unknown command, near one" 2 - "zhidu: unknown command 'chek'
note: did you mean 'check'?
usage: zhidu COMMAND [options] [args]
(run 'zhidu help' for the commands)" chek rules/gxnu.zd
check "unknown command, near none" 2 - "zhidu: unknown command 'frobnicate'
usage: zhidu COMMAND [options] [args]
(run 'zhidu help' for the commands)" frobnicate
check "misspelt --version" 2 - "zhidu: unknown command '--verison'
note: did you mean '--version'?
usage: zhidu COMMAND [options] [args]
(run 'zhidu help' for the commands)" --verison
check "help of an unknown command" 2 - "zhidu: unknown command 'rn'
note: did you mean 'run'?
usage: zhidu COMMAND [options] [args]
(run 'zhidu help' for the commands)" help rn
check "unknown option, near one" 2 - "zhidu: unknown option '--fromat' for run
note: did you mean '--format'?
usage: zhidu run POLICY DATA [options]
(run 'zhidu help run' for more)" run rules/gxnu.zd examples/gxnu --fromat json
check "unknown option with =, near one" 2 - "zhidu: unknown option '--as_of=2025-01-01' for run
note: did you mean '--as-of'?
usage: zhidu run POLICY DATA [options]
(run 'zhidu help run' for more)" run rules/gxnu.zd examples/gxnu --as_of=2025-01-01
check "an option of another command" 2 - "zhidu: unknown option '--output' for check
usage: zhidu check [--format text|json] FILE...
(run 'zhidu help check' for more)" check --output x rules/gxnu.zd
check "a value not among the allowed, near one" 2 - "zhidu: --format takes text, jsonl, json, csv or html, not 'jsnol'
note: did you mean 'jsonl'?
usage: zhidu run POLICY DATA [options]
(run 'zhidu help run' for more)" run rules/gxnu.zd examples/gxnu --format jsnol
check "check --format value" 2 - "zhidu: --format takes text or json, not 'jsonl'
note: did you mean 'json'?
usage: zhidu check [--format text|json] FILE...
(run 'zhidu help check' for more)" check --format jsonl rules/gxnu.zd
check "--fail-on value near one" 2 - "zhidu: --fail-on takes must, in-principle or never, not 'in_principle'
note: did you mean 'in-principle'?
usage: zhidu run POLICY DATA [options]
(run 'zhidu help run' for more)" run rules/gxnu.zd examples/gxnu --fail-on in_principle
check "a flag given a value" 2 - "zhidu: --stdio takes no value
usage: zhidu lsp [--stdio]
(run 'zhidu help lsp' for more)" lsp --stdio=yes
check "compile without -o" 2 - "zhidu: compile needs a rule file and -o OUT.zbc
usage: zhidu compile POLICY.zd -o OUT.zbc
(run 'zhidu help compile' for more)" compile rules/gxnu.zd
check "disasm with two files" 2 - "zhidu: disasm takes one policy file
usage: zhidu disasm POLICY.zbc|POLICY.zd
(run 'zhidu help disasm' for more)" disasm a.zbc b.zbc
check "help with two commands" 2 - "zhidu: help takes one command, not also 'check'
usage: zhidu help [COMMAND]
(run 'zhidu help help' for more)" help run check
check "--window not a number" 2 - "zhidu: --window takes a number of events (0 to 100000000), not 'many'
usage: zhidu run POLICY DATA [options]
(run 'zhidu help run' for more)" run rules/gxnu.zd examples/gxnu --window many

# options may follow the files; --format=VALUE is the same as --format VALUE
"$zhidu" check rules/gxnu.zd --format=json >"$tmp/a" 2>&1
"$zhidu" check --format json rules/gxnu.zd >"$tmp/b" 2>&1
if cmp -s "$tmp/a" "$tmp/b" && grep -q '"errors":0' "$tmp/a"; then echo "PASS options after files, --opt=value"
else echo "FAIL options after files, --opt=value: $(head -c 200 "$tmp/a")"; fi

# docs/cli.md's ```console blocks: each "$ zhidu ARGS" line is run from the
# repository's root (ARGS split at spaces) and must print exactly the lines
# that follow it (standard output, then standard error); `... | grep TEXT`
# keeps the lines holding TEXT; `zhidu test` lines are tests/zdtest.sh's,
# which writes the ```zdtest files they read.
python3 - "$zhidu" <<'PY'
import subprocess, sys
zhidu = sys.argv[1]
lines = open("docs/cli.md", encoding="utf-8").read().split("\n")
i, n = 0, 0
while i < len(lines):
    if lines[i].strip() != "```console":
        i += 1; continue
    j = i + 1
    while j < len(lines) and not lines[j].startswith("```"): j += 1
    block, start = lines[i + 1:j], i + 2
    i = j + 1
    k = 0
    while k < len(block):
        if not block[k].startswith("$ zhidu"):
            print("FAIL docs/cli.md:%d: expected a '$ zhidu' line" % (start + k)); k += 1; continue
        args, at = block[k][len("$ zhidu"):].split(), start + k
        k += 1
        want = []
        while k < len(block) and not block[k].startswith("$ "):
            want.append(block[k]); k += 1
        if args[:1] == ["test"]: continue  # needs the ```zdtest files: tests/zdtest.sh runs it
        keep = None
        if args[-3:-1] == ["|", "grep"]: args, keep = args[:-3], args[-1]
        r = subprocess.run([zhidu] + args, capture_output=True, text=True)
        got = (r.stdout + r.stderr).rstrip("\n").split("\n")
        if keep is not None: got = [l for l in got if keep in l]
        n += 1
        if got == want: print("PASS docs/cli.md:%d: zhidu %s" % (at, " ".join(args)))
        else: print("FAIL docs/cli.md:%d: zhidu %s printed:\n%s" % (at, " ".join(args), "\n".join(got)))
if n == 0: print("FAIL docs/cli.md has no ```console example")
PY
