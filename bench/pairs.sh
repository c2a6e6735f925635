#!/usr/bin/env bash
# pairs.sh [MEMBERS] [TALKS] - CPU seconds of rules O12 and O13 of
# rules/gxnu.zd alone (a 谈心谈话 per semester between the principal leaders
# and every member, between every two members) on MEMBERS 班子成员 (default
# 200) and one semester in which one pair has TALKS 谈心谈话 (default 20000)
# and nobody else talks: issue 11, item 13. O13 judges MEMBERS*(MEMBERS-1)/2
# pairs, O12 2*(MEMBERS-1); every pair but the one that talks is a violation.
# docs/performance.md, "Judging". Environment: ZHIDU (default build/zhidu),
# WORK (default build/bench: the data is kept there).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
zhidu=${ZHIDU:-build/zhidu}
m=${1:-200}
t=${2:-20000}
dir=${WORK:-build/bench}/pairs-$m-$t
[ -x "$zhidu" ] || make -s "$zhidu"
if [ ! -f "$dir/events.csv" ]; then
  mkdir -p "$dir"
  python3 - "$m" "$t" "$dir" <<'PY'
import sys
m, t, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(d + "/roster.csv", "w") as f:
    f.write("person,name,role,from,to,areas\n")
    f.write("P000,书记甲,书记,2020-01-01,,\nP001,校长乙,校长,2020-01-01,,\n")
    for i in range(m):
        f.write("P%03d,成员%d,班子成员,2020-01-01,,\n" % (i, i))
with open(d + "/calendar.csv", "w") as f:
    f.write("name,kind,from,to\n2024-2025-1,semester,2024-09-02,2024-09-29\n")
with open(d + "/topics.csv", "w") as f:
    f.write("topic,title,category,lead,areas\n")
with open(d + "/events.csv", "w") as f:
    f.write("id,time,type,actor,targets,observers,kind,topic,outcome,end,ref\n")
    for k in range(t):  # members 5 and 6, within the semester
        f.write("E%d,2024-09-%02d %02d:%02d,communication,P005,P006,,谈心谈话,,,,\n" % (k, 2 + k * 26 // t, 8 + k % 10, k % 60))
    f.write("E%d,2024-10-01 10:00,communication,P005,P007,,个别交流,,,,\n" % t)  # the range ends after the semester
PY
fi
for tag in O12 O13; do
  bash bench/rules_only.sh "$tag" >"$dir/$tag.zd"
  /usr/bin/time -f "%U %S" -o "$dir/time" "$zhidu" run "$dir/$tag.zd" "$dir" --format jsonl --fail-on never \
    >"$dir/report-$tag.jsonl" 2>/dev/null
  read -r user sys <"$dir/time"
  echo "$tag: $m members, $t talks: $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') s CPU, $(wc -l <"$dir/report-$tag.jsonl") violations"
done
