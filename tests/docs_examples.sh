#!/usr/bin/env bash
# docs_examples.sh ZHIDU - every ```zhidu block of docs/*.md and README.md must
# check with no diagnostic. A block whose first line is "// file: NAME.zd" is
# a whole file (written under that name, so later blocks can extend it); any
# other block is a fragment, checked appended to docs/language.md's running
# example school.zd. Prints PASS/FAIL per block.
# Data examples: a ```csv block whose first line is "# file: DIR/NAME.csv"
# writes that file (without the first line); a ```jsonl block whose first line
# is "# zhidu run ARGS" runs that command where the blocks were written
# (rules/ is the repository's) and must print exactly the rest of the block.
# docs/regulation.md's ```zd blocks are copies of a rule file: with comment
# lines and runs of blank lines dropped, each must be, line for line, in some
# rules/**/*.zd. (errors.md's ```zd blocks are errors_examples.sh's.)
. "$(dirname "$0")/lib.sh"
ln -s "$root/rules" "$tmp/rules"

# data examples and rule copies of one document
data_blocks() {
  python3 - "$1" "$tmp" "$zhidu" <<'PY'
import glob, os, re, subprocess, sys
doc, tmp, zhidu = sys.argv[1:]
lines = open(doc, encoding="utf-8").read().split("\n")
def strip(text):
    out = []
    for l in text.split("\n"):
        if l.strip().startswith("//"): continue
        if not l.strip() and (not out or not out[-1].strip()): continue
        out.append(l.rstrip())
    while out and not out[-1].strip(): out.pop()
    return out
rules = [strip(open(f, encoding="utf-8").read()) for f in glob.glob("rules/**/*.zd", recursive=True)]
def within(block, text):
    n = len(block)
    return any(text[i:i + n] == block for i in range(len(text) - n + 1))
i = 0
while i < len(lines):
    m = re.match(r"^```(csv|jsonl|zd)\s*$", lines[i])
    if not m:
        i += 1; continue
    kind, start = m.group(1), i + 2
    j = i + 1
    while j < len(lines) and not lines[j].startswith("```"): j += 1
    body = lines[i + 1:j]
    i = j + 1
    name = "%s:%d" % (doc, start)
    first = body[0] if body else ""
    if kind == "csv" and first.startswith("# file: "):
        path = os.path.join(tmp, first[len("# file: "):])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w", encoding="utf-8").write("\n".join(body[1:]) + "\n")
    elif kind == "jsonl" and first.startswith("# zhidu run "):
        args = first[len("# zhidu "):].split()
        r = subprocess.run([zhidu] + args, cwd=tmp, capture_output=True, text=True)
        want = "".join(l + "\n" for l in body[1:])
        if r.stdout == want and not r.stderr: print("PASS %s run" % name)
        else: print("FAIL %s run: exit %d\n%s%s" % (name, r.returncode, r.stdout, r.stderr))
    elif kind == "zd" and doc == "docs/regulation.md":
        blk = strip("\n".join(body))
        if blk and any(within(blk, t) for t in rules): print("PASS %s copy of a rule file" % name)
        else: print("FAIL %s: ```zd block is not a copy of any rules/**/*.zd" % name)
PY
}

for doc in README.md docs/*.md docs/zh/*.md; do
  [ -e "$doc" ] || continue
  mkdir -p "$tmp/blocks"
  rm -f "$tmp/blocks"/*
  # split the ```zhidu blocks into numbered files: NNN.LINE
  awk -v dir="$tmp/blocks" '
    /^```zhidu[ \t]*$/ { inblock = 1; n++; start = NR; file = sprintf("%s/%03d.%d", dir, n, NR + 1); printf "" > file; next }
    /^```/ && inblock { inblock = 0; close(file); next }
    inblock { print > file }
  ' "$doc"
  for block in "$tmp/blocks"/*; do
    [ -e "$block" ] || continue
    line=${block##*.}
    name="$doc:$line"
    first=$(head -n 1 "$block")
    case "$first" in
      "// file: "*)
        target="$tmp/${first#// file: }"
        cp "$block" "$target" ;;
      *)
        if [ ! -e "$tmp/school.zd" ]; then echo "FAIL $name: fragment before the running example school.zd"; continue; fi
        target="$tmp/fragment.zd"
        cat "$tmp/school.zd" "$block" >"$target" ;;
    esac
    out=$(cd "$tmp" && "$zhidu" check "$(basename "$target")" 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && [ -z "$out" ]; then echo "PASS $name"; else
      echo "FAIL $name: exit $rc"; echo "$out" | head -20; fi
  done
  data_blocks "$doc"
done

# language.md, "Modules and adaptation": an absolute extends path is read as it is
mkdir -p "$tmp/elsewhere"
printf 'extends "%s/rules/gxnu.zd"\npolicy abs { title "a" document "a" }\n' "$root" >"$tmp/elsewhere/abs.zd"
out=$(cd / && "$zhidu" check "$tmp/elsewhere/abs.zd" 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -z "$out" ]; then echo "PASS docs absolute extends path"; else
  echo "FAIL docs absolute extends path: exit $rc"; echo "$out" | head -5; fi
