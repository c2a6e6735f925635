#!/usr/bin/env bash
# diff.sh ZHIDU - `zhidu diff`: small pairs of rule files, one kind of change
# each (header, renames, roles, parameters, rules added, removed, disabled,
# overridden, replaced), the stricter/looser decisions, --data over
# tests/data/mini_good, JSON read back by python3, the text in Chinese
# (--lang zh; JSON the same in both), and bad input. Every
# expected output below was worked out by hand from the files written here.
# Prints PASS/FAIL per check.
. "$(dirname "$0")/lib.sh"
cd "$tmp"
cp "$root/tests/data/mini.zd" base.zd
data=$root/tests/data/mini_good

# check NAME WANT_RC ARGS... : stdout must equal the file "want", the exit code WANT_RC
check() {
  local name=$1 want_rc=$2
  shift 2
  "$zhidu" diff "$@" >got 2>err
  local rc=$?
  if [ "$rc" = "$want_rc" ] && cmp -s got want; then echo "PASS diff $name"
  else echo "FAIL diff $name: exit $rc (want $want_rc)"; diff want got | head -20; head -5 err; fi
}

# variant NAME SED-SCRIPT : base.zd edited into NAME.zd (the edit must change the file)
variant() {
  sed "$2" base.zd >"$1.zd"
  cmp -s base.zd "$1.zd" && echo "FAIL diff variant $1: the edit changed nothing"
}

# ---- nothing changed ----
cat >want <<'EOF'
--- base.zd
+++ base.zd
no changes
EOF
check "identical files: no changes, exit 0" 0 base.zd base.zd
# layout and comments only: the compiled policies are the same
sed -e 's/^  //' -e 's/^rule lead {/\/\/ a comment\nrule lead {/' base.zd >layout.zd
cat >want <<'EOF'
--- base.zd
+++ layout.zd
no changes
EOF
check "layout and comments only: no changes" 0 base.zd layout.zd

# ---- an adaptation: header, renames, a parameter, an override, a disable ----
cat >child.zd <<'EOF'
extends "base.zd"
policy child {
  title    "子单位"
  document "子〔2025〕1号"
}
rename role 书记 to 院书记
rename rule weekly to 每周
set 时限 = 1h
override rule weekly {
  every month as 周
}
disable rule lead because "不适用"
EOF
# weekly (clause 1): `every week` -> `every month`, a longer period: looser;
# prompt (clause 2) reads 时限 in require (r.time <= e.time + 时限) and deadline:
# 2h -> 1h is stricter; lead (clause 3) disabled: looser.
cat >want <<'EOF'
--- base.zd
+++ child.zd
policy:
  policy: mini → child
  title: 数据测试用小制度 → 子单位
  document: 测〔2025〕1号 → 子〔2025〕1号
renamed:
  role 书记 → 院书记
  rule weekly → 每周
parameters:
  时限: 2h → 1h
rules, by clause:
  1
    每周: overridden (every) — looser: every: week → month
  2
    prompt: changed (require, deadline) — stricter: require: 时限 (2h) → 时限 (1h)
  3
    lead: disabled because "不适用" — looser
9 changes
EOF
check "an adaptation" 1 base.zd child.zd

# the same as JSON
"$zhidu" diff base.zd child.zd --format json >child.json
python3 - child.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
c = d["changes"]
by = {(x["kind"], x.get("new") or x.get("name") or x.get("old")): x for x in c}
ok = (d["old"] == "base.zd" and d["new"] == "child.zd" and len(c) == 9
      and by[("header", "child")]["old"] == "mini"
      and by[("rename", "院书记")] == {"kind": "rename", "what": "role", "old": "书记", "new": "院书记"}
      and by[("rename", "每周")]["what"] == "rule" and by[("rename", "每周")]["old"] == "weekly"
      and by[("param", "时限")] == {"kind": "param", "what": "set", "name": "时限", "old_value": "2h", "new_value": "1h"}
      and by[("rule", "每周")]["what"] == "overridden" and by[("rule", "每周")]["direction"] == "looser"
      and by[("rule", "每周")]["parts"] == "every" and by[("rule", "每周")]["clause"] == "1"
      and by[("rule", "prompt")]["direction"] == "stricter"
      and by[("rule", "lead")]["what"] == "disabled" and by[("rule", "lead")]["reason"] == "不适用"
      and by[("rule", "lead")]["direction"] == "looser" and "only_new" not in d)
print("PASS diff --format json" if ok else "FAIL diff --format json: " + json.dumps(d, ensure_ascii=False)[:1500])
PY

# ---- one change at a time: what decides stricter or looser ----
# rule_case NAME SED-SCRIPT LINE : base.zd edited, the one rules line expected under clause CLAUSE
rule_case() {
  local name=$1 edit=$2 clause=$3 line=$4
  variant "$name" "$edit"
  printf -- '--- base.zd\n+++ %s.zd\nrules, by clause:\n  %s\n    %s\n1 change\n' "$name" "$clause" "$line" >want
  check "$name" 1 base.zd "$name.zd"
}
rule_case "a shorter deadline alone is stricter" 's/deadline e.time + 时限/deadline e.time + 1h/' 2 \
  "prompt: changed (deadline) — stricter: deadline: 时限 (2h) → 1h"
rule_case "a longer deadline alone is looser" 's/deadline e.time + 时限/deadline e.time + 3h/' 2 \
  "prompt: changed (deadline) — looser: deadline: 时限 (2h) → 3h"
rule_case "a longer time limit inside require is looser" 's/r.time <= e.time + 时限/r.time <= e.time + 1d/' 2 \
  "prompt: changed (require) — looser: require: 时限 (2h) → 1d"
rule_case "an offset added to a time: not comparable" 's/r.time >= e.time and/r.time >= e.time + 10min and/' 2 \
  "prompt: changed (require) — not comparable: require: e.time → e.time + 10min"
rule_case "a longer period is looser" 's/every week as 周/every 2 weeks as 周/' 1 \
  "weekly: changed (every) — looser: every: week → 2 weeks"
rule_case "a shorter period is stricter" 's/every week as 周/every day as 周/' 1 \
  "weekly: changed (every) — stricter: every: week → day"
rule_case "no exemption is stricter" '/unless overlaps 校历/d' 1 \
  "weekly: changed (unless) — stricter: unless: unless overlaps 校历 where kind == vacation → (none)"
rule_case "a larger exemption (… or …) is looser" 's/where kind == vacation/where kind == vacation or kind == semester/' 1 \
  "weekly: changed (unless) — looser: unless: kind == vacation → kind == vacation or kind == semester"
rule_case "a condition added with and is looser" 's/when present(e.actor)/when present(e.actor) and e.actor != "m9"/' 2 \
  "prompt: changed (when) — looser: when: present(e.actor) → present(e.actor) and e.actor != \"m9\""
rule_case "no condition is stricter" '/when present(e.actor)/d' 2 \
  "prompt: changed (when) — stricter: when: when present(e.actor) → (none)"
rule_case "a filter on the subjects dropped is stricter" 's/for y in 书记 at e.time where y != e.actor/for y in 书记 at e.time/' 2 \
  "prompt: changed (for) — stricter: for: y != e.actor → (none)"
rule_case "more event types trigger: stricter" 's/on e: incident$/on e: incident or report/' 2 \
  "prompt: changed (on) — stricter: on: on e: incident → on e: incident or report"
rule_case "severity lowered is looser" '/^rule prompt/,/^}/s/severity must/severity in-principle/' 2 \
  "prompt: changed (severity) — looser: severity: must → in-principle"
rule_case "a message only: same checks" 's/议题{T}没有分管领导/议题{T}缺分管领导/' 3 \
  "lead: changed (message) — same checks"
rule_case "a changed subject list: not comparable" 's/subjects e.actor, y/subjects e.actor/' 2 \
  "prompt: changed (subjects) — not comparable: subjects: subjects e.actor, y → subjects e.actor"
rule_case "a time limit and a deadline pulling both ways: not comparable" \
  's/r.time <= e.time + 时限/r.time <= e.time + 1h/; s/deadline e.time + 时限/deadline e.time + 3h/' 2 \
  "prompt: changed (require, deadline) — not comparable: require: 时限 (2h) → 1h"

# a required count: higher is stricter, lower looser (a pair of its own)
sed 's/require exists(e: talk where e.time in 周/require count(e: talk where e.time in 周/; s/s in e.targets))$/s in e.targets)) >= 2/' base.zd >count2.zd
sed 's/>= 2$/>= 3/' count2.zd >count3.zd
cat >want <<'EOF'
--- count2.zd
+++ count3.zd
rules, by clause:
  1
    weekly: changed (require) — stricter: require: 2 → 3
1 change
EOF
check "a higher required count is stricter" 1 count2.zd count3.zd
printf -- '--- count3.zd\n+++ count2.zd\nrules, by clause:\n  1\n    weekly: changed (require) — looser: require: 3 → 2\n1 change\n' >want
check "a lower required count is looser" 1 count3.zd count2.zd

# ---- rules and roles added, removed, replaced ----
sed '/^rule lead {/,$d' base.zd >nolead.zd
printf -- '--- base.zd\n+++ nolead.zd\nrules, by clause:\n  3\n    lead: removed — looser\n1 change\n' >want
check "a rule removed is looser" 1 base.zd nolead.zd
printf -- '--- nolead.zd\n+++ base.zd\nrules, by clause:\n  3\n    lead: added — stricter\n1 change\n' >want
check "a rule added is stricter" 1 nolead.zd base.zd
variant roles 's/^role 书记, 校长$/role 书记, 校长, 秘书/'
printf -- '--- base.zd\n+++ roles.zd\nroles and bodies:\n  added role 秘书\n1 change\n' >want
check "a role added" 1 base.zd roles.zd
# declarations: an enumeration value, an event type, a table's field type, a definition
variant decls 's/enum 日历类别 { semester, vacation }/enum 日历类别 { semester, vacation, holiday }/; s/^event meeting  { actor, topic }$/event meeting  { actor, topic }\nevent memo     { actor }/; s/^  lead:  person$/  lead:  text/; s/^param 时限: duration = 2h$/param 时限: duration = 2h\ndef 近(d: duration) = d/'
printf -- '--- base.zd\n+++ decls.zd\ndeclarations:\n  changed enum 日历类别\n  added event memo\n  changed table 议题\n  added def 近\n4 changes\n' >want
check "declarations changed and added" 1 base.zd decls.zd
printf -- '--- decls.zd\n+++ base.zd\ndeclarations:\n  changed enum 日历类别\n  removed event memo\n  changed table 议题\n  removed def 近\n4 changes\n' >want
check "declarations removed" 1 decls.zd base.zd
cat >replace.zd <<'EOF'
extends "base.zd"
replace rule lead {
  tags L
  clause "3" "上会议题须有分管领导。"
  severity must
  on m: meeting
  for T in m.topic
  require present(议题[T])
  subjects T
  message "议题{T}不在议题表中"
}
EOF
printf -- '--- base.zd\n+++ replace.zd\nrules, by clause:\n  3\n    lead: replaced (require, message) — not comparable: require: 议题[T].lead → 议题[T]\n1 change\n' >want
check "a replaced rule" 1 base.zd replace.zd
cat >param.zd <<'EOF'
extends "base.zd"
set 时限 = 2h
EOF
printf -- '--- base.zd\n+++ param.zd\nno changes\n' >want
check "a parameter set to its own value changes nothing" 0 base.zd param.zd

# ---- --data: the verdicts only one side reports, renames followed ----
cat >adapt.zd <<'EOF'
extends "base.zd"
rename rule prompt to 报告
set 时限 = 1h
EOF
# mini_good: incident e02 at 10:00, its report e03 at 03:30Z = 11:30 (+08:00):
# in time within 2h, late within 1h. e04 (reported 3h later) is violated under
# either limit, and e07 pending under both: those match across the rename.
cat >want <<EOF
--- base.zd
+++ adapt.zd
renamed:
  rule prompt → 报告
parameters:
  时限: 2h → 1h
rules, by clause:
  2
    报告: changed (require, deadline) — stricter: require: 时限 (2h) → 时限 (1h)
verdicts over $data:
  only with base.zd (0):
  only with adapt.zd (1):
    violation 报告 on e02 [m1, s1]
      m1未在1h内就e02向王书记(s1)报告
3 changes, 0 verdicts only with the old policy, 1 only with the new
EOF
check "--data lists the verdicts only one side reports" 1 base.zd adapt.zd --data "$data"
# the same two in Chinese: the words and headings translated by hand; the
# keywords (policy, title, every, require, deadline) and the rule text stay
cat >want <<'EOF'
--- base.zd
+++ child.zd
制度：
  policy：mini → child
  title：数据测试用小制度 → 子单位
  document：测〔2025〕1号 → 子〔2025〕1号
重命名：
  角色 书记 → 院书记
  规则 weekly → 每周
参数：
  时限：2h → 1h
规则（按条款）：
  1
    每周：覆盖（every） — 更松：every: week → month
  2
    prompt：改动（require, deadline） — 更严：require: 时限 (2h) → 时限 (1h)
  3
    lead：停用，理由“不适用” — 更松
9 处改动
EOF
check "an adaptation in Chinese" 1 base.zd child.zd --lang zh
cat >want <<EOF
--- base.zd
+++ adapt.zd
重命名：
  规则 prompt → 报告
参数：
  时限：2h → 1h
规则（按条款）：
  2
    报告：改动（require, deadline） — 更严：require: 时限 (2h) → 时限 (1h)
在 $data 上的判定：
  只有 base.zd 报告的（0 个）：
  只有 adapt.zd 报告的（1 个）：
    违规   报告 触发事件 e02 [m1, s1]
      m1未在1h内就e02向王书记(s1)报告
3 处改动，只有旧制度报告的判定 0 个，只有新制度报告的 1 个
EOF
check "--data in Chinese" 1 base.zd adapt.zd --data "$data" --lang zh
printf -- '--- base.zd\n+++ base.zd\n没有改动\n' >want
check "no changes in Chinese" 0 base.zd base.zd --lang zh
"$zhidu" diff base.zd child.zd --format json --lang zh >child_zh.json
"$zhidu" diff base.zd child.zd --format json --lang en >child_en.json
cmp -s child_en.json child_zh.json && echo "PASS diff json the same under --lang zh" || echo "FAIL diff json the same under --lang zh"
"$zhidu" diff base.zd adapt.zd --data "$data" --format json >adapt.json
python3 - adapt.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
ok = (d["only_old"] == [] and d["only_new"] == [{"unit": "", "rule": "报告", "status": "violation", "trigger": "e02",
                                                  "subjects": ["m1", "s1"], "message": "m1未在1h内就e02向王书记(s1)报告"}]
      and [c["kind"] for c in d["changes"]] == ["rename", "param", "rule"])
print("PASS diff --data --format json" if ok else "FAIL diff --data --format json: " + json.dumps(d, ensure_ascii=False)[:1500])
PY
cat >want <<EOF
--- base.zd
+++ base.zd
verdicts over $data:
  only with base.zd (0):
  only with base.zd (0):
no changes
EOF
check "--data with the same policy: no changes, exit 0" 0 base.zd base.zd --data "$data"

# ---- every rule file of the repository that compiles has no changes against itself ----
n=0; bad=""
while read -r f; do
  "$zhidu" check "$root/$f" >/dev/null 2>&1 || continue
  n=$((n + 1))
  "$zhidu" diff "$root/$f" "$root/$f" >got 2>&1 || bad="$bad $f"
done < <(cd "$root" && git ls-files '*.zd' 2>/dev/null || find rules examples tests -name '*.zd')
[ "$n" -gt 10 ] && [ -z "$bad" ] && echo "PASS diff each of $n rule files against itself: no changes" \
  || echo "FAIL diff rule files against themselves ($n):$bad"

# a condition of 240 conjuncts against the same in another shape: answered at once (no blow-up)
python3 - <<'PY'
base = open("base.zd", encoding="utf-8").read()
conj = " and ".join('e.actor != "x%d"' % i for i in range(240))
open("long1.zd", "w", encoding="utf-8").write(base.replace("when present(e.actor)", "when present(e.actor) and " + conj))
open("long2.zd", "w", encoding="utf-8").write(base.replace("when present(e.actor)", "when (" + conj + ") or present(e.actor)"))
PY
timeout 60 "$zhidu" diff long1.zd long2.zd >got 2>err
rc=$?
[ "$rc" = 1 ] && grep -q "prompt: changed (when) — not comparable" got && echo "PASS diff a long condition in another shape" \
  || echo "FAIL diff a long condition in another shape: exit $rc $(head -c 300 got err)"

# ---- bad input: exit 2 and a message ----
: >want
check "a missing file" 2 base.zd missing.zd
grep -qx "zhidu: cannot read missing.zd: No such file or directory" err && echo "PASS diff a missing file is named" \
  || echo "FAIL diff a missing file is named: $(cat err)"
sed 's/require present(议题\[T\].lead)/require present(议题[T].nobody)/' base.zd >bad.zd
check "a rule file with errors" 2 bad.zd base.zd
grep -q "^bad.zd:.*error" err && echo "PASS diff the error's diagnostic is printed" || echo "FAIL diff the error's diagnostic is printed: $(cat err)"
check "one file only" 2 base.zd
grep -q "diff needs two rule files" err && echo "PASS diff one file: usage message" || echo "FAIL diff one file: usage message: $(cat err)"
"$zhidu" diff base.zd --lang zh 2>&1 | grep -q "diff 需要两个规则文件" && echo "PASS diff one file: usage message in Chinese" \
  || echo "FAIL diff one file: usage message in Chinese"
check "three files" 2 base.zd base.zd base.zd
check "an unknown format" 2 base.zd base.zd --format xml
check "data that cannot be read" 2 base.zd base.zd --data "$tmp/nowhere"
grep -q "nowhere" err && echo "PASS diff unreadable data is named" || echo "FAIL diff unreadable data is named: $(cat err)"
