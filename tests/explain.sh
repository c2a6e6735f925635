#!/usr/bin/env bash
# explain.sh ZHIDU - tests of `zhidu explain` over tests/data/explain (mini.zd,
# two units; tests/data/README.md says what each row is for) and
# examples/gxnu: a violated periodic rule (the period, the events examined,
# the nearest miss and the condition it failed), a kept one, a trigger chosen
# by --at EVENT-ID, --unit, the JSON form field by field, and bad input. Every
# expected output below was worked out by hand from the CSV rows.
. "$(dirname "$0")/lib.sh"
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
data=tests/data/explain
policy=tests/data/mini.zd

# check NAME WANT_RC EXPECTED_STDOUT EXPECTED_STDERR_GREP ARGS...: exit code,
# stdout exactly, and stderr holding a line (empty: stderr must be empty)
check() {
  local name=$1 want_rc=$2 want_out=$3 want_err=$4
  shift 4
  "$zhidu" explain "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? why=""
  [ "$rc" = "$want_rc" ] || why="exit $rc, expected $want_rc"
  [ "$(cat "$tmp/out")" = "$want_out" ] || why="$why; stdout:
$(cat "$tmp/out")
--- expected:
$want_out"
  if [ -z "$want_err" ]; then
    [ -s "$tmp/err" ] && why="$why; unexpected stderr: $(cat "$tmp/err")"
  else
    grep -qF -- "$want_err" "$tmp/err" || why="$why; stderr lacks '$want_err': $(cat "$tmp/err")"
  fi
  if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why"; fi
}

# 1. weekly, violated: in 文学院 the week of 2025-03-10 has one talk, t2, from
# s1 to o1 (not the president p1). The selection reads all three talks of the
# unit (t1, t2, t3): each fails one condition; t2, inside the week, is nearest,
# and the condition it fails is the pair of people.
check "periodic rule violated: period, examined, nearest miss, failed condition" 0 \
"== weekly [W] 1 — violated
   unit: 文学院
   period 周: 2025-03-10T00:00:00+08:00 … 2025-03-17T00:00:00+08:00
   for s in 书记 throughout 周: 施书记(s1) (of 1: 施书记(s1))
   for p in 校长 throughout 周: 潘院长(p1) (of 1: 潘院长(p1))
   require exists(e: talk where e.time in 周 and (e.actor == s and p in e.targets or e.actor == p and s in e.targets))
   exists(e: talk where e.time in 周 and (e.actor == s and p in e.targets or e.actor == p and s in e.targets))
     examined 3 events, 0 matched
     result: false
     nearest miss: t2 (talk, 2025-03-11T10:00:00+08:00, tests/data/explain/events.csv:3)
       false: e.actor == s and p in e.targets or e.actor == p and s in e.targets" "" \
  $policy $data --rule weekly --unit 文学院 --at 2025-03-12

# 2. kept: the week of 2025-03-03 holds t1 (s1 to p1), the first talk read:
# exists stops there, having examined one event.
check "periodic rule kept, --at an event of the period" 0 \
"== weekly [W] 1 — kept
   unit: 文学院
   period 周: 2025-03-03T00:00:00+08:00 … 2025-03-10T00:00:00+08:00
   for s in 书记 throughout 周: 施书记(s1) (of 1: 施书记(s1))
   for p in 校长 throughout 周: 潘院长(p1) (of 1: 潘院长(p1))
   require exists(e: talk where e.time in 周 and (e.actor == s and p in e.targets or e.actor == p and s in e.targets))
   exists(e: talk where e.time in 周 and (e.actor == s and p in e.targets or e.actor == p and s in e.targets))
     examined 1 event, 1 matched: t1
     result: true" "" \
  $policy $data --rule W --at t1

# 3. a trigger by --at EVENT-ID, in both units (the id i1 is in each): in
# 文学院, p1's incident at 09:00 has two reports: r2 at 10:00 by s1 to p1
# (actor and target wrong: two conditions false) and r1 at 12:00 by p1 to s1,
# an hour after the 2h limit (one false): r1 is the nearest miss. In 理学院,
# r1 at 10:00 by p2 to s2 keeps the rule (the only report there).
check "triggered rule by --at EVENT-ID, both units" 0 \
"== prompt [R] 2 — violated
   unit: 文学院
   trigger e: i1 (incident, 2025-03-12T09:00:00+08:00, tests/data/explain/events.csv:4)
   for y in 书记 at e.time: 施书记(s1) (of 1: 施书记(s1))
   require exists(r: report where r.ref == e.id and r.actor == e.actor and y in r.targets and r.time >= e.time and r.time <= e.time + 时限)
   exists(r: report where r.ref == e.id and r.actor == e.actor and y in r.targets and r.time >= e.time and r.time <= e.time + 时限)
     examined 2 events, 0 matched
     result: false
     nearest miss: r1 (report, 2025-03-12T12:00:00+08:00, tests/data/explain/events.csv:6)
       false: r.time <= e.time + 时限
== prompt [R] 2 — kept
   unit: 理学院
   trigger e: i1 (incident, 2025-03-12T09:00:00+08:00, tests/data/explain/events.csv:10)
   for y in 书记 at e.time: 李书记(s2) (of 1: 李书记(s2))
   require exists(r: report where r.ref == e.id and r.actor == e.actor and y in r.targets and r.time >= e.time and r.time <= e.time + 时限)
   exists(r: report where r.ref == e.id and r.actor == e.actor and y in r.targets and r.time >= e.time and r.time <= e.time + 时限)
     examined 1 event, 1 matched: r1
     result: true" "" \
  $policy $data --rule prompt --at i1

# 4. --unit keeps one unit's verdicts: 理学院 keeps weekly in both weeks judged
# (the third week is not whole in the range). Talks are read in time order
# until one matches: u1 in the first week; u1 (the week before) then u2 in the second.
"$zhidu" explain $policy $data --rule weekly --unit 理学院 >"$tmp/out" 2>&1; rc=$?
got=$(grep -E '^(==|   unit|     examined)' "$tmp/out" | tr '\n' '|')
want="== weekly [W] 1 — kept|   unit: 理学院|     examined 1 event, 1 matched: u1|== weekly [W] 1 — kept|   unit: 理学院|     examined 2 events, 1 matched: u2|"
[ $rc -eq 0 ] && [ "$got" = "$want" ] && pass "--unit 理学院" || fail "--unit 理学院" "exit $rc, $got"

# 5. --format json, parsed and checked field by field
"$zhidu" explain $policy $data --rule prompt --at i1 --unit 文学院 --format json >"$tmp/json" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && pass "json exit 0" || fail "json exit 0" "exit $rc: $(cat "$tmp/err")"
python3 - "$tmp/json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
def check(name, got, want):
    print(("PASS " if got == want else "FAIL ") + "json " + name + ("" if got == want else ": got %r, want %r" % (got, want)))
check("top-level fields", sorted(doc), ["data", "policy", "rule", "verdicts"])
check("policy", doc["policy"], "tests/data/mini.zd")
check("rule asked", doc["rule"], "prompt")
check("one verdict", len(doc["verdicts"]), 1)
v = doc["verdicts"][0]
check("verdict fields", sorted(v), ["bindings", "clauses", "context", "require", "rule", "selections", "tags", "unit", "verdict"])
check("rule", v["rule"], "prompt")
check("tags", v["tags"], ["R"])
check("clauses", v["clauses"], ["2"])
check("unit", v["unit"], "文学院")
check("verdict", v["verdict"], "violated")
c = v["context"]
check("context name", c["name"], "e")
check("context period", c["period"], None)
check("context trigger", c["trigger"], {"id": "i1", "type": "incident", "time": "2025-03-12T09:00:00+08:00",
                                        "source": "tests/data/explain/events.csv", "loc": 4})
check("bindings", v["bindings"], [{"names": ["y"], "in": "书记 at e.time", "value": ["s1"], "range": ["s1"]}])
check("require", v["require"], "exists(r: report where r.ref == e.id and r.actor == e.actor and y in r.targets and r.time >= e.time and r.time <= e.time + 时限)")
check("one selection", len(v["selections"]), 1)
s = v["selections"][0]
check("selection kind", s["kind"], "exists")
check("selection variable", s["variable"], "r")
check("conditions", s["conditions"], ["r.ref == e.id", "r.actor == e.actor", "y in r.targets", "r.time >= e.time", "r.time <= e.time + 时限"])
check("examined", s["examined"], 2)
check("matched", s["matched"], [])
check("matched_count", s["matched_count"], 0)
check("result", s["result"], False)
check("nearest miss event", s["nearest_miss"]["event"]["id"], "r1")
check("nearest miss loc", s["nearest_miss"]["event"]["loc"], 6)
check("nearest miss failed", s["nearest_miss"]["failed"], ["r.time <= e.time + 时限"])
PY
# a kept verdict: matched and no nearest miss
"$zhidu" explain $policy $data --rule prompt --at i1 --unit 理学院 --format json >"$tmp/json2" 2>/dev/null
python3 -c '
import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8"))["verdicts"][0]; s = v["selections"][0]
ok = v["verdict"] == "kept" and s["matched"] == ["r1"] and s["matched_count"] == 1 and s["result"] is True and s["nearest_miss"] is None and s["examined"] == 1
print(("PASS" if ok else "FAIL") + " json kept verdict: matched r1, no nearest miss" + ("" if ok else ": %r" % v))' "$tmp/json2"

# 6. gxnu: O11 on E0223, a plan approved by a vice president (E0221); 13
# approvals in the log, all examined, each with a ref other than E0220 except
# E0221, whose only false condition is the approver's role.
"$zhidu" explain rules/gxnu.zd examples/gxnu --rule O11 --at E0223 >"$tmp/out" 2>&1; rc=$?
grep -q '^     examined 13 events, 0 matched$' "$tmp/out" && grep -q '^     nearest miss: E0221 (approval' "$tmp/out" &&
  grep -q '^       false: a.actor in 主要领导(a.time)$' "$tmp/out" && [ $rc -eq 0 ] &&
  pass "gxnu O11 at E0223: nearest miss E0221, not approved by a principal" || fail "gxnu O11" "exit $rc: $(cat "$tmp/out")"
# a tag takes its sub-tags: O15 is O15.leave and O15.delegation
n=$("$zhidu" explain rules/gxnu.zd examples/gxnu --rule O15 --format json | python3 -c '
import json, sys; print(sorted({v["rule"] for v in json.load(sys.stdin)["verdicts"]}))')
[ "$n" = "['外出请假', '长期外出委托代管']" ] && pass "--rule O15 takes O15.leave and O15.delegation" || fail "--rule O15" "$n"

# 7. bad input
check "unknown rule: did you mean" 2 "" "note: did you mean 'weekly'?" $policy $data --rule weekyl
check "unknown rule names the policy" 2 "" "--rule: no rule or tag 'weekyl' in tests/data/mini.zd" $policy $data --rule weekyl
check "--at neither an event nor a time" 2 "" "--at: 'nosuch' is neither an event id in tests/data/explain nor a time" $policy $data --rule weekly --at nosuch
check "no verdict matches: exit 1" 1 "" "zhidu: no verdict of lead matches" $policy $data --rule lead
check "no verdict at --at: exit 1" 1 "" "zhidu: no verdict of weekly matches" $policy $data --rule weekly --at 2025-03-18
check "--rule is required" 2 "" "explain needs a policy, a data set and --rule RULE" $policy $data
check "bytecode refused" 2 "" "explain needs the rule file (.zd), not bytecode: 'x.zbc'" x.zbc $data --rule weekly
check "unknown unit" 2 "" "--unit: no events of unit '化学院'" $policy $data --rule weekly --unit 化学院
check "data set missing" 2 "" "zhidu: " $policy tests/data/nosuch --rule weekly
check "bad --format value" 2 "" "--format takes" $policy $data --rule weekly --format xml

# 8. run is unchanged by explain's existence: its report of the same data
"$zhidu" run $policy $data --format jsonl >"$tmp/run" 2>/dev/null
[ "$(wc -l <"$tmp/run")" -eq 2 ] && grep -q '"rule": "weekly"' "$tmp/run" && grep -q '"rule": "prompt"' "$tmp/run" &&
  pass "run reports the two violations explain explains" || fail "run" "$(cat "$tmp/run")"

# 9. explain judges nothing itself: over examples/gxnu, the verdicts it calls
# violated and pending are, rule by rule, as many as run reports (51 and 4,
# examples/gxnu/expected.jsonl holds the 51), though its scans read every event.
"$zhidu" run rules/gxnu.zd examples/gxnu --format json >"$tmp/run.json" 2>/dev/null
python3 - "$zhidu" "$tmp/run.json" <<'PY'
import collections, json, subprocess, sys
run = json.load(open(sys.argv[2], encoding="utf-8"))
want = collections.Counter((v["rule"], "violated") for v in run["violations"])
want.update((v["rule"], "pending") for v in run["pending"])
got = collections.Counter()
for i in range(1, 18):
    out = subprocess.run([sys.argv[1], "explain", "rules/gxnu.zd", "examples/gxnu", "--rule", "O%d" % i, "--format", "json"],
                         capture_output=True, text=True).stdout
    got.update((v["rule"], v["verdict"]) for v in json.loads(out)["verdicts"] if v["verdict"] != "kept")
ok = got == want and sum(c for (r, k), c in want.items() if k == "violated") == 51
print(("PASS" if ok else "FAIL") + " explain's violated and pending verdicts are run's, rule by rule" +
      ("" if ok else ": run %r, explain %r" % (want - got, got - want)))
PY
