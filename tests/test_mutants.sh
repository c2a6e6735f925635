#!/usr/bin/env bash
# test_mutants.sh ZHIDU - the tests under rules/tests pin the regulation:
# `zhidu test rules/tests` passes on rules/gxnu.zd as it is, and fails on
# each mutant below (a parameter, a weekday, a role or one condition of a
# rule changed or dropped). Each mutant is a copy of rules/ with one edit;
# it must still compile (so the failure is a verdict the tests caught, not a
# syntax error) and the edit must change the file.
# Prints "PASS mutants NAME" or "FAIL mutants NAME: why" per check.
. "$(dirname "$0")/lib.sh"

pass() { echo "PASS mutants $1"; }
fail() { echo "FAIL mutants $1: $2"; }

if (cd rules && "$zhidu" test tests >"$tmp/out" 2>&1); then
  pass original
else
  fail original "zhidu test rules/tests fails on the unchanged rules: $(tail -n 5 "$tmp/out")"
fi

# mutant_of FILE NAME OLD NEW : replace the one occurrence of OLD by NEW in
# a copy of rules/FILE
mutant_of() {
  local file=$1 name=$2 old=$3 new=$4 dir=$tmp/$2
  rm -rf "$dir"
  cp -r rules "$dir"
  if ! OLD=$old NEW=$new python3 - "$dir/$file" <<'PY'
import os, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
old, new = os.environ["OLD"], os.environ["NEW"]
if text.count(old) != 1:
    sys.exit("the text to change occurs %d times" % text.count(old))
open(path, "w", encoding="utf-8").write(text.replace(old, new))
PY
  then
    fail "$name" "cannot make the mutant"
    return
  fi
  if cmp -s "rules/$file" "$dir/$file"; then fail "$name" "the mutant is the original"; return; fi
  if ! "$zhidu" check "$dir/$file" 2>"$tmp/err"; then fail "$name" "the mutant does not compile: $(head -n 3 "$tmp/err")"; return; fi
  (cd "$dir" && "$zhidu" test tests >"$tmp/out" 2>&1)
  local rc=$?
  if [ "$rc" -eq 1 ] && grep -q '^FAIL ' "$tmp/out" && grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed$' "$tmp/out"; then
    pass "$name"
  else
    fail "$name" "zhidu test did not catch it (exit $rc): $(tail -n 2 "$tmp/out")"
  fi
}
mutant() { mutant_of gxnu.zd "$@"; }

# parameters
mutant emergency-2h-to-3h 'param 应急报告时限: duration = 2h' 'param 应急报告时限: duration = 3h'
mutant hindered-72h-to-73h 'param 受阻报告时限: duration = 72h' 'param 受阻报告时限: duration = 73h'
mutant long-absence-3d-to-4d 'param 长期外出: duration = 3d' 'param 长期外出: duration = 4d'
mutant long-absence-3d-to-2d 'param 长期外出: duration = 3d' 'param 长期外出: duration = 2d'
# a weekday, a period, a count
mutant monday-to-tuesday 'require weekday(m.time) == monday' 'require weekday(m.time) == tuesday'
mutant biweekly-to-3-weeks 'every 2 weeks from 校历' 'every 3 weeks from 校历'
mutant yearly-to-month 'every year as 年度
  require exists(m: meeting where m.kind == 民主生活会' 'every month as 年度
  require exists(m: meeting where m.kind == 民主生活会'
# roles
mutant o3-no-office-director '| 党委办公室主任 at m.time | 校长办公室主任' '| 校长办公室主任'
mutant o9-only-the-secretary 'r.targets & 主要领导(e.time) != {}' 'r.targets & 书记 at e.time != {}'
mutant o11-any-approver 'and a.actor in 主要领导(a.time) and a.time <= i.time' 'and a.time <= i.time'
# conditions dropped
mutant o1-no-vacation-exemption 'every week as 周
  unless overlaps 校历 where kind == vacation' 'every week as 周'
mutant o4-consultation-after-meeting 'exists(c: consultation where c.time <= m.time and T in c.topic
                 and c.actor in 书记 at m.time' 'exists(c: consultation where T in c.topic
                 and c.actor in 书记 at m.time'
mutant o5-either-direction 'and c.actor in 校长 at m.time and c.targets & 书记 at m.time != {})' 'and c.targets & 书记 at m.time | 校长 at m.time != {})'
mutant o6-no-disagreement-check 'require c.outcome != disagree' 'require true'
mutant o7-lead-consults-self 'where x != 议.lead and 名册.areas' 'where 名册.areas'
mutant o8-any-meeting 'exists(d: meeting where d.kind == 讨论会 and d.actor' 'exists(d: meeting where d.actor'
mutant o10-no-lower-bound 'and y in r.targets
                 and r.time >= e.time and' 'and y in r.targets
                 and'
mutant o12-any-communication 'require exists(e: communication where e.kind == 谈心谈话 and e.time in 学期 and 沟通(e, y, x))' 'require exists(e: communication where e.time in 学期 and 沟通(e, y, x))'
mutant o14-handover-after-leaving 'y in h.targets and h.time <= e.time)' 'y in h.targets)'
mutant o15-leave-without-approval 'and exists(a: approval where a.ref == q.id and a.outcome == approved' 'and exists(a: approval where a.ref == q.id'
mutant o16-any-topic 'm.kind == 述职述廉会 and m.time in 年度 and 本制度文号 in m.topic' 'm.kind == 述职述廉会 and m.time in 年度'
mutant o17-any-later-meeting 'm.kind in {党委常委会, 校长办公会} and m.time > e.time' 'm.time > e.time'
# the unit's adaptation
mutant_of units/wenxueyuan.zd unit-emergency-1h-to-2h 'set 应急报告时限 = 1h' 'set 应急报告时限 = 2h'
mutant_of units/wenxueyuan.zd unit-catchup-fortnightly 'every week as 周期' 'every 2 weeks as 周期'
mutant_of units/wenxueyuan.zd unit-life-meeting-enabled 'disable rule 民主生活会 because "学院的年度民主生活会由学校统一组织和检查"' ''
mutant_of units/wenxueyuan.zd unit-no-body-rename 'rename body 校长办公会 to 党政联席会' ''
