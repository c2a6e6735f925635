#!/usr/bin/env bash
# locks.sh [EVENTS] - CPU seconds and peak RSS of `zhidu run bench/locks.zd`
# on a lock trace of EVENTS events (default 40000): acquire/release pairs over
# 4 locks and 8 threads, one release in a thousand by another thread. The
# rule asks for the latest acquisition of the released lock strictly before
# the release: docs/performance.md, "`latest` from the limit backwards".
# Environment: ZHIDU (default build/zhidu). Data is kept in build/bench/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
zhidu=${ZHIDU:-build/zhidu}
n=${1:-40000}
dir=build/bench/locks-$n
[ -x "$zhidu" ] || make -s "$zhidu"
if [ ! -f "$dir/events.csv" ]; then
  mkdir -p "$dir"
  python3 - "$n" "$dir/events.csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
r = random.Random(1)
def ts(t):
    return "2024-01-%02dT%02d:%02d:%02dZ" % (1 + t // 86400, t // 3600 % 24, t // 60 % 60, t % 60)
with open(path, "w") as f:
    f.write("id,time,type,actor,ref\n")
    for i in range(n // 2):
        lock, thread = "L%d" % r.randrange(4), "T%d" % r.randrange(8)
        f.write("a%d,%s,acq,%s,%s\n" % (i, ts(2 * i + 1), thread, lock))
        f.write("r%d,%s,rel,%s,%s\n" % (i, ts(2 * i + 2), thread if r.random() < 0.999 else "T9", lock))
PY
fi
/usr/bin/time -f "%U %S %M" -o "$dir/time" "$zhidu" run bench/locks.zd "$dir" --format jsonl --fail-on never >"$dir/report.jsonl"
read -r user sys rss <"$dir/time"
echo "$n events: $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') s CPU, $rss KiB peak, $(wc -l <"$dir/report.jsonl") violations"
