#!/usr/bin/env bash
# shard.sh ZHIDU - `zhidu run --shard I/N` and `zhidu merge` (docs/scale.md):
# for examples/colleges (several units) and a generated 4-unit log, with N = 2
# and 3, the merge of the N shard reports is the jsonl report of one run, byte
# for byte; each shard holds exactly the units whose FNV-1a 32 hash mod N is
# its index (computed here in Python, independently); bad --shard values and
# mismatched merge inputs exit 2 with a message.
# Prints "PASS shard NAME" or "FAIL shard NAME: why" per check.
. "$(dirname "$0")/lib.sh"
export PYTHONDONTWRITEBYTECODE=1

pass() { echo "PASS shard $1"; }
fail() { echo "FAIL shard $1: $2"; }

# units_hash_to REPORT I N: every violation line's unit hashes to I mod N
units_hash_to() {
  python3 - "$@" <<'PY'
import json, sys
path, i, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lines = open(path, encoding="utf-8").read().splitlines()
rec = json.loads(lines[-1])
assert rec["shard"] == i and rec["of"] == n, rec
for line in lines[:-1]:
    h = 2166136261
    for b in json.loads(line)["unit"].encode("utf-8"):
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    assert h % n == i, line
PY
}

python3 tools/gen_data.py --seed 7 --units 4 --events 1500 --weeks 30 --out "$tmp/gen" >/dev/null || fail gen "gen_data.py failed"
for case in colleges:rules/units/wenxueyuan.zd:examples/colleges gen:rules/gxnu.zd:$tmp/gen; do
  IFS=: read -r name rules data <<<"$case"
  "$zhidu" run "$rules" "$data" --format jsonl >"$tmp/one.jsonl" 2>/dev/null
  units=$(python3 -c 'import json,sys; print(len({json.loads(l)["unit"] for l in open(sys.argv[1])}))' "$tmp/one.jsonl")
  [ "$units" -ge 3 ] || fail "$name units" "only $units units with violations: the check would prove little"
  for n in 2 3; do
    ok=1
    for ((i = 0; i < n; i++)); do
      "$zhidu" run "$rules" "$data" --format jsonl --shard $i/$n >"$tmp/s$i.jsonl" 2>/dev/null
      units_hash_to "$tmp/s$i.jsonl" $i $n 2>"$tmp/err" || { fail "$name $i/$n" "$(tail -1 "$tmp/err")"; ok=0; }
    done
    shards=()
    for ((i = n - 1; i >= 0; i--)); do shards+=("$tmp/s$i.jsonl"); done # any order
    if "$zhidu" merge "${shards[@]}" >"$tmp/merged.jsonl" && cmp -s "$tmp/merged.jsonl" "$tmp/one.jsonl"; then
      [ $ok = 1 ] && pass "$name N=$n"
    else
      fail "$name N=$n" "merged shards differ from one run"
    fi
    "$zhidu" merge --format jsonl --output "$tmp/out.jsonl" "${shards[@]}" && cmp -s "$tmp/out.jsonl" "$tmp/one.jsonl" \
      && pass "$name N=$n --output" || fail "$name N=$n --output" "differs from one run"
  done
done

# refused: exit 2 and a message containing TEXT
refused() {
  local name=$1 text=$2; shift 2
  "$zhidu" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc = 2 ] && grep -qF -- "$text" "$tmp/err"; then pass "$name"
  else fail "$name" "exit $rc, stderr: $(head -c 300 "$tmp/err")"; fi
}
d=examples/colleges r=rules/units/wenxueyuan.zd
for bad in 2/2 1/0 0/1000001 x 1 -1/2 1/2/3 "" /2 1/ 01x/2; do
  refused "--shard '$bad'" "--shard takes I/N" run $r $d --shard "$bad"
done
"$zhidu" run $r $d --format jsonl --shard 0/1 >"$tmp/all1.jsonl" 2>/dev/null
head -n -1 "$tmp/all1.jsonl" | cmp -s - <("$zhidu" run $r $d --format jsonl 2>/dev/null) \
  && pass "--shard 0/1 is the whole run" || fail "--shard 0/1" "differs from the run"
for i in 0 1; do "$zhidu" run $r $d --format jsonl --shard $i/2 >"$tmp/c$i.jsonl" 2>/dev/null; done
"$zhidu" run $r $d --format jsonl --shard 2/3 >"$tmp/c2of3.jsonl" 2>/dev/null
"$zhidu" run rules/gxnu.zd "$tmp/gen" --format jsonl --shard 1/2 >"$tmp/g1.jsonl" 2>/dev/null
"$zhidu" run $r $d --format jsonl >"$tmp/plain.jsonl" 2>/dev/null
refused "merge: a shard twice" "are both shard 0/2" merge "$tmp/c0.jsonl" "$tmp/c0.jsonl"
refused "merge: a shard missing" "1 shard report given, the run has 2 shards" merge "$tmp/c1.jsonl"
refused "merge: different N" "different numbers of shards" merge "$tmp/c0.jsonl" "$tmp/c2of3.jsonl"
refused "merge: different policies" "different policies" merge "$tmp/c0.jsonl" "$tmp/g1.jsonl"
refused "merge: not a shard report" "does not end with a shard record" merge "$tmp/c0.jsonl" "$tmp/plain.jsonl"
refused "merge: text" "--format takes jsonl, not 'text'" merge --format text "$tmp/c0.jsonl" "$tmp/c1.jsonl"
refused "merge: no reports" "usage: zhidu merge" merge
refused "merge: missing file" "cannot read $tmp/nope.jsonl" merge "$tmp/c0.jsonl" "$tmp/nope.jsonl"
# a unit in two shards (a hand-edited report): refused, nothing merged
sed -n '$p' "$tmp/c1.jsonl" >"$tmp/c1rec.jsonl"
{ head -n 1 "$tmp/c0.jsonl"; cat "$tmp/c1rec.jsonl"; } >"$tmp/dup1.jsonl"
refused "merge: a unit in two shards" "is in both" merge "$tmp/c0.jsonl" "$tmp/dup1.jsonl"

# docs/cli.md's example (the ```sh block after "<!-- shard example -->"): its
# commands, run in a folder holding rules/ and examples/, print the rest
mkdir -p "$tmp/doc/bin"
ln -s "$root/rules" "$tmp/doc/rules"
ln -s "$root/examples" "$tmp/doc/examples"
ln -s "$zhidu" "$tmp/doc/bin/zhidu"
block=$(awk '/<!-- shard example -->/ { on = 1; next } on && /^```sh/ { inb = 1; next } inb && /^```/ { exit } inb' docs/cli.md)
want=$(grep -v '^\$ ' <<<"$block")
got=$(cd "$tmp/doc" && grep '^\$ ' <<<"$block" | sed 's/^\$ //' | PATH="$tmp/doc/bin:$PATH" bash 2>&1)
[ -n "$block" ] && [ "$got" = "$want" ] && pass "docs/cli.md example" || fail "docs/cli.md example" "printed: $got"
