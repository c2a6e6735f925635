#!/usr/bin/env bash
# run_data.sh ZHIDU - `zhidu run` on the data sets of tests/data/ (see
# tests/data/README.md): the reports of good data sets, checked by hand, in
# their CSV and SQLite forms (byte for byte the same); every bad-data error,
# each with its exact message and exit code; --on-bad-row skip; the options
# (--from, --as-of, --unit, --fail-on, --output, --db, --format) and usage
# errors. Bad data sets are made in a temp dir from tests/data/mini_good by one
# small edit each (shown beside the expected message); SQLite databases are
# built there by tests/data/mkdb.py (python3's sqlite3 module).
# Prints "PASS data NAME" or "FAIL data NAME: why" per case.
# ZHIDU_KNOWN_BUGS=1 also runs the cases of known, reported runtime bugs
# (they fail until the runtime is fixed).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C   # bytes are bytes: the cases hold invalid UTF-8 on purpose
data=$root/tests/data
mini=$data/mini.zd
work=$tmp/w            # generated data sets; cases run from here, so messages name them relatively
mkdir -p "$work"
mkdb() { python3 "$data/mkdb.py" "$@"; }

pass() { echo "PASS data $1"; }
fail() { echo "FAIL data $1: $2"; }

# zrun DIR ARGS... : runs `zhidu run ARGS` in DIR; stdout in $tmp/out, stderr in $tmp/err, exit code in $rc
zrun() {
  local dir=$1
  shift
  (cd "$dir" && "$zhidu" run "$@") >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# expect NAME RC STDERR [STDOUT_FILE]: the last zrun exited RC, its standard
# error was exactly STDERR (lines; "" = nothing), its standard output exactly
# STDOUT_FILE's bytes (when given; "-" = nothing).
expect() {
  local name=$1 want_rc=$2 want_err=$3 want_out=${4:-} why=""
  [ "$rc" = "$want_rc" ] || why="$why; exit $rc, expected $want_rc"
  if [ -z "$want_err" ]; then : >"$tmp/want_err"; else printf '%s\n' "$want_err" >"$tmp/want_err"; fi
  if ! cmp -s "$tmp/err" "$tmp/want_err"; then
    why="$why; stderr differs: $(diff "$tmp/want_err" "$tmp/err" | head -12 | tr '\n' '|')"
  fi
  if [ "$want_out" = "-" ]; then
    [ -s "$tmp/out" ] && why="$why; unexpected output: $(head -c 300 "$tmp/out")"
  elif [ -n "$want_out" ] && ! cmp -s "$tmp/out" "$want_out"; then
    why="$why; output differs from $(basename "$want_out"): $(diff "$want_out" "$tmp/out" | head -8 | tr '\n' '|')"
  fi
  if [ -z "$why" ]; then pass "$name"; else fail "$name" "${why#; }"; fi
}

# mkcase NAME [FROM]: a fresh copy of tests/data/FROM (default mini_good) as $work/NAME
mkcase() {
  rm -rf "${work:?}/$1"
  cp -r "$data/${2:-mini_good}" "$work/$1"
  rm -f "$work/$1"/*.md "$work/$1"/*.jsonl
}

# edit_line FILE LINE TEXT: replaces line LINE of FILE with TEXT (bytes as printf %b)
edit_line() {
  local f=$1 n=$2 text=$3
  { head -n $((n - 1)) "$f"; printf '%b\n' "$text"; tail -n +$((n + 1)) "$f"; } >"$f.new" && mv "$f.new" "$f"
}

# no_temp_files DIR: nothing but the expected files (no *.tmp.*) in DIR
no_temp_files() { [ -z "$(find "$1" -name '*.tmp.*' -print -quit)" ]; }

want=$tmp/want
good_jsonl=$data/mini_good/expected.jsonl

# ==== good data sets: the expected reports (worked out by hand in each README) ====

zrun "$data" mini.zd mini_good --format jsonl
expect "mini_good: jsonl as worked out in mini_good/README.md" 1 "" "$good_jsonl"

zrun "$data" mini.zd mini_quirks --format jsonl
expect "mini_quirks (BOM, CRLF, reordered and unknown columns, quoting, blank lines, empty cells and list items): the report of mini_good" 1 "" "$good_jsonl"

zrun "$data" mini.zd mini_multiline --format jsonl
expect "mini_multiline (fields holding newlines): the report of mini_good" 1 "" "$good_jsonl"

zrun "$data" mini.zd mini_units --format jsonl
expect "mini_units: jsonl as worked out in mini_units/README.md" 1 "" "$data/mini_units/expected.jsonl"

zrun "$data" ../../rules/gxnu.zd gxnu_small --format jsonl
expect "gxnu_small with rules/gxnu.zd: jsonl as worked out in gxnu_small/README.md" 1 "" "$data/gxnu_small/expected.jsonl"

# The events' places in the text report are physical line numbers, also after
# fields that hold newlines (mini_multiline: e04 starts on line 7, e06 on line 12).
zrun "$data" mini.zd mini_multiline
printf '%s\n' \
  "  - event e04 at 2025-03-12T09:00:00+08:00 (mini_multiline/events.csv:7)" \
  "  - event e06 at 2025-03-13T09:00:00+08:00 (mini_multiline/events.csv:12)" \
  "  - event e06 at 2025-03-13T09:00:00+08:00 (mini_multiline/events.csv:12)" \
  "  - event e06 at 2025-03-13T09:00:00+08:00 (mini_multiline/events.csv:12)" >"$want"
grep -a '^  - event ' "$tmp/out" >"$tmp/got"
if [ "$rc" = 1 ] && cmp -s "$tmp/got" "$want"; then pass "mini_multiline: text report gives physical line numbers"
else fail "mini_multiline: text report gives physical line numbers" "exit $rc; got: $(tr '\n' '|' <"$tmp/got")"; fi

# ---- the same data sets as SQLite databases: the same report, byte for byte ----
for set in mini_good mini_quirks mini_multiline mini_units gxnu_small; do
  policy=mini.zd
  [ "$set" = gxnu_small ] && policy=../../rules/gxnu.zd
  mkdb "$work/$set.db" --csv "$data/$set"
  for fmt in jsonl json csv; do
    zrun "$data" "$policy" "$set" --format "$fmt"
    cp "$tmp/out" "$tmp/from_csv"
    zrun "$data" "$policy" "$work/$set.db" --format "$fmt"
    expect "$set as SQLite: --format $fmt the same as from CSV" 1 "" "$tmp/from_csv"
  done
done

# empty cells stored as '' instead of NULL: the same
mkdb "$work/text_empty.db" --csv-text "$data/mini_good"
zrun "$work" "$mini" text_empty.db --format jsonl
expect "SQLite with '' for empty cells: the report of mini_good" 1 "" "$good_jsonl"

# every table a view (over a table of another name): the same
mkdb "$work/views.db" --csv "$data/mini_good" --sql "
  ALTER TABLE events RENAME TO t_events;     CREATE VIEW events AS SELECT * FROM t_events;
  ALTER TABLE roster RENAME TO t_roster;     CREATE VIEW roster AS SELECT * FROM t_roster;
  ALTER TABLE topics RENAME TO t_topics;     CREATE VIEW topics AS SELECT * FROM t_topics;
  ALTER TABLE calendar RENAME TO t_calendar; CREATE VIEW calendar AS SELECT * FROM t_calendar;"
zrun "$work" "$mini" views.db --format jsonl
expect "SQLite views instead of tables: the report of mini_good" 1 "" "$good_jsonl"

# a view that renames and reorders columns (another organisation's export)
mkdb "$work/view_cols.db" --csv "$data/mini_good" --sql "
  CREATE TABLE log (\"when\", what, who, whom, agenda, answers, key, note);
  INSERT INTO log SELECT time, type, actor, targets, topic, ref, id, 'x' FROM events ORDER BY rowid;
  DROP TABLE events;
  CREATE VIEW events AS SELECT key AS id, \"when\" AS time, what AS type, who AS actor,
    whom AS targets, agenda AS topic, answers AS ref FROM log;"
zrun "$work" "$mini" view_cols.db --format jsonl
expect "SQLite view renaming the columns of another table: the report of mini_good" 1 "" "$good_jsonl"

# BLOB and REAL values in columns the policy does not read are ignored
mkdb "$work/unread.db" --csv "$data/mini_good" --sql "
  ALTER TABLE events ADD COLUMN note; ALTER TABLE roster ADD COLUMN photo;
  UPDATE events SET note = X'00FF' WHERE id = 'e04'; UPDATE events SET note = 1.5 WHERE id = 'e05';
  UPDATE roster SET photo = X'89504E47';"
zrun "$work" "$mini" unread.db --format jsonl
expect "SQLite: BLOB and REAL values in unread columns are ignored" 1 "" "$good_jsonl"

# ---- every format ----
zrun "$data" mini.zd mini_good
if [ "$rc" = 1 ] && [ ! -s "$tmp/err" ] &&
   grep -qx '  rows read: 12, events: 7, bad rows skipped: 0' "$tmp/out" &&
   grep -qx '  total: 5 violations (4 must, 1 in-principle), 1 obligations pending' "$tmp/out" &&
   grep -qx '  unit "": 7 events checked, range 2025-03-03T00:00:00+08:00 … 2025-03-24T08:00:00+08:00' "$tmp/out" &&
   grep -qx '  - event e04 at 2025-03-12T09:00:00+08:00 (mini_good/events.csv:5)' "$tmp/out" &&
   grep -qx '    subjects: 李校长(p1), 王书记(s1)' "$tmp/out" &&
   [ "$(grep -c '^== ' "$tmp/out")" = 3 ]; then pass "--format text (the default): the violations and the summary"
else fail "--format text (the default): the violations and the summary" "exit $rc; $(head -c 400 "$tmp/err")"; fi

zrun "$data" mini.zd mini_good --format json
if [ "$rc" = 1 ] && [ ! -s "$tmp/err" ] && python3 - "$tmp/out" "$good_jsonl" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
want = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert r["policy"] == "mini", r["policy"]
assert r["violations"] == want, "violations differ from the jsonl"
assert [(v["rule"], v["trigger"], sorted(v["subjects"])) for v in r["pending"]] == [("prompt", "e07", ["p1", "s1"])], r["pending"]
s = r["summary"]
assert (s["violations"], s["must"], s["in_principle"], s["pending"]) == (5, 4, 1, 1), s
assert (s["rows_read"], s["events_read"], s["bad_rows_skipped"]) == (12, 7, 0), s
assert s["units"] == [{"unit": "", "events": 7, "from": "2025-03-03T00:00:00+08:00", "to": "2025-03-24T08:00:00+08:00"}], s["units"]
assert [(x["rule"], x["violations"], x["pending"]) for x in s["rules"]] == [("weekly", 1, 0), ("prompt", 1, 1), ("lead", 3, 0)], s["rules"]
EOF
then pass "--format json: violations, pending and summary"
else fail "--format json: violations, pending and summary" "exit $rc"; fi

zrun "$data" mini.zd mini_good --format csv
if [ "$rc" = 1 ] && [ ! -s "$tmp/err" ] && python3 - "$tmp/out" "$good_jsonl" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
want = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert open(sys.argv[1], "rb").read().count(b"\r\n") == 7, "CRLF row ends expected"
viol = [r for r in rows if r["status"] == "violation"]
pend = [r for r in rows if r["status"] == "pending"]
assert len(viol) == 5 and len(pend) == 1, rows
for r, w in zip(viol, want):
    assert (r["rule"], r["severity"], r["message"]) == (w["rule"], w["severity"], w["message"]), (r, w)
    assert sorted(s for s in r["subjects"].split(";") if s) == sorted(w["subjects"]), (r, w)
    assert r["trigger"] == w.get("trigger", ""), (r, w)
    assert (r["window_from"], r["window_to"]) == ((w["window"]["from"], w["window"]["to"]) if "window" in w else ("", "")), (r, w)
assert pend[0]["trigger"] == "e07", pend
assert any(r["subjects"] == 't,"4"' for r in viol), "the subject t,\"4\" must survive CSV quoting"
EOF
then pass "--format csv: one row per violation or pending obligation, RFC 4180 quoted"
else fail "--format csv: one row per violation or pending obligation, RFC 4180 quoted" "exit $rc"; fi

zrun "$data" mini.zd mini_good --format=jsonl
expect "--format=jsonl (with =)" 1 "" "$good_jsonl"

# ==== --from and --as-of change the checked range ====
# (mini_good/README.md: R0 = 03-03T00:00, R1 = 03-24T08:00 by default)
line() { sed -n "$1p" "$good_jsonl"; }

# --from a week earlier: the week [02-24, 03-03) is whole in the range and has no talk
{ printf '%s\n' '{"unit": "", "rule": "weekly", "tags": ["W"], "clause": "1", "severity": "in-principle", "subjects": ["p1", "s1"], "window": {"from": "2025-02-24T00:00:00+08:00", "to": "2025-03-03T00:00:00+08:00"}, "evidence": [], "message": "2025-02-24至2025-03-02：王书记(s1)与李校长(p1)没有沟通"}'
  cat "$good_jsonl"; } >"$want"
zrun "$data" mini.zd mini_good --from 2025-02-24 --format jsonl
expect "--from 2025-02-24: one more whole week judged" 1 "" "$want"

# --from 2025-03-11T10:30: the first whole week starts 03-17 (a vacation week): no weekly violation
{ line 2; line 3; line 4; line 5; } >"$want"
zrun "$data" mini.zd mini_good --from 2025-03-11T10:30 --format jsonl
expect "--from 2025-03-11T10:30: no whole week left to judge but the vacation week" 1 "" "$want"

# --as-of 2025-03-17: the week [03-10, 03-17) ends exactly at R1 and is judged
zrun "$data" mini.zd mini_good --as-of 2025-03-17 --format jsonl
expect "--as-of 2025-03-17: a week ending exactly at R1 is judged" 1 "" "$good_jsonl"

# --as-of a minute earlier: that week is not whole in the range
{ line 2; line 3; line 4; line 5; } >"$want"
zrun "$data" mini.zd mini_good --as-of 2025-03-16T23:59 --format jsonl
expect "--as-of 2025-03-16T23:59: the week is not judged" 1 "" "$want"

# --as-of 2025-03-12T11:00: e04's deadline (09:00 + 2h) is R1 itself: a violation;
# e05 (12:00) and e06 are outside the range
line 2 >"$want"
zrun "$data" mini.zd mini_good --as-of 2025-03-12T11:00 --format jsonl
expect "--as-of at e04's deadline: violated" 1 "" "$want"

# a minute before the deadline: pending, no violation at all, exit 0
zrun "$data" mini.zd mini_good --as-of 2025-03-12T10:59 --format jsonl
expect "--as-of before e04's deadline: pending, exit 0" 0 "" -
zrun "$data" mini.zd mini_good --as-of 2025-03-12T10:59 --format json
if [ "$rc" = 0 ] && python3 -c '
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert r["violations"] == [] and [p["trigger"] for p in r["pending"]] == ["e04"], r
assert r["summary"]["units"][0]["to"] == "2025-03-12T10:59:00+08:00", r["summary"]' "$tmp/out"
then pass "--as-of before e04's deadline: --format json lists e04 as pending"
else fail "--as-of before e04's deadline: --format json lists e04 as pending" "exit $rc; $(head -c 300 "$tmp/err")"; fi

# times with an offset are converted: 2025-03-12T03:00Z is 11:00 local
line 2 >"$want"
zrun "$data" mini.zd mini_good --as-of 2025-03-12T03:00Z --format jsonl
expect "--as-of with an offset (03:00Z = 11:00 local)" 1 "" "$want"

# ==== --unit ====
sed -n 1p "$data/mini_units/expected.jsonl" >"$want"
zrun "$data" mini.zd mini_units --unit 文学院 --format jsonl
expect "--unit 文学院: that unit only" 1 "" "$want"
sed -n 2p "$data/mini_units/expected.jsonl" >"$want"
zrun "$data" mini.zd mini_units --unit=理学院 --format jsonl
expect "--unit=理学院: that unit only" 1 "" "$want"
zrun "$data" mini.zd mini_units --unit 理学院 --format json
if python3 -c '
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["summary"]
assert [u["unit"] for u in s["units"]] == ["理学院"] and s["pending"] == 1, s' "$tmp/out"
then pass "--unit 理学院: the json summary has that unit only"
else fail "--unit 理学院: the json summary has that unit only" "$(head -c 300 "$tmp/out")"; fi

# ==== --fail-on: which violations make the exit code 1 ====
# mini_good has must and in-principle violations; mini_units' 文学院 only an
# in-principle one; mini_good --as-of 2025-03-12T10:59 only a pending obligation.
for c in "mini_good||1" "mini_good|--fail-on in-principle|1" "mini_good|--fail-on must|1" "mini_good|--fail-on never|0" \
         "mini_units|--unit 文学院|1" "mini_units|--unit 文学院 --fail-on must|0" "mini_units|--unit 文学院 --fail-on never|0" \
         "mini_units|--unit 理学院 --fail-on must|1" "mini_good|--as-of 2025-03-12T10:59|0" \
         "mini_good|--as-of 2025-03-12T10:59 --fail-on must|0"; do
  IFS='|' read -r set opts want_rc <<<"$c"
  # shellcheck disable=SC2086
  zrun "$data" mini.zd "$set" $opts --format jsonl
  expect "--fail-on: $set ${opts:-(default)} exits $want_rc" "$want_rc" ""
done

# ==== --output: the report written atomically ====
out=$tmp/outdir
mkdir -p "$out"
zrun "$data" mini.zd mini_good --format jsonl --output "$out/report.jsonl"
if [ "$rc" = 1 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] && cmp -s "$out/report.jsonl" "$good_jsonl" &&
   [ "$(find "$out" -mindepth 1 | wc -l)" = 1 ]; then pass "--output: the report in the file, nothing on stdout, no temp file left"
else fail "--output: the report in the file, nothing on stdout, no temp file left" "exit $rc; files: $(ls -a "$out" | tr '\n' ' ')"; fi

echo "an older report" >"$out/report.txt"
zrun "$data" mini.zd mini_good --output "$out/report.txt"
zrun_text=$tmp/text_stdout
(cd "$data" && "$zhidu" run mini.zd mini_good) >"$zrun_text" 2>/dev/null
if [ "$rc" = 1 ] && cmp -s "$out/report.txt" "$zrun_text" && no_temp_files "$out"; then pass "--output replaces an existing file with the full report"
else fail "--output replaces an existing file with the full report" "exit $rc"; fi

# a run that fails on bad data leaves an existing report untouched
mkcase out_bad
edit_line "$work/out_bad/events.csv" 5 'e04,2025-03-12T09:00,incidnet,m1,,,'
echo "an older report" >"$out/keep.txt"
zrun "$work" "$mini" out_bad --output "$out/keep.txt"
if [ "$rc" = 2 ] && [ "$(cat "$out/keep.txt")" = "an older report" ] && no_temp_files "$out"; then pass "--output: a failed run leaves the existing file untouched"
else fail "--output: a failed run leaves the existing file untouched" "exit $rc; file: $(head -c 100 "$out/keep.txt")"; fi

zrun "$data" mini.zd mini_good --output "$tmp/no/such/dir/r.txt"
expect "--output into a missing directory: exit 2" 2 "zhidu: cannot write $tmp/no/such/dir/r.txt: No such file or directory" -

mkdir -p "$out/adir"
zrun "$data" mini.zd mini_good --output "$out/adir"
expect "--output onto a directory: exit 2" 2 "zhidu: cannot write $out/adir: Is a directory" -
if no_temp_files "$out"; then pass "--output onto a directory: no temp file left"; else fail "--output onto a directory: no temp file left" "$(ls -a "$out" | tr '\n' ' ')"; fi

# ==== --db: tables violations and run ====
dbdir=$tmp/dbdir
mkdir -p "$dbdir"
zrun "$data" mini.zd mini_good --format jsonl --db "$dbdir/r.db"
dbcheck() {
  python3 - "$@" <<'EOF'
import sqlite3, sys
path, viol, pend, rows, events, skipped = sys.argv[1], *map(int, sys.argv[2:7])
db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
cols = [r[1] for r in db.execute("PRAGMA table_info(violations)")]
for c in ("unit", "rule", "tags", "clause", "severity", "status", "window_from", "window_to", "trigger", "subjects", "evidence", "message"):
    assert c in cols, "violations lacks column " + c
got = dict(db.execute("SELECT status, count(*) FROM violations GROUP BY status").fetchall())
assert got.get("violation", 0) == viol and got.get("pending", 0) == pend, got
run = db.execute("SELECT policy, rows_read, events_read, bad_rows_skipped, violations, pending FROM run").fetchall()
assert run == [("mini", rows, events, skipped, viol, pend)], run
if viol == 5:
    w = db.execute("SELECT window_from, window_to, subjects, severity FROM violations WHERE rule = 'weekly'").fetchall()
    assert w == [("2025-03-10T00:00:00+08:00", "2025-03-17T00:00:00+08:00", "p1;s1", "in-principle")], w
    t = db.execute("SELECT trigger, subjects FROM violations WHERE rule = 'lead' ORDER BY subjects").fetchall()
    assert t == [("e06", 't,"4"'), ("e06", "t2"), ("e06", "t3")], t
    p = db.execute("SELECT trigger, subjects FROM violations WHERE status = 'pending'").fetchall()
    assert p == [("e07", "p1;s1")], p
EOF
}
if [ "$rc" = 1 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$good_jsonl" && dbcheck "$dbdir/r.db" 5 1 12 7 0 && no_temp_files "$dbdir"
then pass "--db: violations (with pending) and the run summary in SQLite, the report still on stdout"
else fail "--db: violations (with pending) and the run summary in SQLite, the report still on stdout" "exit $rc; $(head -c 300 "$tmp/err")"; fi

zrun "$data" mini.zd mini_good --db "$dbdir/r.db"
if [ "$rc" = 1 ] && dbcheck "$dbdir/r.db" 5 1 12 7 0 && no_temp_files "$dbdir"; then pass "--db: a second run replaces the database (no rows added twice)"
else fail "--db: a second run replaces the database (no rows added twice)" "exit $rc"; fi

zrun "$data" mini.zd mini_badrows --on-bad-row skip --format jsonl --db "$dbdir/skip.db"
if [ "$rc" = 1 ] && dbcheck "$dbdir/skip.db" 5 1 23 7 11; then pass "--db: run.bad_rows_skipped after --on-bad-row skip"
else fail "--db: run.bad_rows_skipped after --on-bad-row skip" "exit $rc"; fi

zrun "$data" mini.zd mini_good --db "$tmp/no/such/dir/r.db"
expect "--db into a missing directory: exit 2" 2 "zhidu: cannot write $tmp/no/such/dir/r.db: No such file or directory"

# ==== usage errors: exit 2, a message, nothing on stdout ====
usage() {
  local name=$1 msg=$2
  shift 2
  zrun "$data" "$@"
  expect "usage: $name" 2 "zhidu: $msg
usage: zhidu run POLICY DATA [options]
(run 'zhidu help run' for more)" -
}
usage "no arguments" "run needs a policy and a data set"
usage "no data set" "run needs a policy and a data set" mini.zd
usage "an extra argument" "unexpected argument 'extra'" mini.zd mini_good extra
usage "unknown format" "--format takes text, jsonl, json, csv or html, not 'xml'" mini.zd mini_good --format xml
usage "unknown format with =" "--format takes text, jsonl, json, csv or html, not 'yaml'" mini.zd mini_good --format=yaml
usage "option without its value" "--format needs a value (text, jsonl, json, csv or html)" mini.zd mini_good --format
usage "--output without its value" "--output needs a value" mini.zd mini_good --output
usage "unknown option" "unknown option '--bogus' for run" mini.zd mini_good --bogus
usage "bad --fail-on" "--fail-on takes must, in-principle or never, not 'all'" mini.zd mini_good --fail-on all
usage "bad --on-bad-row" "--on-bad-row takes stop or skip, not 'ignore'" mini.zd mini_good --on-bad-row ignore
usage "bad --from" "--from: '2025-13-01' is not a date or time of the years 1 to 9999 (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])" mini.zd mini_good --from 2025-13-01
usage "bad --as-of" "--as-of: 'yesterday' is not a date or time of the years 1 to 9999 (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])" mini.zd mini_good --as-of yesterday
# mini.zd's zone is +08:00: 9999-12-31T20:00Z is year 10000 there (item 18 of issue 11)
usage "--from in year 0" "--from: '0000-06-01' is not a date or time of the years 1 to 9999 (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])" mini.zd mini_good --from 0000-06-01
usage "--as-of in year 10000 locally" "--as-of: '9999-12-31T20:00:00Z' is not a date or time of the years 1 to 9999 (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])" mini.zd mini_good --as-of 9999-12-31T20:00:00Z
zrun "$data" no-such-policy.zd mini_good
expect "a policy that does not exist: exit 2" 2 "zhidu: cannot read no-such-policy.zd: No such file or directory" -

# ==== a cell of 6 MB: read in seconds (libcsv grew its buffer 128 bytes at a time: ====
# ==== 100 s under ASan), its line break counted, the next row's line right ====
# events.csv has 8 lines; e90's quoted time (3 MB of x, a line break, 3 MB of y)
# starts on line 9 and ends on line 10; e91 is on line 11
mkcase long_cell
python3 -c 'import sys; sys.stdout.write("e90,\"" + "x" * 3000000 + "\n" + "y" * 3000000 + "\",talk,s1,p1,,\ne91,soon,talk,s1,p1,,\n")' >>"$work/long_cell/events.csv"
x60=$(printf 'x%.0s' $(seq 60))
for jobs in 1 2; do
  rc=0; (cd "$work" && timeout 60 "$zhidu" run "$mini" long_cell --on-bad-row skip --fail-on never --jobs $jobs) >"$tmp/out" 2>"$tmp/err" || rc=$?
  expect "csv a 6 MB cell, --jobs $jobs" 0 "zhidu: long_cell/events.csv:9: column time: malformed timestamp '$x60...': expected a date YYYY-MM-DD (row skipped)
zhidu: long_cell/events.csv:11: column time: malformed timestamp 'soon': expected a date YYYY-MM-DD (row skipped)
zhidu: 2 bad rows skipped"
done

# ==== bad CSV data: stop at the first bad row with FILE:LINE: column NAME: ... ====
# bad NAME STDERR [ARGS...]: runs the case made in $work/NAME, expects exit 2
bad() {
  local name=$1 msg=$2
  shift 2
  zrun "$work" "$mini" "$name" "$@"
  expect "csv $name" 2 "$msg" -
}

mkcase no_such_path && rm -rf "$work/no_such_path"
bad no_such_path "zhidu: no_such_path: No such file or directory"

printf 'id,time\n' >"$work/plain_file"
bad plain_file "zhidu: plain_file: neither a directory of CSV files nor a SQLite database"

mkcase missing_table && rm "$work/missing_table/topics.csv"
bad missing_table "zhidu: missing_table/topics.csv: missing table topics (no such file)"

mkcase missing_events && rm "$work/missing_events/events.csv"
bad missing_events "zhidu: missing_events/events.csv: missing table events (no such file)"

mkcase missing_column && edit_line "$work/missing_column/roster.csv" 1 'person,nom,role,from,to'
bad missing_column "zhidu: missing_column/roster.csv: missing column name (field name of 名册)"

mkcase missing_event_column && edit_line "$work/missing_event_column/events.csv" 1 'id,time,type,actor,targets,topic,reference'
bad missing_event_column "zhidu: missing_event_column/events.csv: missing column ref (field ref of events)"

mkcase duplicate_column && edit_line "$work/duplicate_column/topics.csv" 1 'topic,lead,topic'
bad duplicate_column "zhidu: duplicate_column/topics.csv: column topic appears twice in the header"

mkcase empty_file && : >"$work/empty_file/calendar.csv"
bad empty_file "zhidu: empty_file/calendar.csv: empty file: no header row"

mkcase is_a_directory && rm "$work/is_a_directory/topics.csv" && mkdir "$work/is_a_directory/topics.csv"
bad is_a_directory "zhidu: is_a_directory/topics.csv: a directory, not a regular file"

mkcase bad_timestamp && edit_line "$work/bad_timestamp/events.csv" 3 'e02,2025-03-11T10h00,incident,m1,,,'
bad bad_timestamp "zhidu: bad_timestamp/events.csv:3: column time: malformed timestamp '2025-03-11T10h00': expected a time HH:MM"

mkcase no_such_date && edit_line "$work/no_such_date/events.csv" 4 'e03,2025-02-29T11:30,report,m1,s1,,e02'
bad no_such_date "zhidu: no_such_date/events.csv:4: column time: malformed timestamp '2025-02-29T11:30': no such date"

mkcase bad_hour && edit_line "$work/bad_hour/events.csv" 2 'e01,2025-03-03T24:00,talk,s1,p1,,'
bad bad_hour "zhidu: bad_hour/events.csv:2: column time: malformed timestamp '2025-03-03T24:00': hour, minute or second out of range"

mkcase bad_roster_time && edit_line "$work/bad_roster_time/roster.csv" 3 'p1,李校长,校长,2025/01/01,'
bad bad_roster_time "zhidu: bad_roster_time/roster.csv:3: column from: malformed timestamp '2025/01/01': expected a date YYYY-MM-DD"

mkcase bad_calendar_time && edit_line "$work/bad_calendar_time/calendar.csv" 2 'vacation,2025-03-20,2025-03-21T08'
bad bad_calendar_time "zhidu: bad_calendar_time/calendar.csv:2: column to: malformed timestamp '2025-03-21T08': expected a time HH:MM"

mkcase unknown_type && edit_line "$work/unknown_type/events.csv" 5 'e04,2025-03-12T09:00,incidnet,m1,,,'
bad unknown_type "zhidu: unknown_type/events.csv:5: column type: unknown event type 'incidnet'"

mkcase empty_type && edit_line "$work/empty_type/events.csv" 5 'e04,2025-03-12T09:00,,m1,,,'
bad empty_type "zhidu: empty_type/events.csv:5: column type: empty event type"

mkcase too_few_fields && edit_line "$work/too_few_fields/events.csv" 4 'e03,2025-03-11T11:30,report,m1,s1,e02'
bad too_few_fields "zhidu: too_few_fields/events.csv:4: 6 fields, but the header has 7"

mkcase too_many_fields && edit_line "$work/too_many_fields/events.csv" 4 'e03,2025-03-11T11:30,report,m1,s1,,e02,'
bad too_many_fields "zhidu: too_many_fields/events.csv:4: 8 fields, but the header has 7"

mkcase invalid_utf8 && edit_line "$work/invalid_utf8/events.csv" 6 'e05,2025-03-12 12:00,report,m1,s\xff1,,e04'
bad invalid_utf8 "zhidu: invalid_utf8/events.csv:6: column targets: invalid UTF-8 (byte 0xFF at offset 1)"

mkcase invalid_utf8_truncated && edit_line "$work/invalid_utf8_truncated/roster.csv" 2 's1,王\xe4\xb9,书记,2025-01-01,'
bad invalid_utf8_truncated "zhidu: invalid_utf8_truncated/roster.csv:2: column name: invalid UTF-8 (byte 0xE4 at offset 3)"

mkcase invalid_utf8_overlong && edit_line "$work/invalid_utf8_overlong/topics.csv" 3 't2,\xc0\xaf'
bad invalid_utf8_overlong "zhidu: invalid_utf8_overlong/topics.csv:3: column lead: invalid UTF-8 (byte 0xC0 at offset 0)"

mkcase invalid_utf8_surrogate && edit_line "$work/invalid_utf8_surrogate/events.csv" 2 'e01,2025-03-03T09:00:00+08:00,talk,\xed\xa0\x80,p1,,'
bad invalid_utf8_surrogate "zhidu: invalid_utf8_surrogate/events.csv:2: column actor: invalid UTF-8 (byte 0xED at offset 0)"

mkcase nul_byte && edit_line "$work/nul_byte/events.csv" 7 'e06,2025-03-13T09:00,meeting,s1,,t1\0;t2,'
bad nul_byte "zhidu: nul_byte/events.csv:7: column topic: invalid UTF-8 (byte 0x00 at offset 2)"

mkcase unterminated_quote && printf 'e08,2025-03-25T09:00,talk,s1,"p1,,\n' >>"$work/unterminated_quote/events.csv"
bad unterminated_quote "zhidu: unterminated_quote/events.csv:9: unterminated quoted field at the end of the file"

mkcase unterminated_multiline && printf 'e08,2025-03-25T09:00,talk,s1,p1,,"x\ny\nz\n' >>"$work/unterminated_multiline/events.csv"
bad unterminated_multiline "zhidu: unterminated_multiline/events.csv:9: unterminated quoted field at the end of the file"

mkcase quote_in_unquoted && edit_line "$work/quote_in_unquoted/events.csv" 5 'e04,2025-03-12T09:00,incident,m"1,,,'
bad quote_in_unquoted "zhidu: quote_in_unquoted/events.csv:5: malformed CSV at byte 187: a quote inside an unquoted field, or text after a closing quote (RFC 4180)"

mkcase duplicate_id && edit_line "$work/duplicate_id/events.csv" 6 'e03,2025-03-12 12:00,report,m1,s1,,e04'
bad duplicate_id "zhidu: duplicate_id/events.csv:6: column id: duplicate event id 'e03'"

mkcase empty_id && edit_line "$work/empty_id/events.csv" 6 '"",2025-03-12 12:00,report,m1,s1,,e04'
bad empty_id "zhidu: empty_id/events.csv:6: column id: empty event id"

mkcase empty_time && edit_line "$work/empty_time/events.csv" 6 'e05,,report,m1,s1,,e04'
bad empty_time "zhidu: empty_time/events.csv:6: column time: empty time"

mkcase quoted_empty_time && edit_line "$work/quoted_empty_time/events.csv" 6 'e05,"",report,m1,s1,,e04'
bad quoted_empty_time "zhidu: quoted_empty_time/events.csv:6: column time: empty time"

# a byte-order mark followed by a quoted header name
mkcase bom_quoted_header && printf '\xef\xbb\xbf"kind","from","to"\nvacation,2025-03-20,2025-03-21\n' >"$work/bom_quoted_header/calendar.csv"
zrun "$work" "$mini" bom_quoted_header --format jsonl
expect "csv: a byte-order mark, then a quoted header" 1 "" "$good_jsonl"

# fields longer than a read buffer: an unknown column of 150,000 bytes holding
# 40 newlines in e01 (lines 2-42), crossing 64 KiB chunk boundaries; the
# report is unchanged, and rows after it have their physical line numbers
long_note() {  # long_note DIR: mini_good's events.csv with that note column
  python3 - "$1/events.csv" <<'PY'
import sys
p = sys.argv[1]
lines = open(p, encoding="utf-8").read().split("\n")
note = "\n".join(["x" * 3750] * 41)      # 41 lines of text, 40 newlines
out = [lines[0] + ",note", lines[1] + ',"' + note + '"'] + [l + "," for l in lines[2:] if l]
open(p, "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
}
mkcase long_field && long_note "$work/long_field"
zrun "$work" "$mini" long_field --format jsonl
expect "csv: a quoted field of 150 KB holding newlines: the report of mini_good" 1 "" "$good_jsonl"
zrun "$work" "$mini" long_field
if grep -qx '  - event e04 at 2025-03-12T09:00:00+08:00 (long_field/events.csv:45)' "$tmp/out"; then pass "csv: line numbers after a 150 KB multi-line field"
else fail "csv: line numbers after a 150 KB multi-line field" "$(grep -a 'event e04' "$tmp/out")"; fi
mkcase long_field_bad && long_note "$work/long_field_bad" && edit_line "$work/long_field_bad/events.csv" 46 'e05,2025-03-12T12:00,report,m1,s1,,e04,,'
bad long_field_bad "zhidu: long_field_bad/events.csv:46: 9 fields, but the header has 8"
mkcase long_field_quote && long_note "$work/long_field_quote" && edit_line "$work/long_field_quote/events.csv" 45 'e04,2025-03-12T09:00,incident,m"1,,,,'
offset=$(grep -abo 'm"1' "$work/long_field_quote/events.csv" | cut -d: -f1)
bad long_field_quote "zhidu: long_field_quote/events.csv:45: malformed CSV at byte $((offset + 1)): a quote inside an unquoted field, or text after a closing quote (RFC 4180)"

# a field that is not a valid time must not be trimmed into one
mkcase spaced_time && edit_line "$work/spaced_time/events.csv" 2 'e01, 2025-03-03T09:00,talk,s1,p1,,'
bad spaced_time "zhidu: spaced_time/events.csv:2: column time: malformed timestamp ' 2025-03-03T09:00': expected a date YYYY-MM-DD"

# line numbers after fields holding newlines are physical line numbers
mkcase after_multiline mini_multiline && edit_line "$work/after_multiline/events.csv" 11 'e05,2025-03-12T25:00,report,m1,s1,,e04,'
bad after_multiline "zhidu: after_multiline/events.csv:11: column time: malformed timestamp '2025-03-12T25:00': hour, minute or second out of range"
mkcase after_multiline2 mini_multiline && edit_line "$work/after_multiline2/events.csv" 14 'e07,2025-03-24T08:00,incidence,p1,,,,'
bad after_multiline2 "zhidu: after_multiline2/events.csv:14: column type: unknown event type 'incidence'"
mkcase after_blank_lines mini_multiline && edit_line "$work/after_blank_lines/events.csv" 11 'e05,2025-03-12T12:00,report,m1,s1,,e04'
bad after_blank_lines "zhidu: after_blank_lines/events.csv:11: 7 fields, but the header has 8"

# --on-bad-row skip does not skip what is wrong with a whole file
bad missing_column "zhidu: missing_column/roster.csv: missing column name (field name of 名册)" --on-bad-row skip
bad unterminated_quote "zhidu: unterminated_quote/events.csv:9: unterminated quoted field at the end of the file" --on-bad-row skip

# ==== --on-bad-row: mini_badrows is mini_good plus 11 bad rows ====
badrows_msgs='zhidu: mini_badrows/roster.csv:4: column name: invalid UTF-8 (byte 0xFF at offset 0) (row skipped)
zhidu: mini_badrows/events.csv:9: column time: malformed timestamp '"'2025-03-14 9am'"': expected a time HH:MM (row skipped)
zhidu: mini_badrows/events.csv:10: column type: unknown event type '"'tlak'"' (row skipped)
zhidu: mini_badrows/events.csv:11: 5 fields, but the header has 7 (row skipped)
zhidu: mini_badrows/events.csv:12: column time: empty time (row skipped)
zhidu: mini_badrows/events.csv:13: column id: duplicate event id '"'e03'"' (row skipped)
zhidu: mini_badrows/events.csv:14: column id: empty event id (row skipped)
zhidu: mini_badrows/events.csv:15: column type: empty event type (row skipped)
zhidu: mini_badrows/events.csv:16: column time: malformed timestamp '"'2025-02-30'"': no such date (row skipped)
zhidu: mini_badrows/events.csv:17: 8 fields, but the header has 7 (row skipped)
zhidu: mini_badrows/events.csv:18: column targets: invalid UTF-8 (byte 0xE4 at offset 1) (row skipped)
zhidu: 11 bad rows skipped'

zrun "$data" mini.zd mini_badrows
expect "--on-bad-row stop (the default): the first bad row (reference tables are read first)" 2 \
  "zhidu: mini_badrows/roster.csv:4: column name: invalid UTF-8 (byte 0xFF at offset 0)" -
zrun "$data" mini.zd mini_badrows --on-bad-row stop
expect "--on-bad-row stop" 2 "zhidu: mini_badrows/roster.csv:4: column name: invalid UTF-8 (byte 0xFF at offset 0)" -

zrun "$data" mini.zd mini_badrows --on-bad-row skip --format jsonl
expect "--on-bad-row skip: every bad row reported, the good rows give mini_good's report" 1 "$badrows_msgs" "$good_jsonl"

zrun "$data" mini.zd mini_badrows --on-bad-row=skip
if [ "$rc" = 1 ] && grep -qx '  rows read: 23, events: 7, bad rows skipped: 11' "$tmp/out" &&
   grep -qx '  total: 5 violations (4 must, 1 in-principle), 1 obligations pending' "$tmp/out"
then pass "--on-bad-row skip: the count in the text summary"
else fail "--on-bad-row skip: the count in the text summary" "exit $rc; $(grep -a 'rows read' "$tmp/out")"; fi

zrun "$data" mini.zd mini_badrows --on-bad-row skip --format json
if [ "$rc" = 1 ] && python3 -c '
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["summary"]
assert (s["bad_rows_skipped"], s["rows_read"], s["events_read"], s["violations"]) == (11, 23, 7, 5), s' "$tmp/out"
then pass "--on-bad-row skip: bad_rows_skipped in the json summary"
else fail "--on-bad-row skip: bad_rows_skipped in the json summary" "exit $rc"; fi

# ==== bad SQLite data: messages name the database, the table and the rowid ====
# sqlbad NAME STDERR SQL [ARGS...]: mini_good as NAME.db, changed by SQL; expects exit 2
sqlbad() {
  local name=$1 msg=$2 sql=$3
  shift 3
  mkdb "$work/$name.db" --csv "$data/mini_good" --sql "$sql"
  zrun "$work" "$mini" "$name.db" "$@"
  expect "sqlite $name" 2 "$msg" -
}
sqlbad missing_table "zhidu: missing_table.db: missing table topics" "DROP TABLE topics"
sqlbad missing_events "zhidu: missing_events.db: missing table events" "DROP TABLE events"
sqlbad missing_column "zhidu: missing_column.db:roster: missing column name (field name of 名册)" "ALTER TABLE roster DROP COLUMN name"
sqlbad missing_column_view "zhidu: missing_column_view.db:events: missing column ref (field ref of events)" \
  "ALTER TABLE events RENAME TO t; CREATE VIEW events AS SELECT id, time, type, actor, targets, topic FROM t"
sqlbad blob "zhidu: blob.db:events:rowid 4: column actor: expected text, found a blob" "UPDATE events SET actor = X'6D31' WHERE id = 'e04'"
sqlbad real "zhidu: real.db:events:rowid 4: column time: expected text, found a real number" "UPDATE events SET time = 20250312.5 WHERE id = 'e04'"
sqlbad real_roster "zhidu: real_roster.db:roster:rowid 2: column to: expected text, found a real number" "UPDATE roster SET \"to\" = 2026.0 WHERE person = 'p1'"
sqlbad blob_in_topics "zhidu: blob_in_topics.db:topics:rowid 1: column lead: expected text, found a blob" "UPDATE topics SET lead = X'' WHERE topic = 't1'"
sqlbad integer_time "zhidu: integer_time.db:events:rowid 4: column time: malformed timestamp '20250312': expected a date YYYY-MM-DD" \
  "UPDATE events SET time = 20250312 WHERE id = 'e04'"
sqlbad unknown_type "zhidu: unknown_type.db:events:rowid 4: column type: unknown event type 'incidnet'" "UPDATE events SET type = 'incidnet' WHERE id = 'e04'"
sqlbad bad_timestamp "zhidu: bad_timestamp.db:events:rowid 2: column time: malformed timestamp '2025-03-11T10h00': expected a time HH:MM" \
  "UPDATE events SET time = '2025-03-11T10h00' WHERE id = 'e02'"
sqlbad null_time "zhidu: null_time.db:events:rowid 5: column time: empty time" "UPDATE events SET time = NULL WHERE id = 'e05'"
sqlbad empty_time "zhidu: empty_time.db:events:rowid 5: column time: empty time" "UPDATE events SET time = '' WHERE id = 'e05'"
sqlbad duplicate_id "zhidu: duplicate_id.db:events:rowid 5: column id: duplicate event id 'e03'" "UPDATE events SET id = 'e03' WHERE id = 'e05'"
sqlbad invalid_utf8 "zhidu: invalid_utf8.db:events:rowid 5: column targets: invalid UTF-8 (byte 0xFF at offset 1)" \
  "UPDATE events SET targets = CAST(X'73FF31' AS TEXT) WHERE id = 'e05'"
# rowids are the table's, not row counts: a gap after a deleted row
sqlbad rowid_gap "zhidu: rowid_gap.db:events:rowid 7: column type: unknown event type 'incidnet'" \
  "DELETE FROM events WHERE id = 'e05'; UPDATE events SET type = 'incidnet' WHERE id = 'e07'"

printf 'not a database at all\n' >"$work/text.db"
zrun "$work" "$mini" text.db
expect "sqlite: a file that is not a database" 2 "zhidu: text.db: neither a directory of CSV files nor a SQLite database" -

printf 'SQLite format 3\0%s' "$(head -c 2000 /dev/zero | tr '\0' 'x')" >"$work/fake.db"
zrun "$work" "$mini" fake.db
expect "sqlite: a SQLite header and then garbage" 2 "zhidu: fake.db: not a usable SQLite database: file is not a database" -

# a database of many pages (3000 events): truncated, or with an events page overwritten
python3 - "$work/big.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA page_size = 4096")
db.execute('CREATE TABLE roster (person, name, role, "from", "to")')
db.execute("CREATE TABLE topics (topic, lead)")
db.execute('CREATE TABLE calendar (kind, "from", "to")')
db.execute("CREATE TABLE events (id, time, type, actor, targets, topic, ref)")
db.executemany("INSERT INTO events VALUES (?, ?, 'talk', 's1', ?, NULL, NULL)",
               [("e%05d" % i, "2025-03-03T09:00", "p1;" + "x" * 60) for i in range(3000)])
db.execute("INSERT INTO events VALUES ('m', '2025-03-03T10:00', 'meeting', 's1', NULL, 't1', NULL)")
db.commit()
EOF
printf '%s\n' '{"unit": "", "rule": "lead", "tags": ["L"], "clause": "3", "severity": "must", "subjects": ["t1"], "trigger": "m", "evidence": [], "message": "议题t1没有分管领导"}' >"$want"
zrun "$work" "$mini" big.db --format jsonl
expect "sqlite: the big database (3001 events) itself is fine" 1 "" "$want"
head -c 100000 "$work/big.db" >"$work/truncated.db"
zrun "$work" "$mini" truncated.db
expect "sqlite: a truncated database" 2 "zhidu: truncated.db: not a usable SQLite database: database disk image is malformed" -
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[40960:45056] = b"\xff" * 4096          # page 11: a leaf page of events
open(sys.argv[2], "wb").write(d)' "$work/big.db" "$work/corrupt.db"
zrun "$work" "$mini" corrupt.db
expect "sqlite: a database with a corrupt page" 2 "zhidu: corrupt.db: the database is damaged (PRAGMA quick_check: *** in database main *** Page 11: btreeInitPage() returns error code 11)" -
zrun "$work" "$mini" corrupt.db --on-bad-row skip
expect "sqlite: a corrupt page is not a bad row to skip" 2 "zhidu: corrupt.db: the database is damaged (PRAGMA quick_check: *** in database main *** Page 11: btreeInitPage() returns error code 11)" -

# --on-bad-row skip with SQLite: each bad row named by table and rowid
mkdb "$work/skip.db" --csv "$data/mini_good" --sql "
INSERT INTO roster VALUES ('m1', X'00', '书记', '2025-01-01', NULL);
INSERT INTO events (id, time, type, actor, targets) VALUES ('x1', '2025-03-14 9am', 'talk', 's1', 'p1');
INSERT INTO events (id, time, type, actor, targets) VALUES ('x2', '2025-03-14T09:00', 'tlak', 's1', 'p1');
INSERT INTO events (id, time, type, actor, targets) VALUES ('x3', NULL, 'talk', 's1', 'p1');
INSERT INTO events (id, time, type, actor, targets) VALUES ('x4', '2025-03-14T09:00', 'talk', X'7331', 'p1');
INSERT INTO events (id, time, type, actor, targets) VALUES ('x5', 20250314.5, 'talk', 's1', 'p1');
INSERT INTO events (id, time, type, actor, targets) VALUES ('x6', '2025-03-14T09:00', 'talk', 's1', CAST(X'70E431' AS TEXT));
INSERT INTO events (id, time, type, actor, targets) VALUES ('e03', '2025-03-14T09:00', 'talk', 's1', 'p1');"
zrun "$work" "$mini" skip.db --on-bad-row skip --format jsonl
expect "sqlite --on-bad-row skip: every bad row reported, the good rows give mini_good's report" 1 \
"zhidu: skip.db:roster:rowid 3: column name: expected text, found a blob (row skipped)
zhidu: skip.db:events:rowid 8: column time: malformed timestamp '2025-03-14 9am': expected a time HH:MM (row skipped)
zhidu: skip.db:events:rowid 9: column type: unknown event type 'tlak' (row skipped)
zhidu: skip.db:events:rowid 10: column time: empty time (row skipped)
zhidu: skip.db:events:rowid 11: column actor: expected text, found a blob (row skipped)
zhidu: skip.db:events:rowid 12: column time: expected text, found a real number (row skipped)
zhidu: skip.db:events:rowid 13: column targets: invalid UTF-8 (byte 0xE4 at offset 1) (row skipped)
zhidu: skip.db:events:rowid 14: column id: duplicate event id 'e03' (row skipped)
zhidu: 8 bad rows skipped" "$good_jsonl"
zrun "$work" "$mini" skip.db --on-bad-row skip --format json
if [ "$rc" = 1 ] && python3 -c '
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["summary"]
assert (s["bad_rows_skipped"], s["rows_read"], s["events_read"]) == (8, 20, 7), s' "$tmp/out"
then pass "sqlite --on-bad-row skip: bad_rows_skipped in the json summary"
else fail "sqlite --on-bad-row skip: bad_rows_skipped in the json summary" "exit $rc; $(head -c 300 "$tmp/out")"; fi
zrun "$work" "$mini" skip.db
expect "sqlite --on-bad-row stop: the first bad row" 2 "zhidu: skip.db:roster:rowid 3: column name: expected text, found a blob" -

# ==== once known runtime bugs (all fixed): regression cases ====
if true; then
  # CRLF line ends: line numbers must stay physical line numbers (each CRLF counts twice)
  mkcase known_bug_crlf_lines mini_multiline
  sed -i 's/$/\r/' "$work/known_bug_crlf_lines/events.csv"
  edit_line "$work/known_bug_crlf_lines/events.csv" 11 'e05,2025-03-12T25:00,report,m1,s1,,e04,\r'
  bad known_bug_crlf_lines "zhidu: known_bug_crlf_lines/events.csv:11: column time: malformed timestamp '2025-03-12T25:00': hour, minute or second out of range"
  mkcase crlf_text mini_good && sed -i 's/$/\r/' "$work/crlf_text"/*.csv
  zrun "$work" "$mini" crlf_text
  if grep -qx '  - event e04 at 2025-03-12T09:00:00+08:00 (crlf_text/events.csv:5)' "$tmp/out"; then pass "regression: CRLF line numbers in the text report"
  else fail "regression: CRLF line numbers in the text report" "$(grep -a 'event e04' "$tmp/out")"; fi
  # a run with no violation and nothing pending: exit 0, no output (UBSan:
  # engine.c qsort_r(NULL, 0, ...) on the empty list of violations)
  zrun "$data" mini.zd mini_good --as-of 2025-03-05 --format jsonl
  expect "regression: a clean run" 0 "" -
  # a bad row of a view: "row N", not "rowid 0"
  sqlbad known_bug_view_row "zhidu: known_bug_view_row.db:events:row 4: column type: unknown event type 'incidnet'" \
    "ALTER TABLE events RENAME TO t; CREATE VIEW events AS SELECT * FROM t; UPDATE t SET type = 'incidnet' WHERE id = 'e04'"
  # invalid UTF-8 in the type column is reported as such, not echoed
  mkcase known_bug_utf8_type && edit_line "$work/known_bug_utf8_type/events.csv" 5 'e04,2025-03-12T09:00,incid\xffent,m1,,,'
  bad known_bug_utf8_type "zhidu: known_bug_utf8_type/events.csv:5: column type: invalid UTF-8 (byte 0xFF at offset 5)"
  # a value cut short in a message is cut at a character boundary
  mkcase long_type && edit_line "$work/long_type/events.csv" 5 "e04,2025-03-12T09:00,x$(printf '类%.0s' $(seq 30)),m1,,,"
  zrun "$work" "$mini" long_type
  if [ "$rc" = 2 ] && python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$tmp/err" 2>/dev/null
  then pass "regression: a long value cut in a message stays UTF-8"; else fail "regression: a long value cut in a message stays UTF-8" "stderr is not UTF-8"; fi
  # --unit naming no unit of the data, --from after --as-of: usage errors, not an empty check
  zrun "$data" mini.zd mini_good --unit 数学院
  if [ "$rc" = 2 ]; then pass "regression: --unit with no such unit"; else fail "regression: --unit with no such unit" "exit $rc, an empty report"; fi
  zrun "$data" mini.zd mini_good --from 2025-03-20 --as-of 2025-03-10
  if [ "$rc" = 2 ]; then pass "regression: --from after --as-of"; else fail "regression: --from after --as-of" "exit $rc, an empty report"; fi
fi
