#!/usr/bin/env python3
"""make_data.py - the bundled example data set for rules/gxnu.zd.

Writes, beside this script, events.csv, roster.csv, topics.csv, calendar.csv
(the CSV form of docs/data.md) and gxnu.db (the
same rows as SQLite tables events/roster/topics/calendar).

    python3 examples/gxnu/make_data.py              # write the data set
    python3 examples/gxnu/make_data.py --out DIR    # ... into DIR instead
    python3 examples/gxnu/make_data.py --expected   # print the violations the
                                                    # scenario was written to
                                                    # produce (hand reading)

The scenario is written deliberately, not drawn at random. It follows the
university leadership team of 广西师范大学 through the academic year 2024-2025
(semesters 2024-2025-1 and 2024-2025-2, the winter and summer vacations). The
log starts on 2023-12-29 and ends on 2026-01-05 so that it also covers the
calendar years 2024 and 2025 whole: the yearly checks (O16.life, O16.report)
are judged only for a calendar year that lies entirely in the checked range,
and each of them must be both broken and kept once, which takes two judged
years. The semester 2023-2024-2 before it is judged like any other; the
semester 2025-2026-1 after it ends after the last event and is not judged.

Regular business (the weekly talk of the secretary and the president, the
catch-up meeting every other Monday, the heart-to-heart talks of every
semester, the consultations before each meeting) is produced by loops; every
departure from it is written out by hand below, with a comment naming the tag
it breaks or keeps and why. Every intended violation is also declared with
violation(...), which is what --expected prints; README.md lists them.
"""
import datetime as dt
import os
import sys

sys.dont_write_bytecode = True     # no examples/__pycache__ beside the data
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
import datagen  # noqa: E402  (examples/datagen.py)
from datagen import D, week  # noqa: E402

REG = "师党〔2018〕12号"

# ----------------------------------------------------------------- people
# 工号 (staff numbers) as person ids.
HUANG = "19880031"   # 黄志明  党委书记 (书记) throughout
CHEN = "19910207"    # 陈立新  校长 until 2025-04-15 (leaves the team)
ZHOU = "20250001"    # 周文华  校长 from 2025-04-15 (appointed from outside)
LIU = "19950118"     # 刘海燕  党委副书记: 宣传, 统战, 学生工作
MO = "19930422"      # 莫振华  党委副书记: 组织, 工会
WEI = "19970305"     # 韦春梅  纪委书记: 纪检, 审计
MENG = "19960711"    # 蒙志强  副校长: 教学, 招生就业
QIN = "19990520"     # 覃桂芳  副校长: 科研, 研究生
LIANG = "19920815"   # 梁永平  副校长: 基建, 后勤, 资产
TANG = "20010903"    # 唐晓东  副校长: 财务, 国际交流 (+ 校友 from 2024-11-01)
DENG = "20030128"    # 邓丽萍  副校长: 安全稳定, 信息化
LUO = "20050612"     # 罗敏    党委办公室主任
SU = "20060309"      # 苏伟    校长办公室主任
# Heads of departments: not on the roster (not team members, not directors).
LU_ZZB = "20080417"  # 卢国庆  组织部部长
LU_JJC = "20100315"  # 陆建军  基建处处长
LI_HQC = "20090611"  # 黎明辉  后勤处处长
LAN_FGC = "20120720"  # 蓝海涛 发展规划处处长
XIE_RSC = "20130105"  # 谢婷   人事处处长
NONG_XGB = "20140923"  # 农志刚 学生工作部部长
GAN_YJS = "20071130"  # 甘雨   研究生院院长

NAMES = {
    HUANG: "黄志明", CHEN: "陈立新", ZHOU: "周文华", LIU: "刘海燕", MO: "莫振华",
    WEI: "韦春梅", MENG: "蒙志强", QIN: "覃桂芳", LIANG: "梁永平", TANG: "唐晓东",
    DENG: "邓丽萍", LUO: "罗敏", SU: "苏伟", LU_ZZB: "卢国庆", LU_JJC: "陆建军",
    LI_HQC: "黎明辉", LAN_FGC: "蓝海涛", XIE_RSC: "谢婷", NONG_XGB: "农志刚",
    GAN_YJS: "甘雨",
}

PRESIDENT_CHANGE = "2025-04-15"
TANG_SPLIT = "2024-11-01"

# person, role, from, to, areas. An empty `from` means "since always"
# (docs/regulation.md, edge case 6). 唐晓东's 班子成员 row is split on 2024-11-01 when
# he also takes charge of 校友 (alumni affairs): holding a role for a whole
# period needs ONE row covering it, so he is not in M[a,b) for the semester
# 2024-2025-1 and O12/O13 do not judge his pairs there.
ROSTER = [
    (HUANG, "书记", "2021-06-01", "", ""),
    (HUANG, "班子成员", "2021-06-01", "", "干部"),
    (CHEN, "校长", "2019-03-01", PRESIDENT_CHANGE, ""),
    (CHEN, "班子成员", "2019-03-01", PRESIDENT_CHANGE, "发展规划;人事"),
    (ZHOU, "校长", PRESIDENT_CHANGE, "", ""),
    (ZHOU, "班子成员", PRESIDENT_CHANGE, "", "发展规划;人事"),
    (LIU, "班子成员", "2020-09-01", "", "宣传;统战;学生工作"),
    (MO, "班子成员", "", "", "组织;工会"),
    (WEI, "班子成员", "2022-01-10", "", "纪检;审计"),
    (MENG, "班子成员", "2018-07-01", "", "教学;招生就业"),
    (QIN, "班子成员", "2021-12-20", "", "科研;研究生"),
    (LIANG, "班子成员", "2017-05-01", "", "基建;后勤;资产"),
    (TANG, "班子成员", "2023-03-01", TANG_SPLIT, "财务;国际交流"),
    (TANG, "班子成员", TANG_SPLIT, "", "财务;国际交流;校友"),
    (DENG, "班子成员", "2023-07-01", "", "安全稳定;信息化"),
    (LUO, "党委办公室主任", "2022-03-01", "", ""),
    (SU, "校长办公室主任", "2021-09-01", "", ""),
]

# ----------------------------------------------------------------- calendar
CALENDAR = [
    ("2023-2024-1", "semester", "2023-09-04", "2024-01-20"),
    ("2023-2024寒假", "vacation", "2024-01-20", "2024-02-26"),
    ("2023-2024-2", "semester", "2024-02-26", "2024-07-06"),
    ("2024暑假", "vacation", "2024-07-06", "2024-09-02"),
    ("2024-2025-1", "semester", "2024-09-02", "2025-01-18"),
    ("2024国庆假期", "vacation", "2024-10-01", "2024-10-08"),
    ("2024-2025寒假", "vacation", "2025-01-18", "2025-02-17"),
    ("2024-2025-2", "semester", "2025-02-17", "2025-07-05"),
    ("2025暑假", "vacation", "2025-07-05", "2025-09-01"),
    ("2025-2026-1", "semester", "2025-09-01", "2026-01-17"),
    ("2025国庆中秋假期", "vacation", "2025-10-01", "2025-10-09"),
    ("2025-2026寒假", "vacation", "2026-01-17", "2026-03-02"),
    # the catch-up meeting cycle restarts on the first Monday of each semester
    ("碰头会周期2023-2024-2", "cycle-anchor", "2024-02-26", ""),
    ("碰头会周期2024-2025-1", "cycle-anchor", "2024-09-02", ""),
    ("碰头会周期2024-2025-2", "cycle-anchor", "2025-02-17", ""),
    ("碰头会周期2025-2026-1", "cycle-anchor", "2025-09-01", ""),
]

# ----------------------------------------------------------------- topics
# topic, title, category, lead, areas
TOPICS = [
    ("YT24-01", "2024年学校预算安排", "三重一大;行政", TANG, "财务;资产"),
    ("YT24-02", "中层干部换届选拔任用工作方案", "三重一大;党建", MO, "组织;干部"),
    ("YT24-03", "学校“十四五”规划中期评估", "长远发展", CHEN, "发展规划"),
    ("YT24-04", "学生宿舍空调安装及收费方案", "师生权益;行政", LIANG, "后勤;学生工作;财务"),
    ("YT24-05", "新校区二期工程建设项目", "三重一大;长远发展", LIANG, "基建;财务;资产"),
    ("YT24-06", "2024年党建工作要点", "党建", MO, "组织"),
    ("YT24-07", "本科教育教学审核评估迎评工作方案", "行政", MENG, "教学"),
    ("YT24-08", "科研经费管理办法（修订）", "行政;师生权益", QIN, "科研;财务"),
    ("YT24-09", "意识形态工作责任制实施细则", "党建", LIU, "宣传"),
    ("YT24-10", "教职工绩效工资分配改革方案", "三重一大;师生权益", CHEN, "人事;财务"),
    ("YT24-11", "校园安全隐患专项整治方案", "行政", DENG, "安全稳定"),
    ("YT24-12", "附属中学合作办学协议", "三重一大", MENG, "教学;资产"),
    ("YT24-13", "校友会馆建设项目", "三重一大", LIANG, "基建;校友"),
    ("YT24-14", "研究生奖助学金评定办法", "师生权益", QIN, "研究生;学生工作;财务"),
    ("YT24-15", "巡视整改工作方案", "党建", WEI, "纪检"),
    ("YT24-16", "引进高层次人才专项经费", "三重一大", CHEN, "人事;财务"),
    ("YT25-01", "2025年学校预算安排", "三重一大;行政", TANG, "财务;资产;人事"),
    ("YT25-02", "学院设置调整方案", "三重一大;长远发展", CHEN, "发展规划;教学"),
    ("YT25-03", "学生心理健康教育工作方案", "师生权益;党建", LIU, "学生工作;安全稳定;后勤"),
    ("YT25-04", "校园网络安全等级保护建设项目", "三重一大", DENG, "信息化;财务"),
    ("YT25-05", "干部选拔任用工作规定", "党建", MO, "组织;干部"),
    ("YT25-06", "学生公寓物业服务招标", "三重一大;师生权益", LIANG, "后勤;学生工作;财务"),
    ("YT25-07", "2025届毕业生就业工作方案", "行政", MENG, "招生就业"),
    ("YT25-08", "高层次人才引进计划", "长远发展", ZHOU, "人事;发展规划"),
    ("YT25-09", "“十五五”发展规划编制方案", "三重一大;长远发展", ZHOU, "发展规划;教学;科研"),
    ("YT25-10", "教师专业技术职务评审办法（修订）", "师生权益;行政", ZHOU, "人事;教学"),
    ("YT25-11", "学校章程修订", "长远发展;党建", HUANG, "发展规划;组织"),
    ("YT25-12", "学生食堂餐饮价格调整", "师生权益", LIANG, "后勤"),
    ("YT25-13", "基层党组织书记抓党建述职评议办法", "党建", MO, "组织"),
    ("YT25-14", "实验室安全管理办法", "行政", DENG, "安全稳定;教学"),
]

# ----------------------------------------------------------------- events
# Events are keyed by a symbolic "key"; ids are given at the end. violation()
# declares what the scenario is written to produce.
DATA = datagen.DataSet("gxnu.db", id_format="E%04d")
ev = DATA.ev
violation = DATA.violation
talkmeet = DATA.discussion    # a 讨论会 convened by actor (O8)

VACATIONS = [(D(f), D(t)) for (_, k, f, t) in CALENDAR if k == "vacation"]
SEMESTERS = {n: (D(f), D(t)) for (n, k, f, t) in CALENDAR if k == "semester"}


def in_vacation(d):
    return any(f <= d < t for (f, t) in VACATIONS)


def week_overlaps_vacation(monday):
    return any(monday < t and monday + dt.timedelta(days=7) > f for (f, t) in VACATIONS)


def president(d):
    return CHEN if d < D(PRESIDENT_CHANGE) else ZHOU


def members(d):
    """班子成员 at the start of day d (the roster above, read by hand)."""
    m = [HUANG, president(d), LIU, MO, WEI, MENG, QIN, LIANG, TANG, DENG]
    return m


# Absences of team members (person, from, to) - used only to keep the regular
# business realistic (nobody talks or meets while away).
AWAY = datagen.Absences()
away = AWAY.has


# =================================================================== scenario
# The first event: the 2023 year-end report meeting. R0 = 2023-12-29T00:00.
# The calendar year 2023 is not judged (it starts before R0).
ev("sz2023", "2023-12-29 15:00", "meeting", HUANG,
   [CHEN, LIU, MO, WEI, MENG, QIN, LIANG, TANG, DENG], [LUO, SU], "述职述廉会",
   ["2023年度班子述职述廉", REG], note="2023年度领导班子述职述廉会（2023年不在检查范围内，不判定）")

# ------------------------------------------------------------ absences
# O14: a principal leader is away -> hands over to the other before leaving.
ev("ab_huang1_h", "2024-03-15 17:00", "handover", HUANG, [CHEN], ref="ab_huang1",
   note="黄志明出差前向陈立新通报并交接工作")
ev("ab_huang1", "2024-03-18 08:00", "absence", HUANG, kind="出差", end="2024-03-20 18:00",
   note="黄志明赴北京出差")
# O14 KEPT: handover 03-15 <= departure 03-18.
AWAY.append((HUANG, D("2024-03-18"), D("2024-03-20")))

ev("ab_chen1", "2024-06-24 08:00", "absence", CHEN, kind="学习", end="2024-06-28 18:00",
   note="陈立新参加自治区高校校长专题研修班")
# O14 BROKEN: no handover at all for 陈立新's study week.
violation("O14", [CHEN, HUANG], trigger="ab_chen1",
          why="校长陈立新外出学习，没有任何 handover 指向该 absence")
AWAY.append((CHEN, D("2024-06-24"), D("2024-06-28")))

ev("ab_huang2", "2024-11-04 08:00", "absence", HUANG, kind="出差", end="2024-11-07 20:00",
   note="黄志明赴南宁参加自治区党委会议")
ev("ab_huang2_h", "2024-11-04 10:00", "handover", HUANG, [CHEN], ref="ab_huang2",
   note="黄志明出发后才电话交接工作")
# O14 BROKEN: the handover (10:00) comes after the departure (08:00).
violation("O14", [HUANG, CHEN], trigger="ab_huang2",
          why="交接在出发之后（h.time > e.time）")
AWAY.append((HUANG, D("2024-11-04"), D("2024-11-07")))

ev("ab_chen2_h", "2025-03-21 16:00", "handover", CHEN, [HUANG], ref="ab_chen2",
   note="陈立新出差前向黄志明交接")
ev("ab_chen2", "2025-03-24 07:00", "absence", CHEN, kind="出差", end="2025-03-26 21:00",
   note="陈立新赴上海考察")
# O14 KEPT.
AWAY.append((CHEN, D("2025-03-24"), D("2025-03-26")))

ev("ab_zhou1_h", "2025-06-02 17:30", "handover", ZHOU, [HUANG], ref="ab_zhou1",
   note="周文华出差前向黄志明交接")
ev("ab_zhou1", "2025-06-03 08:00", "absence", ZHOU, kind="出差", end="2025-06-06 18:00",
   note="周文华赴教育部汇报工作")
# O14 KEPT (the new president; L(e.time) = {黄志明, 周文华}).
AWAY.append((ZHOU, D("2025-06-03"), D("2025-06-06")))

ev("ab_huang3_h", "2025-09-19 16:00", "handover", HUANG, [ZHOU, LIU], ref="ab_huang3",
   note="黄志明学习前向周文华、刘海燕交接")
ev("ab_huang3", "2025-09-22 08:00", "absence", HUANG, kind="学习", end="2025-09-26 18:00",
   note="黄志明参加中央党校专题培训")
# O14 KEPT.
AWAY.append((HUANG, D("2025-09-22"), D("2025-09-26")))

# O15: other members ask a principal leader for leave; 3 days or more: delegate.
ev("ab_liu1_q", "2024-03-20 10:00", "leave_request", LIU, [HUANG], ref="ab_liu1",
   note="刘海燕向黄志明请假")
ev("ab_liu1_a", "2024-03-21 09:00", "approval", HUANG, outcome="approved", ref="ab_liu1_q",
   note="黄志明批准刘海燕请假")
ev("ab_liu1_d", "2024-03-22 11:00", "delegation", LIU, [MO], ref="ab_liu1",
   note="刘海燕委托莫振华代管学生工作")
ev("ab_liu1", "2024-03-25 08:00", "absence", LIU, kind="学习", end="2024-03-28 08:00",
   note="刘海燕参加自治区高校思政工作培训（整3天）")
# O15.leave KEPT (approved by the secretary before leaving);
# O15.delegation KEPT: exactly 3 days (end - time = 3d >= 3d) and delegated to 莫振华.
AWAY.append((LIU, D("2024-03-25"), D("2024-03-28")))

ev("ab_wei1_q", "2024-05-06 09:00", "leave_request", WEI, [CHEN], ref="ab_wei1",
   note="韦春梅向陈立新请假")
ev("ab_wei1_a", "2024-05-07 10:00", "approval", CHEN, outcome="approved", ref="ab_wei1_q",
   note="陈立新批准")
ev("ab_wei1", "2024-05-08 08:00", "absence", WEI, kind="出差", end="2024-05-09 18:00",
   note="韦春梅赴柳州出差")
# O15.leave KEPT (approved by the president); O15.delegation not judged (< 3 days).
AWAY.append((WEI, D("2024-05-08"), D("2024-05-09")))

ev("ab_qin1", "2024-09-23 08:00", "absence", QIN, kind="出差", end="2024-09-27 20:00",
   note="覃桂芳赴西安参加学术会议")
# O15.leave BROKEN: no leave request at all.
violation("O15.leave", [QIN], trigger="ab_qin1", why="没有 leave_request")
# O15.delegation BROKEN: 4.5 days away, no delegation.
violation("O15.delegation", [QIN], trigger="ab_qin1", why="外出4天半，没有 delegation")
AWAY.append((QIN, D("2024-09-23"), D("2024-09-27")))

ev("ab_meng1_q", "2024-10-14 15:00", "leave_request", MENG, [LIANG], ref="ab_meng1",
   note="蒙志强向副校长梁永平请假")
ev("ab_meng1_a", "2024-10-15 09:00", "approval", LIANG, outcome="approved", ref="ab_meng1_q",
   note="梁永平（非主要领导）批准")
ev("ab_meng1", "2024-10-16 08:00", "absence", MENG, kind="出差", end="2024-10-18 08:00",
   note="蒙志强赴桂林各校区调研")
# O15.leave BROKEN: the approval is by 梁永平, who is not a principal leader.
# O15.delegation not judged: exactly 2 days.
violation("O15.leave", [MENG], trigger="ab_meng1", why="批准人梁永平不是主要领导")
AWAY.append((MENG, D("2024-10-16"), D("2024-10-18")))

ev("ab_liang1_q", "2025-02-24 10:00", "leave_request", LIANG, [HUANG], ref="ab_liang1",
   note="梁永平向黄志明请假参加中青班")
ev("ab_liang1_a", "2025-02-25 09:00", "approval", HUANG, outcome="approved", ref="ab_liang1_q",
   note="黄志明批准")
ev("ab_liang1_d", "2025-02-27 15:00", "delegation", LIANG, [LU_JJC], ref="ab_liang1",
   note="梁永平委托基建处处长陆建军代管基建工作")
ev("ab_liang1", "2025-03-03 08:00", "absence", LIANG, kind="学习", end="2025-04-30 18:00",
   note="梁永平参加自治区党委党校中青年干部培训班（两个月）")
# O15.leave KEPT. O15.delegation BROKEN: the only delegation goes to 陆建军,
# a department head, not another team member.
violation("O15.delegation", [LIANG], trigger="ab_liang1",
          why="委托对象陆建军不是班子成员")
AWAY.append((LIANG, D("2025-03-03"), D("2025-04-30")))

ev("ab_tang1_q", "2025-05-12 10:00", "leave_request", TANG, [ZHOU], ref="ab_tang1",
   note="唐晓东向周文华请假出访")
ev("ab_tang1_d", "2025-05-16 16:00", "delegation", TANG, [QIN], ref="ab_tang1",
   note="唐晓东委托覃桂芳代管财务工作")
ev("ab_tang1", "2025-05-19 07:30", "absence", TANG, kind="出差", end="2025-05-26 22:00",
   note="唐晓东率团出访东盟高校")
ev("ab_tang1_a", "2025-05-19 10:00", "approval", ZHOU, outcome="approved", ref="ab_tang1_q",
   note="周文华补批请假")
# O15.leave BROKEN: approved at 10:00, after the departure at 07:30.
# O15.delegation KEPT: delegated to 覃桂芳 before leaving.
violation("O15.leave", [TANG], trigger="ab_tang1", why="批准时间晚于出发时间")
AWAY.append((TANG, D("2025-05-19"), D("2025-05-26")))

ev("ab_deng1_q", "2025-10-09 09:00", "leave_request", DENG, [ZHOU], ref="ab_deng1",
   note="邓丽萍向周文华请假")
ev("ab_deng1_a", "2025-10-10 11:00", "approval", ZHOU, outcome="approved", ref="ab_deng1_q",
   note="周文华批准")
ev("ab_deng1_d", "2025-10-10 15:00", "delegation", DENG, [LIANG], ref="ab_deng1",
   note="邓丽萍委托梁永平代管安全稳定工作")
ev("ab_deng1", "2025-10-13 08:00", "absence", DENG, kind="出差", end="2025-10-17 18:00",
   note="邓丽萍赴杭州考察智慧校园建设")
# O15.leave KEPT, O15.delegation KEPT.
AWAY.append((DENG, D("2025-10-13"), D("2025-10-17")))

ev("ab_luo1", "2025-03-10 08:00", "absence", LUO, kind="出差", end="2025-03-14 18:00",
   note="党委办公室主任罗敏出差（不是班子成员：O14/O15均不适用）")

# ------------------------------------------------------------ incidents (O10, O11)
ev("in1", "2024-03-07 14:20", "incident", DENG, kind="突发事件",
   note="育才校区学生宿舍配电箱起火")
ev("in1_r", "2024-03-07 14:50", "report", DENG, [HUANG, CHEN], ref="in1",
   note="邓丽萍30分钟内向书记、校长汇报")
ev("in1_p", "2024-03-07 15:10", "plan", DENG, ref="in1", note="宿舍临时安置预案")
ev("in1_a", "2024-03-07 15:40", "approval", HUANG, outcome="approved", ref="in1_p",
   note="黄志明审核同意预案")
ev("in1_i", "2024-03-07 16:00", "implementation", DENG, ref="in1_p", note="组织实施临时安置")
# O10 KEPT for both principal leaders; O11 KEPT (approved by the secretary first).

ev("in2", "2024-05-20 22:10", "incident", LIANG, kind="突发事件",
   note="雁山校区学生食堂疑似食物中毒")
ev("in2_r1", "2024-05-20 22:40", "report", LIANG, [HUANG], ref="in2",
   note="梁永平向黄志明汇报")
ev("in2_p", "2024-05-20 22:50", "plan", LIANG, ref="in2", note="就医及食堂停业整顿预案")
ev("in2_i", "2024-05-20 23:30", "implementation", LIANG, ref="in2_p",
   note="连夜组织实施（尚未经主要领导同意）")
ev("in2_r2", "2024-05-21 08:00", "report", LIANG, [CHEN], ref="in2",
   note="次日早上才向陈立新汇报")
ev("in2_a", "2024-05-21 08:30", "approval", CHEN, outcome="approved", ref="in2_p",
   note="陈立新事后同意预案")
# O10 KEPT for 黄志明 (30 min); BROKEN for 陈立新: his report came 9 h 50 min later.
violation("O10", [LIANG, CHEN], trigger="in2", why="向校长汇报晚于2小时")
# O11 BROKEN: implemented at 23:30, approved only at 08:30 next morning.
violation("O11", ["in2_p"], trigger="in2_i", why="实施早于审核同意")

ev("in3", "2024-06-15 10:00", "incident", MENG, kind="重大活动",
   note="承办全区高校教学成果展")
ev("in3_r", "2024-06-15 11:00", "report", MENG, [HUANG, CHEN], ref="in3",
   note="蒙志强1小时内向书记、校长汇报")
# O10 KEPT for both.

ev("in4", "2024-09-08 08:00", "incident", LIU, kind="重大活动", note="2024级新生报到")
ev("in4_r", "2024-09-08 11:00", "report", LIU, [HUANG, CHEN], ref="in4",
   note="刘海燕3小时后才汇报")
ev("in4_p", "2024-09-08 11:10", "plan", LIU, ref="in4", note="迎新分流预案")
ev("in4_a", "2024-09-08 11:30", "approval", CHEN, outcome="approved", ref="in4_p",
   note="陈立新同意")
ev("in4_i", "2024-09-08 12:00", "implementation", LIU, ref="in4_p", note="实施分流")
# O10 BROKEN twice: the report (3 h) is later than 2 h, for each principal leader.
violation("O10", [LIU, HUANG], trigger="in4", why="汇报在3小时后")
violation("O10", [LIU, CHEN], trigger="in4", why="汇报在3小时后")
# O11 KEPT.

ev("in5", "2024-11-20 16:00", "incident", DENG, kind="突发事件", note="校园网遭受网络攻击")
ev("in5_r", "2024-11-20 16:30", "report", DENG, [HUANG, CHEN, LUO], ref="in5",
   note="邓丽萍向书记、校长汇报并告知党办")
ev("in5_p", "2024-11-20 17:00", "plan", DENG, ref="in5", note="断网隔离预案")
ev("in5_a", "2024-11-20 17:20", "approval", LIANG, outcome="approved", ref="in5_p",
   note="副校长梁永平同意")
ev("in5_i", "2024-11-20 17:40", "implementation", DENG, ref="in5_p", note="实施断网隔离")
# O10 KEPT for both. O11 BROKEN: the only approval is by 梁永平 (not L).
violation("O11", ["in5_p"], trigger="in5_i", why="审核同意人不是主要领导")

ev("in6", "2025-04-09 20:00", "incident", DENG, kind="突发事件", note="化学实验室危化品泄漏")
ev("in6_r", "2025-04-09 20:30", "report", DENG, [HUANG, CHEN], ref="in6",
   note="邓丽萍30分钟内汇报")
ev("in6_p", "2025-04-09 21:00", "plan", DENG, ref="in6", note="实验楼封闭检测及整改预案")
ev("in6_a", "2025-04-10 08:00", "approval", CHEN, outcome="approved", ref="in6_p",
   note="陈立新同意")
ev("in6_i", "2025-04-16 09:00", "implementation", DENG, ref="in6_p",
   note="整改实施（陈立新已离任）")
# O11 KEPT: the approver is read at the approval's time (a.actor in L(a.time));
# that 陈立新 has left office by the implementation does not matter.

ev("in7", "2025-05-28 09:30", "incident", ZHOU, kind="突发事件",
   note="部分教职工集中反映绩效工资问题")
ev("in7_r", "2025-05-28 11:30", "report", ZHOU, [HUANG], ref="in7",
   note="周文华恰好2小时后向黄志明通报")
# O10 KEPT: the president's own incident; the only other principal leader is
# the secretary, reported to at exactly 2 h (<=).

ev("in8", "2025-09-05 10:00", "incident", LIU, kind="突发事件", note="发现学生登革热病例")
ev("in8_r", "2025-09-05 10:40", "report", LIU, [HUANG, NONG_XGB], ref="in8",
   note="刘海燕向黄志明汇报，未向周文华汇报")
ev("in8_p", "2025-09-05 11:00", "plan", LIU, ref="in8", note="宿舍区封闭消杀预案")
ev("in8_a1", "2025-09-05 11:30", "approval", ZHOU, outcome="rejected", ref="in8_p",
   note="周文华不同意封闭方案")
ev("in8_p2", "2025-09-05 12:00", "plan", LIU, ref="in8", note="修改后的消杀预案")
ev("in8_a2", "2025-09-05 12:20", "approval", ZHOU, outcome="approved", ref="in8_p2",
   note="周文华同意修改后的预案")
ev("in8_i", "2025-09-05 13:00", "implementation", LIU, ref="in8_p2",
   note="实施修改后的预案")
# O10 KEPT for 黄志明; BROKEN for 周文华 (never reported to).
violation("O10", [LIU, ZHOU], trigger="in8", why="没有向校长周文华汇报")
# O11 KEPT: the implemented plan in8_p2 was approved; the rejected plan
# in8_p was never implemented.

ev("im_noref", "2025-10-20 14:00", "implementation", LIANG,
   note="后勤处组织供水管网抢修（未关联任何预案）")
# O11 BROKEN with empty subjects (reading 4: O11 with no ref is a violation).
violation("O11", [], trigger="im_noref", why="implementation 没有 ref")

# ------------------------------------------------------------ delays (O9)
ev("dl1", "2024-04-08 10:00", "delay", LIANG, topic=["YT24-05"],
   note="新校区二期征地受政策调整影响")
ev("dl1_r", "2024-04-08 16:00", "report", LIANG, [CHEN], ref="dl1",
   note="梁永平当天向陈立新汇报")
# O9 KEPT.

ev("dl2", "2024-06-03 09:00", "delay", QIN, topic=["ZDGZ-2024-07"],
   note="省部共建重点实验室申报材料受阻")
ev("dl2_r", "2024-06-04 10:00", "report", QIN, [LUO], ref="dl2",
   note="覃桂芳只向党委办公室主任报送情况")
# O9 BROKEN: the report went to 罗敏 only, not to the secretary or president.
violation("O9", [QIN], trigger="dl2", why="汇报对象不含书记或校长")

ev("dl3", "2024-10-08 10:00", "delay", LIANG, topic=["YT24-13"],
   note="校友会馆项目用地规划许可受阻")
ev("dl3_r", "2024-10-12 10:00", "report", LIANG, [HUANG], ref="dl3",
   note="梁永平96小时后才汇报")
# O9 BROKEN: reported after 96 h > 72 h.
violation("O9", [LIANG], trigger="dl3", why="汇报晚于72小时")

ev("dl4", "2025-03-10 09:00", "delay", MENG, topic=["ZDGZ-2025-02"],
   note="师范类专业认证进度受阻")
ev("dl4_r", "2025-03-13 09:00", "report", MENG, [HUANG], ref="dl4",
   note="蒙志强恰好72小时后汇报")
# O9 KEPT: exactly 72 h (<=).

ev("dl5", "2025-04-14 15:00", "delay", TANG, topic=["ZDGZ-2025-05"],
   note="财务一体化系统升级受阻")
ev("dl5_r", "2025-04-16 10:00", "report", TANG, [ZHOU], ref="dl5",
   note="唐晓东向新任校长周文华汇报")
# O9 BROKEN: L is read at the delay's time (04-14): {黄志明, 陈立新}. 周文华
# became president on 04-15, so a report to him alone does not count.
violation("O9", [TANG], trigger="dl5",
          why="汇报对象周文华在受阻发生时（04-14）还不是校长，L(e.time)={黄志明,陈立新}")

# ------------------------------------------------------------ directives (O17)
ev("dir1", "2024-01-05 10:00", "directive", topic=["中组发〔2024〕1号"],
   note="收到中组部文件")
ev("dir2", "2024-02-28 10:00", "directive", topic=["桂教党〔2024〕8号"],
   note="收到自治区教育工委文件")
ev("dir3", "2024-04-02 10:00", "directive", topic=["教育部令第55号"],
   note="收到教育部令")
ev("dir4", "2024-05-27 10:00", "directive", topic=["桂政办发〔2024〕21号"],
   note="收到自治区政府办公厅文件")
ev("dir5", "2024-07-22 10:00", "directive", topic=["中发〔2024〕16号"],
   note="收到中央全会决定（暑假中）")
ev("dir6", "2024-12-02 10:00", "directive", topic=["桂党发〔2024〕30号"],
   note="自治区党委全会精神")
ev("dir7", "2024-12-30 10:00", "directive", topic=["教党〔2024〕60号"],
   note="收到教育部党组文件")
ev("dir8", "2025-02-20 10:00", "directive", topic=["国办发〔2025〕3号"],
   note="收到国务院办公厅文件")
ev("dir9", "2025-06-20 10:00", "directive", topic=["桂教发〔2025〕12号"],
   note="收到自治区教育厅文件（暑假前最后一次会议之后）")
ev("dir10", "2025-09-10 10:00", "directive", topic=["中办发〔2025〕40号", "教党〔2025〕33号"],
   note="收到中办文件及教育部党组贯彻通知")
ev("dir11", "2025-11-20 10:00", "directive", topic=["桂党发〔2025〕18号"],
   note="自治区党委全会精神")
ev("dir12", "2025-12-29 10:00", "directive", topic=["教育部令第60号"],
   note="收到教育部令（其后没有常委会或校长办公会：待定，不是违规）")

# ------------------------------------------------------------ decision meetings
# O4: each item of a 党委常委会/党委全委会 agenda: the secretary consulted the
# president (P at the meeting's time) on it at or before the meeting.
# O5: likewise for 校长办公会, president -> secretary.
# O6: the latest consultation on the item must not be `disagree`.
# O7, O8: see the topics.
BOARD = {}


def cw(key, time, agenda, note, kind="党委常委会"):
    d = D(time[:10])
    who = AWAY.present(members(d), d, without=[HUANG])
    BOARD[key] = time
    return ev(key, time, "meeting", HUANG, who, [LUO, SU], kind, agenda, note=note)


def xb(key, time, agenda, note):
    d = D(time[:10])
    p = president(d)
    who = AWAY.present(members(d), d, without=[p, HUANG])
    BOARD[key] = time
    return ev(key, time, "meeting", p, who, [SU], "校长办公会", agenda, note=note)


def sp(key, time, topics, outcome="agree", note=""):
    """the secretary consults the president (O4)"""
    return DATA.consultation(key, time, HUANG, [president(D(time[:10]))], topics, outcome,
                             note or "书记就上会议题与校长沟通")


def ps(key, time, topics, outcome="agree", note=""):
    """the president consults the secretary (O5)"""
    return DATA.consultation(key, time, president(D(time[:10])), [HUANG], topics, outcome,
                             note or "校长就上会议题与书记沟通")


def con(key, time, actor, targets, topics, outcome="agree", note=""):
    return DATA.consultation(key, time, actor, targets, topics, outcome,
                             note or "分管领导就议题与相关分管领导沟通")


# ---- 2024, before the winter vacation
sp("c_cw240109", "2024-01-08 10:00", ["中组发〔2024〕1号"])
cw("cw240109", "2024-01-09 08:30", ["中组发〔2024〕1号"], "党委常委会：传达中组部文件")
# O17 KEPT (dir1 -> cw240109, the first 常委会/办公会 after it, briefs it); O4, O6 KEPT.
ps("c_xb240111", "2024-01-10 16:00", ["YT24-07"])
xb("xb240111", "2024-01-11 08:30", ["YT24-07"], "校长办公会：审核评估迎评方案")
# O5, O6 KEPT.

# ---- semester 2023-2024-2
ps("c_xb240305", "2024-03-04 16:00", ["桂教党〔2024〕8号"])
xb("xb240305", "2024-03-05 08:30", ["桂教党〔2024〕8号"], "校长办公会：传达教育工委文件")
# O17 KEPT (dir2); O5 KEPT for the directive id (reading 13).
con("c_yt2402_mo", "2024-03-06 10:00", MO, [HUANG], ["YT24-02"],
    note="莫振华就干部换届方案与分管干部工作的黄志明沟通")
sp("c_cw240312", "2024-03-07 10:00", ["YT24-06", "YT24-02"])
cw("cw240312", "2024-03-12 08:30", ["YT24-06", "YT24-02"],
   "党委常委会：党建工作要点、中层干部换届方案")
# O4 KEPT for both items. O7 KEPT for YT24-02 (三重一大, lead 莫振华, areas
# 组织;干部: the only other member with one of them is 黄志明 (干部), consulted).
con("c_yt2401_tang", "2024-03-15 10:00", TANG, [LIANG], ["YT24-01"],
    note="唐晓东就预算安排与分管资产的梁永平沟通")
ps("c_xb240321", "2024-03-19 16:00", ["YT24-01"])
xb("xb240321", "2024-03-21 08:30", ["YT24-01"], "校长办公会：2024年预算")
sp("c_cw240326", "2024-03-22 10:00", ["YT24-01"])
cw("cw240326", "2024-03-26 08:30", ["YT24-01"], "党委常委会：2024年预算")
# O5 (xb240321) and O4 (cw240326) KEPT; O7 KEPT at both (YT24-01, lead 唐晓东,
# areas 财务;资产: 梁永平 (资产) consulted on 03-15).
talkmeet("tl_yt2404", "2024-04-01 15:00", LIANG, [LIU, TANG, LI_HQC], ["YT24-04"],
         "梁永平召开宿舍空调方案讨论会")
ps("c_xb240409", "2024-04-08 16:00", ["YT24-04"])
xb("xb240409", "2024-04-09 08:30", ["YT24-04"], "校长办公会：宿舍空调方案")
# O8 KEPT (师生权益; 讨论会 by the lead 梁永平 on 04-01).
# O17 BROKEN: xb240409 is the first 常委会/办公会 after dir3 (04-02) and does
# not have 教育部令第55号 on its agenda (it is briefed only on 04-23).
violation("O17", ["教育部令第55号"], trigger="dir3",
          why="dir3之后的第一次会议xb240409议程中没有该文件")
ev("zt240403", "2024-04-03 15:00", "meeting", HUANG, [CHEN, LIU, MO], [LUO], "书记专题会",
   ["教育部令第55号"], note="书记专题会学习教育部令（书记专题会不是O17所指的会议）")
talkmeet("tl_yt2403", "2024-04-16 15:00", CHEN, [MENG, QIN, LAN_FGC], ["YT24-03"],
         "陈立新召开十四五中期评估讨论会")
sp("c_cw240423", "2024-04-22 10:00", ["YT24-03", "教育部令第55号"])
cw("cw240423", "2024-04-23 08:30", ["YT24-03", "教育部令第55号"],
   "党委常委会：十四五中期评估、学习教育部令")
# O4 KEPT for both; O8 KEPT for YT24-03 (讨论会 by 陈立新 on 04-16).
con("c_yt2405_liang", "2024-05-06 10:00", LIANG, [TANG], ["YT24-05"],
    note="梁永平就新校区二期与分管财务的唐晓东沟通")
talkmeet("tl_yt2405", "2024-05-07 15:00", LIANG, [TANG, LU_JJC], ["YT24-05"],
         "梁永平召开新校区二期建设讨论会")
sp("c_cw240514", "2024-05-10 10:00", ["YT24-05"])
cw("cw240514", "2024-05-14 08:30", ["YT24-09", "YT24-05"],
   "党委常委会：意识形态实施细则、新校区二期")
# O4 BROKEN for YT24-09: nobody consulted anybody on it.
violation("O4", ["YT24-09"], trigger="cw240514", why="没有书记与校长就该议题的沟通")
# O4, O7 (唐晓东 consulted), O8 (讨论会 05-07) KEPT for YT24-05.
ps("c_xb240604", "2024-05-31 16:00", ["桂政办发〔2024〕21号", "YT24-08"])
xb("xb240604", "2024-06-04 08:30", ["桂政办发〔2024〕21号", "YT24-08"],
   "校长办公会：传达政府办文件、科研经费管理办法")
# O17 KEPT (dir4). O5 KEPT for both. O8 BROKEN for YT24-08 (师生权益): its
# lead 覃桂芳 never convened a 讨论会 on it.
violation("O8", ["YT24-08"], trigger="xb240604", why="分管领导覃桂芳没有召开讨论会")

# ---- semester 2024-2025-1
cw("cw240903", "2024-09-03 08:30", ["中发〔2024〕16号"], "党委常委会：传达学习中央全会精神")
# O17 KEPT (dir5 came in the summer; cw240903 is the first meeting after it).
# O4 BROKEN: a directive id on an agenda is an agenda item like any other
# (reading 13), and the secretary did not consult the president on it.
violation("O4", ["中发〔2024〕16号"], trigger="cw240903",
          why="议程上的文件号也要求书记事先与校长沟通（解释13），没有沟通")
con("c_yt2412_meng", "2024-09-05 10:00", MENG, [LIANG], ["YT24-12"],
    note="蒙志强就附中合作办学与分管资产的梁永平沟通")
ps("c_xb240912", "2024-09-10 16:00", ["YT24-11", "YT24-12"])
xb("xb240912", "2024-09-12 08:30", ["YT24-11", "YT24-12"],
   "校长办公会：安全隐患整治、附中合作办学")
# O5 KEPT; O7 KEPT for YT24-12 (梁永平 (资产) consulted).
sp("c_yt2410_1", "2024-10-15 10:00", ["YT24-10"], outcome="disagree",
   note="黄志明与陈立新就绩效改革方案意见不一致，暂缓上会")
sp("c_cw241022a", "2024-10-17 10:00", ["YT24-13"])
sp("c_cw241022b", "2024-10-17 10:30", ["YT24-15"], outcome="disagree",
   note="黄志明与陈立新就巡视整改方案意见不一致")
cw("cw241022", "2024-10-22 08:30", ["YT24-13", "YT24-15"],
   "党委常委会：校友会馆项目、巡视整改方案")
# O4 KEPT for both (a consultation exists, whatever its outcome).
# O6 BROKEN for YT24-15: its latest consultation (10-17) ended in disagreement.
violation("O6", ["YT24-15"], trigger="cw241022", why="最近一次沟通意见不一致仍上会")
# O7 for YT24-13 (三重一大, lead 梁永平, areas 基建;校友): on 10-22 nobody else
# is in charge of 基建 or 校友 (唐晓东 takes 校友 on 11-01) - nothing to check.
talkmeet("tl_yt2414", "2024-10-24 15:00", QIN, [LIU, TANG, GAN_YJS], ["YT24-14"],
         "覃桂芳召开研究生奖助办法讨论会")
ps("c_xb241029", "2024-10-25 16:00", ["YT24-14"])
xb("xb241029", "2024-10-29 08:30", ["YT24-14"], "校长办公会：研究生奖助学金评定办法")
# O5, O8 KEPT.
con("c_yt2410_chen", "2024-11-05 10:00", CHEN, [TANG], ["YT24-10"],
    note="陈立新就绩效改革与分管财务的唐晓东沟通")
talkmeet("tl_yt2410", "2024-11-12 15:00", CHEN, [TANG, MO, XIE_RSC], ["YT24-10"],
         "陈立新召开绩效工资改革讨论会（含工会、人事处）")
sp("c_yt2410_2", "2024-11-19 10:00", ["YT24-10"],
   note="黄志明与陈立新进一步交换意见，就绩效改革方案取得共识")
cw("cw241126", "2024-11-26 08:30", ["YT24-10"], "党委常委会：绩效工资分配改革方案")
# O6 KEPT: the 10-15 disagreement was followed by agreement on 11-19, the
# latest consultation before the meeting. O4, O7 (唐晓东), O8 (讨论会 11-12) KEPT.
sp("c_qwh241205", "2024-12-03 10:00", ["桂党发〔2024〕30号"])
cw("qwh241205", "2024-12-05 08:30", ["桂党发〔2024〕30号"],
   "党委全委会：传达自治区党委全会精神", kind="党委全委会")
# O4 KEPT (党委全委会 counts for O4).
ps("c_xb241210", "2024-12-06 16:00", ["YT24-16", "YT24-13"])
xb("xb241210", "2024-12-10 08:30", ["YT24-16", "YT24-13"],
   "校长办公会：人才专项经费、校友会馆资金安排")
# O17 BROKEN for dir6: it was briefed at the 党委全委会 of 12-05, which is not
# a 常委会/办公会; the first of those after it, xb241210, does not brief it.
violation("O17", ["桂党发〔2024〕30号"], trigger="dir6",
          why="只在党委全委会上传达；其后第一次常委会/办公会xb241210议程中没有")
# O7 BROKEN for YT24-16 (三重一大, lead 陈立新, areas 人事;财务): 唐晓东
# (财务) was not consulted.
violation("O7", ["YT24-16", TANG], trigger="xb241210", why="陈立新未与分管财务的唐晓东沟通")
# O7 BROKEN for YT24-13: since 11-01 唐晓东 is in charge of 校友 too, and
# 梁永平 did not consult him before this meeting.
violation("O7", ["YT24-13", TANG], trigger="xb241210",
          why="唐晓东自11-01起分管校友，梁永平未与其沟通")
ev("mz2024", "2024-12-20 09:00", "meeting", HUANG,
   [CHEN, LIU, MO, WEI, MENG, QIN, LIANG, TANG, DENG], [LUO], "民主生活会",
   ["2024年度民主生活会", REG], note="2024年度民主生活会，对照检查沟通交流制度落实情况")
# O16.life KEPT for 2024.
ev("sz2024", "2024-12-27 15:00", "meeting", HUANG,
   [CHEN, LIU, MO, WEI, MENG, QIN, LIANG, TANG, DENG], [LUO, SU], "述职述廉会",
   ["2024年度班子述职述廉"], note="2024年度述职述廉会（未列入沟通交流制度落实情况）")
# O16.report BROKEN for 2024: the only 述职述廉会 of 2024 lacks the regulation's id.
violation("O16.report", [], window=("2024-01-01", "2025-01-01"),
          why="2024年述职述廉会议程中没有师党〔2018〕12号")
sp("c_cw250107", "2025-01-06 10:00", ["教党〔2024〕60号"])
cw("cw250107", "2025-01-07 08:30", ["教党〔2024〕60号"], "党委常委会：传达教育部党组文件")
# O17 KEPT (dir7).

# ---- semester 2024-2025-2
ps("c_xb250225", "2025-02-24 16:00", ["国办发〔2025〕3号"])
xb("xb250225", "2025-02-25 08:30", ["国办发〔2025〕3号"], "校长办公会：传达国办文件")
# O17 KEPT (dir8).
con("c_yt2501_tang1", "2025-02-26 10:00", TANG, [LIANG], ["YT25-01"],
    note="唐晓东就2025年预算与分管资产的梁永平沟通")
talkmeet("tl_yt2503", "2025-03-12 15:00", LIU, [DENG, NONG_XGB], ["YT25-03"],
         "刘海燕召开学生心理健康工作讨论会")
sp("c_cw250318", "2025-03-13 10:00", ["YT25-03"])
cw("cw250318", "2025-03-18 08:30", ["YT25-03"], "党委常委会：学生心理健康教育工作方案")
# O4, O8 KEPT.
con("c_yt2501_tang2", "2025-03-20 10:00", TANG, [CHEN], ["YT25-01"],
    note="唐晓东就2025年预算（人事经费）与陈立新沟通")
con("c_yt2502_chen", "2025-03-27 10:00", CHEN, [MENG], ["YT25-02"],
    note="陈立新就学院设置调整与分管教学的蒙志强沟通")
talkmeet("tl_yt2502", "2025-03-31 15:00", MENG, [CHEN, QIN, LAN_FGC], ["YT25-02"],
         "蒙志强（非分管领导）召开学院设置调整讨论会")
sp("c_yt2505", "2025-04-01 10:00", ["YT25-05"], note="黄志明就干部选拔任用规定与陈立新沟通")
sp("c_cw250408", "2025-04-03 10:00", ["YT25-02"])
cw("cw250408", "2025-04-08 08:30", ["YT25-02"], "党委常委会：学院设置调整方案")
# O4 KEPT, O7 KEPT (蒙志强 consulted). O8 BROKEN: the 讨论会 was convened by
# 蒙志强, not by the topic's lead 陈立新.
violation("O8", ["YT25-02"], trigger="cw250408", why="讨论会由蒙志强而非分管领导陈立新召开")
ps("c_xb250429", "2025-04-24 16:00", ["YT25-01"],
   note="新任校长周文华就2025年预算与黄志明沟通")
xb("xb250429", "2025-04-29 08:30", ["YT25-01"], "校长办公会：2025年预算")
# O5 KEPT (周文华 -> 黄志明). O7: YT25-01 (lead 唐晓东, areas 财务;资产;人事):
# 梁永平 (资产) consulted - KEPT; BROKEN for 周文华, who holds 人事 at the
# meeting; 唐晓东 consulted only the former president 陈立新.
violation("O7", ["YT25-01", ZHOU], trigger="xb250429",
          why="会议时分管人事的是周文华；唐晓东只与已离任的陈立新沟通过")
ps("c_xb250513", "2025-05-06 16:00", ["YT25-04"])
con("c_yt2504_deng", "2025-05-08 10:00", DENG, [TANG], ["YT25-04"], outcome="disagree",
    note="邓丽萍与分管财务的唐晓东就网络安全项目预算意见不一致")
xb("xb250513", "2025-05-13 08:30", ["YT25-04"], "校长办公会：网络安全等级保护项目")
# O5 KEPT; O7 KEPT (唐晓东 was consulted, whatever he said).
# O6 BROKEN: the latest consultation on YT25-04 before the meeting is the
# disagreeing one of 05-08 (O6 looks at the latest consultation on the topic,
# whoever held it).
violation("O6", ["YT25-04"], trigger="xb250513",
          why="议题最近一次沟通（05-08 邓丽萍与唐晓东）意见不一致")
cw("cw250520", "2025-05-20 08:30", ["YT25-05"], "党委常委会：干部选拔任用工作规定")
# O4 BROKEN: the secretary consulted 陈立新 (04-01), who is no longer president
# at the meeting; nobody consulted 周文华. (O6 KEPT: that consultation agreed.)
violation("O4", ["YT25-05"], trigger="cw250520",
          why="只与已离任的陈立新沟通过，未与现任校长周文华沟通")
con("c_yt2506_liang", "2025-05-30 10:00", LIANG, [LIU], ["YT25-06"],
    note="梁永平就物业招标与分管学生工作的刘海燕沟通")
talkmeet("tl_yt2506", "2025-06-03 15:00", LIANG, [LIU, LI_HQC, NONG_XGB], ["YT25-06"],
         "梁永平召开学生公寓物业招标讨论会")
talkmeet("tl_yt2508", "2025-06-09 10:00", ZHOU, [MO, QIN, XIE_RSC], ["YT25-08"],
         "周文华召开人才引进计划讨论会")
ps("c_xb250610", "2025-06-09 16:00", ["YT25-06"])
xb("xb250610", "2025-06-10 08:30", ["YT25-06", "YT25-07"],
   "校长办公会：物业招标、毕业生就业方案")
ps("c_xb250610_late", "2025-06-12 16:00", ["YT25-07"],
   note="会后周文华才就就业方案与黄志明沟通")
# O5 KEPT for YT25-06; BROKEN for YT25-07: the consultation is after the meeting.
violation("O5", ["YT25-07"], trigger="xb250610", why="校长与书记的沟通在会后（06-12）")
# O7 for YT25-06 (lead 梁永平, areas 后勤;学生工作;财务): KEPT for 刘海燕
# (学生工作), BROKEN for 唐晓东 (财务), not consulted.
violation("O7", ["YT25-06", TANG], trigger="xb250610", why="梁永平未与分管财务的唐晓东沟通")
# O8 KEPT for YT25-06 (讨论会 06-03).
sp("c_cw250617", "2025-06-12 10:00", ["YT25-08"])
cw("cw250617", "2025-06-17 08:30", ["YT25-08"], "党委常委会：高层次人才引进计划")
# O4 KEPT (黄志明 -> 周文华), O8 KEPT (讨论会 06-09 by the lead 周文华).

# ---- semester 2025-2026-1 (not judged as a semester; events still count)
sp("c_cw250902", "2025-09-01 10:00", ["桂教发〔2025〕12号"])
cw("cw250902", "2025-09-02 08:30", ["桂教发〔2025〕12号"], "党委常委会：传达教育厅文件")
# O17 KEPT (dir9, received in June, briefed at the first meeting after it).
ps("c_xb250916", "2025-09-15 16:00", ["教党〔2025〕33号", "YT25-10"])
xb("xb250916", "2025-09-16 08:30", ["教党〔2025〕33号", "YT25-10"],
   "校长办公会：传达教育部党组通知、职称评审办法")
# O17 KEPT (dir10 has two ids; one of them is on the agenda). O5 KEPT.
# O8 BROKEN for YT25-10 (师生权益): no 讨论会 by its lead 周文华.
violation("O8", ["YT25-10"], trigger="xb250916", why="分管领导周文华没有召开讨论会")
ps("c_yt2513_wrong", "2025-10-16 10:00", ["YT25-13"],
   note="周文华就基层党建述职评议办法与黄志明交换意见（方向相反）")
cw("cw251021", "2025-10-21 08:30", ["YT25-13"], "党委常委会：基层党组织书记述职评议办法")
# O4 BROKEN: the only consultation was the president's to the secretary; O4
# needs the secretary as actor.
violation("O4", ["YT25-13"], trigger="cw251021", why="沟通方向相反：校长向书记，而非书记向校长")
talkmeet("tl_yt2512", "2025-10-22 15:00", LIANG, [LIU, LI_HQC], ["YT25-12"],
         "梁永平召开食堂价格调整讨论会")
talkmeet("tl_yt2509", "2025-10-23 15:00", ZHOU, [MENG, QIN, LAN_FGC], ["YT25-09"],
         "周文华召开十五五规划编制讨论会")
ps("c_xb251028", "2025-10-24 16:00", ["YT25-12"])
xb("xb251028", "2025-10-28 08:30", ["YT25-12", "YT25-14"],
   "校长办公会：食堂价格调整、实验室安全管理办法")
# O5, O8 KEPT for YT25-12. O5 BROKEN for YT25-14: no consultation at all.
violation("O5", ["YT25-14"], trigger="xb251028", why="没有校长与书记就该议题的沟通")
con("c_yt2509_zhou", "2025-10-30 10:00", ZHOU, [MENG, QIN], ["YT25-09"],
    note="周文华就十五五规划与分管教学、科研的蒙志强、覃桂芳沟通")
sp("c_cw251111", "2025-11-06 10:00", ["YT25-09"])
cw("cw251111", "2025-11-11 08:30", ["YT25-09"], "党委常委会：十五五规划编制方案")
# O4, O7 (蒙志强 and 覃桂芳 in one consultation), O8 KEPT.
talkmeet("tl_yt2511", "2025-11-25 15:00", HUANG, [ZHOU, MO, LIU, LUO], ["YT25-11"],
         "黄志明召开章程修订讨论会")
sp("c_qwh251202", "2025-11-27 10:00", ["YT25-11"])
cw("qwh251202", "2025-12-02 08:30", ["YT25-11"], "党委全委会：学校章程修订", kind="党委全委会")
# O4, O8 KEPT. dir11 (11-20): the 党委全委会 does not count for O17 ...
ps("c_xb251209", "2025-12-05 16:00", ["桂党发〔2025〕18号"])
xb("xb251209", "2025-12-09 08:30", ["桂党发〔2025〕18号"], "校长办公会：传达自治区党委全会精神")
# ... but xb251209, the first 常委会/办公会 after it, briefs it: O17 KEPT.
ev("mz2025", "2025-12-19 09:00", "meeting", HUANG,
   [ZHOU, LIU, MO, WEI, MENG, QIN, LIANG, TANG, DENG], [LUO], "民主生活会",
   ["2025年度民主生活会", "主题教育整改"], note="2025年度民主生活会（未列入沟通交流制度落实情况）")
# O16.life BROKEN for 2025: its only 民主生活会 lacks the regulation's id.
violation("O16.life", [], window=("2025-01-01", "2026-01-01"),
          why="2025年民主生活会议程中没有师党〔2018〕12号")
ev("sz2025", "2025-12-26 15:00", "meeting", HUANG,
   [ZHOU, LIU, MO, WEI, MENG, QIN, LIANG, TANG, DENG], [LUO, SU], "述职述廉会",
   ["2025年度班子述职述廉", REG], note="2025年度述职述廉会，报告沟通交流制度落实情况")
# O16.report KEPT for 2025.
ev("dl6", "2026-01-03 10:00", "delay", QIN, topic=["ZDGZ-2025-11"],
   note="国家重点研发计划项目结题受阻（截止时间在检查范围之后：待定）")
# O9 pending: deadline 01-06 10:00 is after R1.

# ------------------------------------------------------------ O1: weekly talk
# The secretary and the president talk every week (个别交流, Wednesday
# 17:30, taking turns to call). A week is judged only if it lies in the range,
# overlaps no vacation and both roles are held by one person all week.
O1_BREAKS = {
    D("2024-04-15"): "招生宣传季，书记校长各自带队外出调研，本周没有沟通",
    D("2024-12-16"): "期末事务繁忙，本周没有沟通",
    D("2025-11-17"): "本周没有沟通",
}
O1_SKIP_NOT_JUDGED = {
    D("2025-04-14"): "校长交接周（04-15换任）：没有人整周担任校长，本周不判定",
}
O1_BY_CONSULTATION = {
    D("2025-04-21"): "本周只有c_xb250429（周文华与黄志明就预算沟通），也算沟通",
}
first_monday = D("2024-01-01")
last_monday = D("2025-12-29")
for k, m in enumerate(datagen.mondays(first_monday, last_monday)):
    wed = m + dt.timedelta(days=2)
    p = president(wed)
    if m in O1_BREAKS:
        violation("O1", [HUANG, p], window=week(m), why=O1_BREAKS[m])
    elif m in O1_SKIP_NOT_JUDGED or m in O1_BY_CONSULTATION:
        pass
    elif week_overlaps_vacation(m) and k % 2 == 1:
        pass     # vacation weeks are not judged; every other one has no talk
    else:
        # away -> by telephone: a kind outside the table, which O1 counts (reading 12)
        phone = away(HUANG, wed) or away(p, wed)
        a, b = (HUANG, p) if k % 2 == 0 else (p, HUANG)
        ev("wk%s" % m.strftime("%y%m%d"), "%s 17:30" % wed.isoformat(), "communication", a, [b],
           kind="电话沟通" if phone else "个别交流",
           note="书记校长每周沟通（电话）" if phone else "书记校长每周沟通")
# O1 KEPT every other judged week; the week of 2024-03-18 and of 2024-11-04
# (the secretary away), 2024-06-24 (the president away) by telephone.

# ------------------------------------------------------------ O2, O3: catch-up meetings
# Held on the first Monday of every cycle, 08:30, convened by the secretary,
# attended by the members present, the two office directors as observers.
ANCHORS = [D(f) for (_, k2, f, _) in CALENDAR if k2 == "cycle-anchor"]
CYCLES = []       # (start, end) of every cycle from 2024-01-01 to the last anchor's
c0 = D("2024-01-01")          # the first Monday at or after R0 (no anchor before it)
origins = [c0] + ANCHORS
for i, o in enumerate(origins):
    nxt = origins[i + 1] if i + 1 < len(origins) else D("2026-01-06")
    c = o
    while c < nxt:
        CYCLES.append((c, c + dt.timedelta(days=14)))
        c += dt.timedelta(days=14)

O2_BREAKS = {D("2024-11-11"): "本周期没有召开碰头会",
             D("2025-12-08"): "年底会议集中，本周期没有召开碰头会"}
SPECIAL_HUDDLE = {
    # cycle start -> (date, why)
    D("2024-01-01"): (D("2024-01-08"), "元旦假期后，在周期第二周的周一召开"),
    D("2024-10-14"): (D("2024-10-15"), "周一有接待任务，改在周二召开"),
}


def huddle(key, day, actor=HUANG, extra_targets=(), extra_observers=(), note="领导班子碰头会"):
    who = AWAY.present(members(day), day, without=[actor]) + list(extra_targets)
    return ev(key, "%s 08:30" % day.isoformat(), "meeting", actor, who,
              [LUO, SU] + list(extra_observers), "领导班子碰头会", note=note)


for (a, b) in CYCLES:
    vac = any(a < t and b > f for (f, t) in VACATIONS)
    if vac or a > D("2025-12-22"):
        continue          # vacation cycles: not judged, no meeting (see below)
    if a in O2_BREAKS:
        violation("O2", [], window=(a.isoformat(), b.isoformat()), why=O2_BREAKS[a])
        continue
    day, why = SPECIAL_HUDDLE.get(a, (a, ""))
    key = "ph%s" % day.strftime("%y%m%d")
    if day == D("2024-03-11"):
        # O3 BROKEN: 组织部部长卢国庆 sits in; he is neither a member nor one
        # of the two office directors.
        huddle(key, day, extra_observers=[LU_ZZB], note="领导班子碰头会（组织部部长列席）")
        violation("O3", [LU_ZZB], trigger=key, why="卢国庆不是班子成员也不是两办主任")
    elif day == D("2025-04-28"):
        # O3 BROKEN: the former president attends after leaving the team (04-15).
        huddle(key, day, extra_targets=[CHEN], note="领导班子碰头会（前任校长陈立新参加）")
        violation("O3", [CHEN], trigger=key, why="陈立新04-15起已不是班子成员")
    elif day.weekday() != 0:
        # O2 KEPT for the cycle, O2.monday BROKEN: not a Monday.
        huddle(key, day, note="领导班子碰头会（%s）" % why)
        violation("O2.monday", [], trigger=key, why=why)
    else:
        huddle(key, day, note="领导班子碰头会" + ("（%s）" % why if why else ""))

# Vacation catch-up meetings: O2 is not judged for vacation cycles, but every
# 碰头会 is judged by O2.monday and O3.
huddle("ph240822", D("2024-08-22"), note="暑期工作碰头会（周四）")
violation("O2.monday", [], trigger="ph240822", why="2024-08-22是周四（假期中也判定）")
huddle("ph250825", D("2025-08-25"), note="暑期工作碰头会（周一）")
# The last events: a catch-up meeting of the new cycle (2026-01-05 starts a
# cycle that ends after R1: not judged) and an emergency reported after the
# end of the log (pending).
huddle("ph260105", D("2026-01-05"), note="新年第一次碰头会")
ev("in9", "2026-01-05 10:30", "incident", DENG, kind="突发事件",
   note="寒潮导致校区供水管爆裂（最后一个事件：汇报时限在检查范围之后，待定）")

# ------------------------------------------------------------ O12, O13: heart-to-heart talks
# Each judged semester every pair of members who are members all semester
# (one roster row covering it) talks heart to heart (谈心谈话) at least once,
# the secretary and the president with everyone (O12 ⊂ O13).

TALK_SLOTS = ("09:30", "15:00", "16:30")


def talks(sem, pairs, start, skip=(), note="谈心谈话"):
    """Schedule one 谈心谈话 per pair on weekdays from `start`, three a day,
    never in a vacation or when one of the two is away; first person talks."""
    f, t = SEMESTERS[sem]
    d = D(start)
    slot = 0
    out = []
    for (x, y) in pairs:
        if frozenset((x, y)) in skip:
            continue
        while d.weekday() >= 5 or in_vacation(d) or away(x, d) or away(y, d) \
                or any(d - dt.timedelta(days=d.weekday()) == w for w in O1_BREAKS):
            d += dt.timedelta(days=1)
            slot = 0
        assert f <= d < t, (sem, x, y, d)
        key = "tx_%s_%s_%s" % (sem, x, y)
        ev(key, "%s %s" % (d.isoformat(), TALK_SLOTS[slot]), "communication", x, [y],
           kind="谈心谈话", note="%s与%s谈心谈话" % (NAMES[x], NAMES[y]))
        out.append(key)
        slot += 1
        if slot == len(TALK_SLOTS):
            slot = 0
            d += dt.timedelta(days=1)
    return out


def pairs_of(people):
    return [(people[i], people[j]) for i in range(len(people)) for j in range(i + 1, len(people))]


# semester 2023-2024-2: M = 黄 陈 刘 莫 韦 蒙 覃 梁 唐 邓 (10, 45 pairs)
S1 = [HUANG, CHEN, LIU, MO, WEI, MENG, QIN, LIANG, TANG, DENG]
talks("2023-2024-2", pairs_of(S1), "2024-03-04", skip={frozenset((HUANG, DENG))})
# O12 and O13 BROKEN for (黄志明, 邓丽萍): the secretary never talked with her.
violation("O12", [HUANG, DENG], window=("2024-02-26", "2024-07-06"),
          why="书记黄志明本学期未与邓丽萍谈心谈话")
violation("O13", [HUANG, DENG], window=("2024-02-26", "2024-07-06"),
          why="黄志明与邓丽萍之间没有谈心谈话")

# semester 2024-2025-1: M[a,b) = 黄 陈 刘 莫 韦 蒙 覃 梁 邓 (9, 36 pairs);
# 唐晓东 has two back-to-back rows (split 11-01) and is not judged.
S2 = [HUANG, CHEN, LIU, MO, WEI, MENG, QIN, LIANG, DENG]
talks("2024-2025-1", pairs_of(S2), "2024-09-09",
      skip={frozenset((MO, QIN)), frozenset((CHEN, WEI))})
# 唐晓东 talks with only three of the others this semester: not judged.
talks("2024-2025-1", [(HUANG, TANG), (CHEN, TANG), (LIANG, TANG)], "2024-12-02")
# 陈立新 talks with 韦春梅 only after the semester has ended (in the vacation).
ev("tx_late", "2025-01-20 10:00", "communication", CHEN, [WEI], kind="谈心谈话",
   note="陈立新与韦春梅谈心谈话（学期已结束）")
# O12 and O13 BROKEN for (陈立新, 韦春梅): the talk of 01-20 is outside the semester.
violation("O12", [CHEN, WEI], window=("2024-09-02", "2025-01-18"),
          why="陈立新与韦春梅的谈心谈话在学期结束之后（2025-01-20）")
violation("O13", [CHEN, WEI], window=("2024-09-02", "2025-01-18"),
          why="同上，学期内没有谈心谈话")
# O13 BROKEN for (莫振华, 覃桂芳): no talk.
violation("O13", [MO, QIN], window=("2024-09-02", "2025-01-18"),
          why="莫振华与覃桂芳之间没有谈心谈话")

# semester 2024-2025-2: no president all semester (change on 04-15): O12 only
# for the secretary. M[a,b) = 黄 刘 莫 韦 蒙 覃 梁 唐 邓 (9, 36 pairs);
# 唐晓东's second row covers it. 梁永平 is away 03-03 .. 04-30, so his talks
# come after his return.
S3 = [HUANG, LIU, MO, WEI, MENG, QIN, TANG, DENG]
talks("2024-2025-2", pairs_of(S3), "2025-02-18", skip={frozenset((LIU, LIANG))})
talks("2024-2025-2", [(x, LIANG) for x in S3 if x != LIU], "2025-05-05")
ev("tx_liu_liang", "2025-05-14 10:00", "communication", LIU, [LIANG], kind="个别交流",
   note="刘海燕与梁永平个别交流（不是谈心谈话）")
# O13 BROKEN for (刘海燕, 梁永平): they only had a 个别交流, not a 谈心谈话.
violation("O13", [LIANG, LIU], window=("2025-02-17", "2025-07-05"),
          why="两人只有个别交流，没有谈心谈话")
# The outgoing and the incoming president talk with some members only: they
# are not members all semester, so nothing is judged for them.
talks("2024-2025-2", [(CHEN, HUANG), (CHEN, MENG)], "2025-03-03")
talks("2024-2025-2", [(ZHOU, x) for x in (HUANG, LIU, MO, WEI)], "2025-04-28")

# semester 2025-2026-1 ends after the last event: not judged. The new
# president still talks with every member.
talks("2025-2026-1", [(ZHOU, x) for x in (HUANG, LIU, MO, WEI, MENG, QIN, LIANG, TANG, DENG)],
      "2025-09-08")

# O12/O13 KEPT: every other pair of every judged semester above.


if __name__ == "__main__":
    DATA.main(__file__, datagen.named_roster(ROSTER, NAMES), TOPICS, CALENDAR)
