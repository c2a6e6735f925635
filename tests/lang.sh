#!/usr/bin/env bash
# lang.sh ZHIDU - --lang zh|en and the locale rule (runtime/msg.def): the
# Chinese texts (written out here by hand) of a missing data set, a bad row,
# a bad option, the usage, the text summary, the HTML headings, check's
# diagnostics (same codes, places and carets), a refused bytecode file and a
# SQLite error (SQLite's own words kept), each command's --help, the text
# report's rule lines, explain's trail, table files that are not regular
# files of the data folder (zhidu diff: tests/diff.sh); English,
# byte for byte, under --lang en, under no locale and under LANG=C; the
# machine formats the same in both languages. Prints PASS/FAIL per case.
. "$(dirname "$0")/lib.sh"
cd tests/data || exit 2
pass() { echo "PASS lang $1"; }
fail() { echo "FAIL lang $1: $2"; }
# same NAME WANT GOT
same() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "wanted [$2], got [$3]"; fi; }
z() { env -u LC_ALL -u LC_MESSAGES -u LANG "$@"; }

# missing data set
same "zh missing data set" "zhidu: nowhere：数据集不存在（没有这个文件或目录）" \
  "$(z "$zhidu" run mini.zd nowhere --lang zh 2>&1)"
same "en missing data set" "zhidu: nowhere: No such file or directory" "$(z "$zhidu" run mini.zd nowhere --lang en 2>&1)"
same "LANG=zh_CN.UTF-8 gives Chinese" "zhidu: nowhere：数据集不存在（没有这个文件或目录）" \
  "$(z LANG=zh_CN.UTF-8 "$zhidu" run mini.zd nowhere 2>&1)"
same "LC_MESSAGES before LANG" "zhidu: nowhere：数据集不存在（没有这个文件或目录）" \
  "$(z LANG=en_US.UTF-8 LC_MESSAGES=zh_TW "$zhidu" run mini.zd nowhere 2>&1)"
same "LC_ALL=C wins over LANG=zh" "zhidu: nowhere: No such file or directory" \
  "$(z LANG=zh_CN.UTF-8 LC_ALL=C "$zhidu" run mini.zd nowhere 2>&1)"
same "--lang en wins over the locale" "zhidu: nowhere: No such file or directory" \
  "$(z LANG=zh_CN.UTF-8 "$zhidu" run mini.zd nowhere --lang=en 2>&1)"

# a bad row: FILE:LINE: column NAME: …
same "zh bad row" "zhidu: mini_badrows/roster.csv:4: 列 name：不是有效的 UTF-8（字节 0xFF，偏移 0）" \
  "$(z "$zhidu" run mini.zd mini_badrows --lang zh 2>&1)"
z "$zhidu" run mini.zd mini_badrows --lang zh --on-bad-row skip >/dev/null 2>"$tmp/skip"
same "zh bad rows skipped" "zhidu: mini_badrows/events.csv:10: 列 type：未知的事件类型“tlak”（已跳过该行）
zhidu: mini_badrows/events.csv:12: 列 time：时间为空（已跳过该行）" "$(grep -E 'csv:(10|12):' "$tmp/skip")"

# a missing column
cp -r mini_good "$tmp/nocol"
sed -i '1s/,name,/,nom,/' "$tmp/nocol/roster.csv"
same "zh missing column" "zhidu: $tmp/nocol/roster.csv：缺少列 name（字段 name，属于 名册）" \
  "$(z "$zhidu" run mini.zd "$tmp/nocol" --lang zh 2>&1)"

# a bad option, a bad --lang, the usage
same "zh bad option value" "zhidu: --fail-on 只能是 must、in-principle 或 never，而不是“sometimes”
用法：zhidu run POLICY DATA [options]
（详见 'zhidu help run'）" "$(z "$zhidu" run mini.zd mini_good --fail-on sometimes --lang zh 2>&1)"
same "zh bad time" "zhidu: --from：“tuesday”不是 1 到 9999 年间的日期或时间（YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM]）
用法：zhidu run POLICY DATA [options]
（详见 'zhidu help run'）" "$(z "$zhidu" run mini.zd mini_good --from tuesday --lang zh 2>&1)"
same "zh bad option" "zhidu: 未知的选项“--bogus”（命令 run）
用法：zhidu run POLICY DATA [options]
（详见 'zhidu help run'）" "$(z "$zhidu" run mini.zd mini_good --bogus --lang zh 2>&1)"
same "bad --lang" "zhidu: --lang takes zh or en, not 'fr'
usage: zhidu COMMAND [options] [args]
(run 'zhidu help' for the commands)" "$(z "$zhidu" --lang fr help 2>&1)"
same "zh usage first line" "用法：zhidu 命令 [选项] [参数]" "$(z "$zhidu" help --lang zh | head -n 1)"
same "zh did you mean" "zhidu: 未知的命令“chek”
注: 是不是“check”？
用法：zhidu 命令 [选项] [参数]
（命令列表见 'zhidu help'）" "$(z "$zhidu" chek --lang zh 2>&1)"
same "zh command list" "  run       按制度检查数据集（CSV 目录或 SQLite 文件）" "$(z "$zhidu" help --lang zh | grep '^  run ')"
# after "--", --lang is a file name (its read error is file_error()'s, still English)
same "--lang after -- is an argument" "zhidu: 无法读取 --lang：No such file or directory" \
  "$(z "$zhidu" --lang zh fmt -- --lang 2>&1)"

# check: the message in Chinese, the code, place and caret as in English; the
# did-you-mean note too; JSON stays English
sed '/for s in 书记/s/书记/书纪/; s/require present(议题\[T\].lead)/require 议题[T].lead + 2h/' mini.zd >"$tmp/bad.zd"
same "zh check diagnostics" "$tmp/bad.zd:58:12: 错误[E0200]: 未知的名称“书纪”
    for s in 书纪 throughout 周, p in 校长 throughout 周
             ^~~~
注: 是不是“书记”？
$tmp/bad.zd:85:11: 错误[E0202]: 不能把 person 和 duration 相加
    require 议题[T].lead + 2h
            ^~~~~~~~~~~~~~~~~" "$(z "$zhidu" check "$tmp/bad.zd" --lang zh 2>&1)"
same "en check diagnostics" "$tmp/bad.zd:58:12: error[E0200]: unknown name '书纪'
    for s in 书纪 throughout 周, p in 校长 throughout 周
             ^~~~
note: did you mean '书记'?
$tmp/bad.zd:85:11: error[E0202]: cannot add person and duration
    require 议题[T].lead + 2h
            ^~~~~~~~~~~~~~~~~" "$(z LANG=C "$zhidu" check "$tmp/bad.zd" 2>&1)"
z "$zhidu" check --format json "$tmp/bad.zd" --lang zh >"$tmp/zh.json" 2>&1
z "$zhidu" check --format json "$tmp/bad.zd" --lang en >"$tmp/en.json" 2>&1
if cmp -s "$tmp/zh.json" "$tmp/en.json" && grep -q "unknown name '书纪'" "$tmp/en.json"; then pass "check json English in zh"
else fail "check json English in zh" "differs"; fi
printf 'policy p {\n  title "t"\n  document "d"\n  effective 2024-01-01\n  timezone "+08:00"\n}\nrule r { every week require /* \001 */ true }\n' >"$tmp/ctl.zd"
same "zh control character in a comment" "$tmp/ctl.zd:7:32: 错误[E0002]: 控制字符 0x01 出现在注释中" \
  "$(z "$zhidu" check "$tmp/ctl.zd" --lang zh 2>&1 | grep E0002)"

printf 'policy p {\n  title "t"\n  document "d"\n  effective 2024-01-01\n  timezone "+08:00"\n}\ntable t 3 { a: id }\n' >"$tmp/syn.zd"
same "zh syntax error" "$tmp/syn.zd:7:9: 错误[E0100]: 意外的 整数，应为 字符串
  table t 3 { a: id }
          ^" "$(z "$zhidu" check "$tmp/syn.zd" --lang zh 2>&1 | head -n 3)"

# a report that cannot be written
same "zh output refused" "zhidu: 无法写入 /dev/null：字符设备，不是普通文件（zhidu 只替换普通文件）" \
  "$(z "$zhidu" run mini.zd mini_good --output /dev/null --lang zh 2>&1)"

# zhidu test: the errors in Chinese; FAIL lines and the count are the format
mkdir "$tmp/zt" && cp mini.zd "$tmp/zt/"
printf 'policy mini.zd\ncase one\n  violated nosuch window 2024-01-01\n' >"$tmp/zt/a.zdtest"
printf 'policy mini.zd\nbogus x\n' >"$tmp/zt/b.zdtest"
same "zh zdtest errors" "FAIL a.zdtest:2: one
a.zdtest:3: 制度中没有规则或标签“nosuch”
FAIL b.zdtest:2: 未知的指令“bogus”（可以用：policy、data、table、from、as-of、unit、case、violated、kept、pending、exempt）
0 passed, 2 failed" "$(cd "$tmp/zt" && z "$zhidu" test --lang zh 2>&1)"

# every bad file of tests/check: under --lang zh the same exit code, codes,
# places, carets and notes as in English, every message and note other than
# the English one; --format json the same in both
cat >"$tmp/pair.py" <<'PY'
import re, sys
en, zh = (open(f, encoding="utf-8").read().splitlines() for f in sys.argv[1:3])
head = re.compile(r"^((?:[^ ]*:\d+:\d+: )?)(error|warning|note|错误|警告|注)(\[[A-Z0-9]+\])?: (.*)$")
ok = len(en) == len(zh)
for a, b in zip(en, zh):
    ma, mb = head.match(a), head.match(b)
    if not ma or not mb:
        ok = ok and a == b and not mb            # source and caret lines: the same
    else:
        ok = ok and ma.group(1) == mb.group(1) and ma.group(3) == mb.group(3) and mb.group(2) in ("错误", "警告", "注") \
             and ma.group(4) != mb.group(4)
sys.exit(0 if ok else 1)
PY
bad=""
for f in "$root"/tests/check/bad/*.zd; do
  z "$zhidu" check "$f" --lang en >"$tmp/c.en" 2>&1; ren=$?
  z "$zhidu" check "$f" --lang zh >"$tmp/c.zh" 2>&1; rzh=$?
  if [ $ren -ne $rzh ] || ! python3 "$tmp/pair.py" "$tmp/c.en" "$tmp/c.zh"; then bad="$bad $(basename "$f")"; continue; fi
  if [ "$(z "$zhidu" check --format json "$f" --lang zh 2>&1)" != "$(z "$zhidu" check --format json "$f" --lang en 2>&1)" ]; then
    bad="$bad $(basename "$f")(json)"; fi
done
same "zh check of every bad file: same codes, places and carets" "" "$bad"

# a refused bytecode file; a SQLite file SQLite cannot read (its words kept)
printf 'garbage' >"$tmp/bad.zbc"
same "zh bytecode refused" "$tmp/bad.zbc: 错误：字节码被拒绝：文件头：不是 zhidu 字节码文件（魔数不对）" \
  "$(z "$zhidu" run "$tmp/bad.zbc" mini_good --lang zh 2>&1)"
same "en bytecode refused" "$tmp/bad.zbc: error: bytecode: header: not a zhidu bytecode file (bad magic bytes)" \
  "$(z "$zhidu" run "$tmp/bad.zbc" mini_good 2>&1)"
printf 'SQLite format 3\000garbage garbage garbage' >"$tmp/bad.db"
same "zh SQLite error" "zhidu: $tmp/bad.db：不是可用的 SQLite 数据库：file is not a database" \
  "$(z "$zhidu" run mini.zd "$tmp/bad.db" --lang zh 2>&1)"

# English byte for byte: --lang en, no locale, LANG=C
for f in text json jsonl csv; do
  z "$zhidu" run mini.zd mini_good --format $f --lang en >"$tmp/en" 2>&1
  z "$zhidu" run mini.zd mini_good --format $f >"$tmp/none" 2>&1
  z LANG=C "$zhidu" run mini.zd mini_good --format $f >"$tmp/c" 2>&1
  if cmp -s "$tmp/en" "$tmp/none" && cmp -s "$tmp/en" "$tmp/c"; then pass "$f English in every default"; else fail "$f English in every default" "differs"; fi
  z "$zhidu" run mini.zd mini_good --format $f --lang zh >"$tmp/zh" 2>&1
  case $f in
    text) if grep -q '^摘要$' "$tmp/zh" && grep -q '^  合计：违规 ' "$tmp/zh" && grep -q '^summary$' "$tmp/en"; then pass "text summary in Chinese"
          else fail "text summary in Chinese" "$(tail -n 3 "$tmp/zh")"; fi ;;
    *) if cmp -s "$tmp/en" "$tmp/zh"; then pass "$f machine fields the same in zh"; else fail "$f machine fields the same in zh" "differs"; fi ;;
  esac
done

# HTML: Chinese headings with --lang zh, English with --lang en
z "$zhidu" run mini.zd mini_good --format html --lang zh --output "$tmp/zh.html" 2>/dev/null
z "$zhidu" run mini.zd mini_good --format html --lang en --output "$tmp/en.html" 2>/dev/null
if grep -q '<html lang="zh-CN">' "$tmp/zh.html" && grep -q '合规报告' "$tmp/zh.html" && grep -q '各单位统计' "$tmp/zh.html"; then pass "html zh headings"
else fail "html zh headings" "missing"; fi
if grep -q '<html lang="en">' "$tmp/en.html" && grep -q 'Compliance report' "$tmp/en.html" && grep -q 'Counts per unit' "$tmp/en.html" &&
   ! grep -q '各单位统计' "$tmp/en.html"; then pass "html en headings"; else fail "html en headings" "missing"; fi

# each command's --help: usage, description and option texts in Chinese; the
# option names, placeholders and values as typed
same "zh run --help usage" "用法：zhidu run POLICY DATA [options]" "$(z "$zhidu" run --help --lang zh | head -n 1)"
same "zh run --help option" "  --unit U                           只检查单位 U" "$(z "$zhidu" run --help --lang zh | grep -- '^  --unit ')"
same "zh run --help choices" "  --fail-on must|in-principle|never  哪些违规使退出码为 1（默认 in-principle）" \
  "$(z "$zhidu" run --help --lang zh | grep -- '^  --fail-on ')"
same "zh help fmt from the locale" "把每个规则文件重排成标准格式（只改空白；注释留在原处），与 run --output
一样安全地写入。退出码 0：完成（或在 --check 下每个文件都已是标准格式）；" "$(z LANG=zh_CN.UTF-8 "$zhidu" help fmt | sed -n 3,4p)"
same "zh help's own lines" "选项：
  --lang zh|en                       消息的语言（默认取自 LC_ALL、LC_MESSAGES 或 LANG）
  -h, --help                         显示本帮助" "$(z "$zhidu" lsp --help --lang zh | tail -n 4 | grep -v stdio)"
cat >"$tmp/help.py" <<'PY'
import re, subprocess, sys
zhidu = sys.argv[1]
def helptext(c, lang):
    return subprocess.run([zhidu, c, "--help", "--lang", lang], capture_output=True, text=True).stdout.splitlines()
bad = []
for c in ["check", "compile", "disasm", "run", "explain", "fmt", "test", "merge", "diff", "lsp", "help"]:
    en, zh = helptext(c, "en"), helptext(c, "zh")
    eo = [l for l in en if l.startswith("  -")]
    zo = [l for l in zh if l.startswith("  -")]
    desc = zh[2:zh.index("选项：") - 1] if "选项：" in zh else []
    if (len(eo) != len(zo) or any(a[:37] != b[:37] or a[37:] == b[37:] or not re.search("[\u4e00-\u9fff]", b[37:]) for a, b in zip(eo, zo))
            or not desc or any(not re.search("[\u4e00-\u9fff]", l) for l in desc) or zh[0] != en[0].replace("usage: ", "用法：")):
        bad.append(c)
print(" ".join(bad))
PY
same "zh --help of every command: same options, every text Chinese" "" "$(z python3 "$tmp/help.py" "$zhidu")"

# the text report's lines (the clause and the rule's message are the rule file's)
z "$zhidu" run mini.zd mini_good --lang zh >"$tmp/zh.txt" 2>&1
same "zh text report head" "mini — 数据测试用小制度（测〔2025〕1号）
数据集：mini_good

== weekly [W] 原则上 — 违规 1 条" "$(head -n 4 "$tmp/zh.txt")"
same "zh text report triggered" "== prompt [R] 必须 — 违规 1 条
   2 事件发生后须在2小时内向书记报告。
  - 事件 e04（2025-03-12T09:00:00+08:00，mini_good/events.csv:5）
    m1未在2h内就e04向王书记(s1)报告
    当事人：m1、王书记(s1)" "$(sed -n '/^== prompt/,/^$/p' "$tmp/zh.txt" | sed '$d')"
same "zh text report summary rules" "  weekly                   原则上       违规 1 条，待定 0 项
  prompt                   必须         违规 1 条，待定 1 项
  lead                     必须         违规 3 条，待定 0 项" "$(grep -E '^  (weekly|prompt|lead) ' "$tmp/zh.txt")"
z "$zhidu" run "$root/rules/gxnu.zd" "$root/examples/gxnu" --lang zh --fail-on never >"$tmp/gxnu.txt" 2>&1
same "zh text report evidence" "    证据：E0203 $root/examples/gxnu/events.csv:204" "$(grep -m1 '^    证据：' "$tmp/gxnu.txt")"
z "$zhidu" run "$root/rules/gxnu.zd" "$root/examples/colleges" --lang zh --fail-on never >"$tmp/colleges.txt" 2>&1
same "zh text report units" "#### 单位 化学与药学学院
#### 单位 外国语学院
#### 单位 数学与统计学院
#### 单位 文学院" "$(grep '^####' "$tmp/colleges.txt")"
if grep -qE '(subjects|evidence|violations?|event|data): |in-principle|must ' "$tmp/zh.txt" "$tmp/gxnu.txt"; then
  fail "zh text report: no English words" "$(grep -m3 -E '(subjects|evidence|violations?|event|data): |in-principle|must ' "$tmp/zh.txt" "$tmp/gxnu.txt")"
else pass "zh text report: no English words"; fi

# explain: the trail's words (the rule's source text stays)
z "$zhidu" explain mini.zd mini_good --rule weekly --lang zh >"$tmp/ex.txt" 2>&1
same "zh explain kept" "   for s in 书记 throughout 周：王书记(s1)（共 1 个：王书记(s1)）" "$(sed -n 3p "$tmp/ex.txt")"
same "zh explain selection" "     检查了 1 个事件，1 个符合：e01
     结果：成立" "$(sed -n 7,8p "$tmp/ex.txt")"
same "zh explain nearest miss" "     结果：不成立
     最接近的：e01 (talk, 2025-03-03T09:00:00+08:00, mini_good/events.csv:2)
       不成立：e.time in 周" "$(sed -n '/— 违反/,$p' "$tmp/ex.txt" | sed -n 8,10p)"
same "zh explain nothing at --at" "zhidu: weekly 没有符合条件的判定（没有判定过它的周期或触发事件，在 --at 所指之处）" \
  "$(z "$zhidu" explain mini.zd mini_good --rule weekly --at 2030-01-01 --lang zh 2>&1)"

# a table file that is not a regular file inside the data folder; a rule file that is a FIFO
cp -r mini_good "$tmp/links"
mv "$tmp/links/roster.csv" "$tmp/roster.csv"
ln -s "$tmp/roster.csv" "$tmp/links/roster.csv"
same "zh table file outside the folder" "zhidu: $tmp/links/roster.csv：是指向 $tmp/roster.csv 的符号链接，在数据文件夹之外" \
  "$(z "$zhidu" run mini.zd "$tmp/links" --lang zh 2>&1)"
rm "$tmp/links/roster.csv"
mkfifo "$tmp/links/roster.csv" "$tmp/fifo.zd"
same "zh table file a FIFO" "zhidu: $tmp/links/roster.csv：命名管道（FIFO），不是普通文件" "$(z "$zhidu" run mini.zd "$tmp/links" --lang zh 2>&1)"
same "en table file a FIFO" "zhidu: $tmp/links/roster.csv: a FIFO, not a regular file" "$(z "$zhidu" run mini.zd "$tmp/links" 2>&1)"
same "zh rule file a FIFO" "zhidu: 无法读取 $tmp/fifo.zd：不是普通文件" "$(z "$zhidu" check "$tmp/fifo.zd" --lang zh 2>&1)"
same "en rule file a FIFO" "zhidu: cannot read $tmp/fifo.zd: not a regular file" "$(z "$zhidu" check "$tmp/fifo.zd" 2>&1)"
