#!/usr/bin/env bash
# jobs.sh ZHIDU - `zhidu run --jobs N` (docs/runtime.md, "Units in
# parallel"): --jobs 2 and 3 give the report of --jobs 1 byte for byte, and
# the same standard error and exit code, in every format (text, jsonl, json,
# csv, html) and in the --db file (its rows, dumped), with the default window,
# --window 0 (every event held), 1 and 7. Data: examples/colleges (CSV and
# SQLite; several units), examples/gxnu, and tools/gen_data.py logs of 5
# units (in time order as CSV and SQLite, and shuffled with bad rows, read
# with --on-bad-row skip). The --jobs 3 jsonl of the two examples is also
# their hand-checked expected.jsonl. Bad --jobs values exit 2 with a message.
# Prints "PASS jobs NAME" or "FAIL jobs NAME: why" per check.
. "$(dirname "$0")/lib.sh"
export PYTHONDONTWRITEBYTECODE=1

pass() { echo "PASS jobs $1"; }
fail() { echo "FAIL jobs $1: $2"; }

# dump DB: every row of every table, in a stable order
dump() {
  python3 - "$1" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for line in con.iterdump():
    print(line)
PY
}

# same NAME RULES DATA OPTS...: --jobs 2 and 3 give --jobs 1's stdout, stderr and exit code
# (with stops=1: the run stops on an error, its report may be empty)
same() {
  local name=$1 rules=$2 data=$3
  shift 3
  "$zhidu" run "$rules" "$data" --jobs 1 "$@" >"$tmp/want" 2>"$tmp/want.err"
  local want_rc=$? bad=""
  if [ ! -s "$tmp/want" ] && [ -z "${stops:-}" ]; then fail "$name" "empty report with --jobs 1"; return; fi
  for j in 2 3; do
    "$zhidu" run "$rules" "$data" --jobs $j "$@" >"$tmp/got" 2>"$tmp/got.err"
    local rc=$?
    if [ $rc -ne $want_rc ]; then bad="--jobs $j exited $rc, --jobs 1 $want_rc"; break; fi
    if ! cmp -s "$tmp/want" "$tmp/got"; then bad="--jobs $j: report differs"; diff "$tmp/want" "$tmp/got" | head -6; break; fi
    if ! cmp -s "$tmp/want.err" "$tmp/got.err"; then bad="--jobs $j: standard error differs"; diff "$tmp/want.err" "$tmp/got.err" | head -6; break; fi
  done
  if [ -n "$bad" ]; then fail "$name" "$bad"; else pass "$name"; fi
}

# same_db NAME RULES DATA OPTS...: the --db file's rows are the same for --jobs 1 and 3
same_db() {
  local name=$1 rules=$2 data=$3
  shift 3
  rm -f "$tmp/1.db" "$tmp/3.db"
  "$zhidu" run "$rules" "$data" --jobs 1 --db "$tmp/1.db" "$@" >/dev/null 2>&1
  "$zhidu" run "$rules" "$data" --jobs 3 --db "$tmp/3.db" "$@" >/dev/null 2>&1
  if [ ! -s "$tmp/1.db" ] || [ ! -s "$tmp/3.db" ]; then fail "$name --db" "no database written"; return; fi
  dump "$tmp/1.db" >"$tmp/1.sql"
  dump "$tmp/3.db" >"$tmp/3.sql"
  if ! grep -q 'INSERT INTO "violations"' "$tmp/1.sql"; then fail "$name --db" "no violation rows"; return; fi
  if cmp -s "$tmp/1.sql" "$tmp/3.sql"; then pass "$name --db"; else fail "$name --db" "rows differ"; diff "$tmp/1.sql" "$tmp/3.sql" | head -6; fi
}

# each NAME RULES DATA OPTS...: every format, the windows, the database
each() {
  local name=$1 rules=$2 data=$3
  shift 3
  for fmt in text jsonl json csv html; do
    same "$name $fmt" "$rules" "$data" --format $fmt --fail-on never "$@"
  done
  for w in 0 1 7; do
    same "$name json --window $w" "$rules" "$data" --format json --fail-on never --window $w "$@"
  done
  same_db "$name" "$rules" "$data" --fail-on never "$@"
}

each colleges rules/units/wenxueyuan.zd examples/colleges
each colleges.db rules/units/wenxueyuan.zd examples/colleges/colleges.db
each gxnu rules/gxnu.zd examples/gxnu

# the examples' hand-checked reports
for ex in colleges:rules/units/wenxueyuan.zd gxnu:rules/gxnu.zd; do
  IFS=: read -r name rules <<<"$ex"
  "$zhidu" run "$rules" "examples/$name" --jobs 3 --format jsonl --fail-on never >"$tmp/got" 2>/dev/null
  if cmp -s "$tmp/got" "examples/$name/expected.jsonl"; then pass "$name: --jobs 3 gives expected.jsonl"
  else fail "$name" "--jobs 3 differs from expected.jsonl"; diff "examples/$name/expected.jsonl" "$tmp/got" | head -6; fi
done

# generated logs of 5 units
d=$tmp/gen
if python3 tools/gen_data.py --seed 21 --units 5 --events 3000 --weeks 30 --in-order --out "$d" --sqlite "$d.db" >/dev/null; then
  each "gen in order" rules/gxnu.zd "$d"
  same "gen in order sqlite" rules/gxnu.zd "$d.db" --format json --fail-on never
  same "gen in order sqlite --window 1" rules/gxnu.zd "$d.db" --format json --fail-on never --window 1
else
  fail "gen in order" "gen_data.py failed"
fi
d=$tmp/shuffled
if python3 tools/gen_data.py --seed 22 --units 5 --events 3000 --weeks 30 --bad-rows --out "$d" >/dev/null; then
  for w in 65536 0 1; do
    same "gen shuffled --window $w" rules/gxnu.zd "$d" --format text --fail-on never --on-bad-row skip --window $w
  done
  same "gen shuffled, exit code of violations" rules/gxnu.zd "$d" --format jsonl --on-bad-row skip
else
  fail "gen shuffled" "gen_data.py failed"
fi

# reading ahead (--jobs 2 and 3 read on a thread of their own, in batches of
# 1,024 rows): bad rows, a malformed end and a limit far apart in a log of
# 20,000 rows come out at the same rows, in the same order, as with --jobs 1.
# The lines below are placed by this script, so the messages are known here.
ra=$tmp/ahead
mkdir -p "$ra"
cp tests/data/mini_good/{roster,topics,calendar}.csv "$ra/"
# ahead N [PATCH...]: N events in time order, a minute apart, an incident
# every 1,000 (never reported: one violation each, but the last is pending:
# its deadline lies after the log's end); PATCH LINE:TEXT replaces
# the row on line LINE (the header is line 1)
ahead() {
  python3 - "$ra/events.csv" "$@" <<'PY'
import sys
out, n, patches = sys.argv[1], int(sys.argv[2]), dict(p.split(":", 1) for p in sys.argv[3:])
with open(out, "w", newline="") as f:
    f.write("id,time,type,actor,targets,topic,ref\n")
    for k in range(1, n + 1):
        line = k + 1
        h, m = divmod(k, 60)
        d, h = divmod(h, 24)
        kind = "incident,m1," if k % 1000 == 0 else "talk,s1,p1"
        row = "e%d,2025-03-%02dT%02d:%02d,%s,," % (k, 3 + d, h, m, kind)
        f.write(patches.get(str(line), row) + "\n")
PY
}
ahead 20000 5002:x1,2025-03-06T12:00,talk,s1,p1 9000:x2,2025-03-09T05:00,tlak,s1,p1,, \
  13000:e12998,2025-03-12T00:00,talk,s1,p1,, 17002:x4,2025-03-14T20:00,talk,s1,p1,,,
same "ahead, bad rows skipped" tests/data/mini.zd "$ra" --format jsonl --fail-on never --on-bad-row skip
same "ahead, bad rows skipped, --window 1000" tests/data/mini.zd "$ra" --format jsonl --fail-on never --on-bad-row skip --window 1000
"$zhidu" run tests/data/mini.zd "$ra" --jobs 2 --format jsonl --fail-on never --on-bad-row skip >"$tmp/got" 2>"$tmp/got.err"
printf '%s\n' "zhidu: $ra/events.csv:5002: 5 fields, but the header has 7 (row skipped)" \
  "zhidu: $ra/events.csv:9000: column type: unknown event type 'tlak' (row skipped)" \
  "zhidu: $ra/events.csv:13000: column id: duplicate event id 'e12998' (row skipped)" \
  "zhidu: $ra/events.csv:17002: 8 fields, but the header has 7 (row skipped)" "zhidu: 4 bad rows skipped" >"$tmp/want.err"
if cmp -s "$tmp/want.err" "$tmp/got.err" && [ "$(grep -c '"rule": "prompt"' "$tmp/got")" = 19 ]; then pass "ahead: the skipped rows, in order"
else fail "ahead: the skipped rows" "$(diff "$tmp/want.err" "$tmp/got.err" | head -4)"; fi
stops=1 same "ahead, the first bad row stops" tests/data/mini.zd "$ra" --format jsonl --fail-on never
"$zhidu" run tests/data/mini.zd "$ra" --jobs 2 --format jsonl --fail-on never >"$tmp/got" 2>"$tmp/got.err"
if [ $? = 2 ] && [ ! -s "$tmp/got" ] && [ "$(cat "$tmp/got.err")" = "zhidu: $ra/events.csv:5002: 5 fields, but the header has 7" ]
then pass "ahead: stopped at line 5002"; else fail "ahead: stopped at line 5002" "$(head -c 300 "$tmp/got.err")"; fi
stops=1 same "ahead, --max-held-events" tests/data/mini.zd "$ra" --format jsonl --fail-on never --on-bad-row skip --window 0 --max-held-events 12000
"$zhidu" run tests/data/mini.zd "$ra" --jobs 2 --format jsonl --fail-on never --on-bad-row skip --window 0 --max-held-events 12000 \
  >"$tmp/got" 2>"$tmp/got.err"
# two rows before it are skipped (lines 5002 and 9000): the 12,001st event is on line 12,004
if [ $? = 2 ] && [ ! -s "$tmp/got" ] && [ "$(tail -n 1 "$tmp/got.err")" = "zhidu: $ra/events.csv:12004: more than 12000 events held in memory at once (--max-held-events)" ]
then pass "ahead: --max-held-events stops at line 12004"; else fail "ahead: --max-held-events" "$(tail -c 300 "$tmp/got.err")"; fi
# an unterminated quote on line 19990: reported after the rows before it
ahead 20000 5002:x1,2025-03-06T12:00,talk,s1,p1 '19990:x9,2025-03-16T21:00,talk,s1,"p1,,'
stops=1 same "ahead, unterminated quote at the end" tests/data/mini.zd "$ra" --format jsonl --fail-on never --on-bad-row skip
"$zhidu" run tests/data/mini.zd "$ra" --jobs 3 --format jsonl --fail-on never --on-bad-row skip >"$tmp/got" 2>"$tmp/got.err"
printf '%s\n' "zhidu: $ra/events.csv:5002: 5 fields, but the header has 7 (row skipped)" \
  "zhidu: $ra/events.csv:19990: unterminated quoted field at the end of the file" >"$tmp/want.err"
if cmp -s "$tmp/want.err" "$tmp/got.err" && [ ! -s "$tmp/got" ]; then pass "ahead: the unterminated quote after the skipped row"
else fail "ahead: the unterminated quote" "$(diff "$tmp/want.err" "$tmp/got.err" | head -4)"; fi
# an event out of time order after steps (--window 1000): the log is read
# again, holding every event; the skipped row is reported once
ahead 20000 5002:x1,2025-03-06T12:00,talk,s1,p1 15000:x5,2025-03-03T00:30,talk,s1,p1,,
same "ahead, read again" tests/data/mini.zd "$ra" --format jsonl --fail-on never --on-bad-row skip --window 1000
"$zhidu" run tests/data/mini.zd "$ra" --jobs 2 --format jsonl --fail-on never --on-bad-row skip --window 1000 >"$tmp/got" 2>"$tmp/got.err"
if [ "$(grep -c 'row skipped)' "$tmp/got.err")" = 1 ] && grep -q "^zhidu: note: $ra/events.csv:15000: " "$tmp/got.err" && [ -s "$tmp/got" ]
then pass "ahead: read again, the skipped row reported once"; else fail "ahead: read again" "$(head -c 400 "$tmp/got.err")"; fi
# SQLite: a real number on rowid 7000 and a blob on rowid 11000, skipped in that order
ahead 20000
if python3 tests/data/mkdb.py "$tmp/ahead.db" --csv "$ra" \
  --sql "UPDATE events SET time = 1.5 WHERE rowid = 7000; UPDATE events SET actor = x'00ff' WHERE rowid = 11000;"; then
  same "ahead sqlite, bad rows skipped" tests/data/mini.zd "$tmp/ahead.db" --format jsonl --fail-on never --on-bad-row skip
  "$zhidu" run tests/data/mini.zd "$tmp/ahead.db" --jobs 2 --format jsonl --fail-on never --on-bad-row skip >"$tmp/got" 2>"$tmp/got.err"
  printf '%s\n' "zhidu: $tmp/ahead.db:events:rowid 7000: column time: expected text, found a real number (row skipped)" \
    "zhidu: $tmp/ahead.db:events:rowid 11000: column actor: expected text, found a blob (row skipped)" "zhidu: 2 bad rows skipped" >"$tmp/want.err"
  if cmp -s "$tmp/want.err" "$tmp/got.err"; then pass "ahead sqlite: the skipped rows, in order"
  else fail "ahead sqlite: the skipped rows" "$(diff "$tmp/want.err" "$tmp/got.err" | head -4)"; fi
else
  fail "ahead sqlite" "mkdb.py failed"
fi

# an interrupt while the reader thread runs (a third thread besides the
# main one and the judging worker): zhidu dies of it, and the --output file
# that was there is left as it was
ahead 200000
printf 'old\n' >"$tmp/r.txt"
if python3 - "$zhidu" tests/data/mini.zd "$ra" "$tmp/r.txt" <<'PY'
import os, signal, subprocess, sys, time
zhidu, mini, data, out = sys.argv[1:]
p = subprocess.Popen([zhidu, "run", mini, data, "--jobs", "2", "--output", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seen = False
deadline = time.time() + 600
while p.poll() is None and time.time() < deadline:
    try:
        seen = len(os.listdir("/proc/%d/task" % p.pid)) >= 3
    except OSError:
        pass
    if seen:
        p.send_signal(signal.SIGINT)
        break
    time.sleep(0.001)
rc = p.wait()
if not seen:
    sys.exit("the reader thread was not seen before zhidu ended (exit %s)" % rc)
if rc != -signal.SIGINT or open(out).read() != "old\n":
    sys.exit("exit %s; --output now %r" % (rc, open(out).read()[:80]))
PY
then pass "ahead: SIGINT while reading ahead: killed by it, --output untouched"
else fail "ahead: SIGINT while reading ahead" "see above"; fi

# bad values
for v in 0 257 x -1 "" 2x +2; do
  "$zhidu" run rules/gxnu.zd examples/gxnu --jobs "$v" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -qF -- "zhidu: --jobs takes a number of threads (1 to 256), not '$v'" "$tmp/err"; then
    pass "--jobs '$v' refused"
  else
    fail "--jobs '$v'" "exit $rc, stderr: $(head -1 "$tmp/err")"
  fi
done
"$zhidu" run rules/gxnu.zd examples/gxnu --jobs 256 --format jsonl --fail-on never >"$tmp/got" 2>&1
if cmp -s "$tmp/got" examples/gxnu/expected.jsonl; then pass "--jobs 256 (more threads than units)"; else fail "--jobs 256" "report differs"; fi
