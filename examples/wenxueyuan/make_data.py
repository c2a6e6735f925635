#!/usr/bin/env python3
"""make_data.py - the bundled example data set for rules/units/wenxueyuan.zd.

Writes, beside this script, events.csv, roster.csv, topics.csv, calendar.csv
and wenxueyuan.db (the same rows as SQLite tables events/roster/topics/
calendar), in the format of docs/data.md.

    python3 examples/wenxueyuan/make_data.py              # write the data set
    python3 examples/wenxueyuan/make_data.py --out DIR    # ... into DIR instead
    python3 examples/wenxueyuan/make_data.py --expected   # the violations the
                                                          # scenario was written for

The School of Liberal Arts (文学院) applies the university's regulation by
reference (rules/units/wenxueyuan.zd): its principal leaders are the
院党委书记 and the 院长; its 院党委会 stands for both 党委常委会 and 党委全委会,
its 党政联席会 for 校长办公会; the 领导班子碰头会 is held EVERY week (not every
other week); emergencies and major activities are reported within ONE hour;
the yearly checks (O16) are disabled. The roles of the office directors are
not renamed by the rule file, so the school's 党政办公室主任 carries the role
党委办公室主任.

One semester, 2024-2025-2 (2025-02-17 .. 2025-07-05), written deliberately:
regular business by loops, every departure by hand with a comment naming the
tag it breaks or keeps; violation(...) declares each intended violation.
"""
import datetime as dt
import os
import sys

sys.dont_write_bytecode = True     # no examples/__pycache__ beside the data
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
import datagen  # noqa: E402  (examples/datagen.py)
from datagen import D, week  # noqa: E402

QIN = "19960318"    # 覃建华  院党委书记: 党建, 干部
HUANG = "20020915"  # 黄永林  院长: 学科建设, 人事, 财务
LI = "20050627"     # 李秋萍  院党委副书记: 学生工作, 宣传, 安全稳定
JIANG = "20080110"  # 蒋文博  副院长: 教学, 招生就业
LUO = "20101203"    # 罗晓燕  副院长: 科研, 学术交流
LU = "20120419"     # 陆海峰  副院长: 研究生, 国际交流
LUXL = "20150708"   # 卢小玲  党政办公室主任 (role 党委办公室主任)
WEI = "20160302"    # 韦志坚  古代文学教研室主任 (not on the roster)
PAN = "20180624"    # 潘思远  研究生秘书 (not on the roster)

NAMES = {QIN: "覃建华", HUANG: "黄永林", LI: "李秋萍", JIANG: "蒋文博", LUO: "罗晓燕",
         LU: "陆海峰", LUXL: "卢小玲", WEI: "韦志坚", PAN: "潘思远"}
TEAM = [QIN, HUANG, LI, JIANG, LUO, LU]

ROSTER = [
    (QIN, "院党委书记", "2021-07-01", "", ""),
    (QIN, "班子成员", "2021-07-01", "", "党建;干部"),
    (HUANG, "院长", "2023-01-01", "", ""),
    (HUANG, "班子成员", "2023-01-01", "", "学科建设;人事;财务"),
    (LI, "班子成员", "2019-09-01", "", "学生工作;宣传;安全稳定"),
    (JIANG, "班子成员", "2020-03-01", "", "教学;招生就业"),
    (LUO, "班子成员", "2022-09-01", "", "科研;学术交流"),
    (LU, "班子成员", "2023-09-01", "", "研究生;国际交流"),
    (LUXL, "党委办公室主任", "2021-03-01", "", ""),
]

CALENDAR = [
    ("2024-2025寒假", "vacation", "2025-01-18", "2025-02-17"),
    ("2024-2025-2", "semester", "2025-02-17", "2025-07-05"),
    ("2025暑假", "vacation", "2025-07-05", "2025-09-01"),
    # The university's two-week cycle anchor. The school's rule file makes the
    # catch-up meeting weekly (every week as 周期): the anchor plays no part.
    ("碰头会周期2024-2025-2", "cycle-anchor", "2025-02-17", ""),
]

TOPICS = [
    ("WX25-01", "学院2025年预算及经费分配方案", "三重一大;行政", HUANG, "财务;教学;科研"),
    ("WX25-02", "学院2025年党建工作要点", "党建", QIN, "党建"),
    ("WX25-03", "汉语言文学专业人才培养方案修订", "长远发展;行政", JIANG, "教学"),
    ("WX25-04", "学生评优评先及奖学金评定细则", "师生权益", LI, "学生工作;财务"),
    ("WX25-05", "学院教师岗位聘任方案", "三重一大;师生权益", HUANG, "人事;教学;科研"),
    ("WX25-06", "中国语言文学学科建设经费使用方案", "三重一大;长远发展", LUO, "科研;财务"),
    ("WX25-07", "研究生导师遴选办法", "师生权益", LU, "研究生"),
    ("WX25-08", "学院意识形态工作责任清单", "党建", LI, "宣传"),
    ("WX25-09", "学院实验室与资料室安全管理规定", "行政", LI, "安全稳定"),
    ("WX25-10", "本科教学质量奖励办法", "师生权益;行政", JIANG, "教学;财务"),
    ("WX25-11", "教职工年度考核方案", "三重一大;师生权益", HUANG, "人事"),
]

DATA = datagen.DataSet("wenxueyuan.db", id_format="WX%04d")
ev = DATA.ev
violation = DATA.violation
con = DATA.consultation
taolun = DATA.discussion    # a 讨论会 convened by actor (O8)
AWAY = datagen.Absences()
away = AWAY.has

# ------------------------------------------------------------ absences (O14, O15)
ev("ab_huang_h", "2025-03-28 16:00", "handover", HUANG, [QIN], ref="ab_huang",
   note="黄永林出差前向覃建华交接工作")
ev("ab_huang", "2025-03-31 08:00", "absence", HUANG, kind="出差", end="2025-04-03 18:00",
   note="黄永林赴北京参加教育部中文学科评议组会议")
# O14 KEPT.
AWAY.append((HUANG, D("2025-03-31"), D("2025-04-03")))

ev("ab_qin", "2025-05-26 08:00", "absence", QIN, kind="学习", end="2025-05-30 18:00",
   note="覃建华参加学校基层党组织书记培训班")
# O14 BROKEN: the 院党委书记 leaves without handing over to the 院长.
violation("O14", [QIN, HUANG], trigger="ab_qin", why="没有任何交接")
AWAY.append((QIN, D("2025-05-26"), D("2025-05-30")))

ev("ab_jiang_q", "2025-04-07 10:00", "leave_request", JIANG, [HUANG], ref="ab_jiang",
   note="蒋文博向黄永林请假")
ev("ab_jiang_a", "2025-04-08 09:00", "approval", HUANG, outcome="approved", ref="ab_jiang_q",
   note="黄永林批准")
ev("ab_jiang", "2025-04-09 08:00", "absence", JIANG, kind="出差", end="2025-04-11 08:00",
   note="蒋文博赴南宁参加教学成果奖评审（2天）")
# O15.leave KEPT; O15.delegation not judged (exactly 2 days < 3 days).
AWAY.append((JIANG, D("2025-04-09"), D("2025-04-11")))

ev("ab_lu_q", "2025-04-28 10:00", "leave_request", LU, [QIN, HUANG], ref="ab_lu",
   note="陆海峰请假出访")
ev("ab_lu_a", "2025-04-29 09:00", "approval", QIN, outcome="approved", ref="ab_lu_q",
   note="覃建华批准")
ev("ab_lu_d", "2025-04-30 15:00", "delegation", LU, [LUO, PAN], ref="ab_lu",
   note="陆海峰委托罗晓燕代管研究生工作，研究生秘书协助")
ev("ab_lu", "2025-05-06 07:00", "absence", LU, kind="出差", end="2025-05-16 22:00",
   note="陆海峰赴越南、泰国合作高校访问（10天）")
# O15.leave KEPT; O15.delegation KEPT (罗晓燕 is a member; PAN is not, but one
# member among the targets is enough).
AWAY.append((LU, D("2025-05-06"), D("2025-05-16")))

ev("ab_li", "2025-05-07 08:00", "absence", LI, kind="出差", end="2025-05-08 20:00",
   note="李秋萍带学生赴百色开展社会实践")
# O15.leave BROKEN: no leave request. (1.5 days: no delegation needed.)
violation("O15.leave", [LI], trigger="ab_li", why="没有 leave_request")
AWAY.append((LI, D("2025-05-07"), D("2025-05-08")))

ev("ab_luo_q", "2025-05-30 10:00", "leave_request", LUO, [QIN], ref="ab_luo",
   note="罗晓燕请假")
ev("ab_luo_a", "2025-06-03 08:00", "approval", HUANG, outcome="approved", ref="ab_luo_q",
   note="黄永林批准（覃建华外出学习，请假单转院长）")
ev("ab_luo", "2025-06-04 08:00", "absence", LUO, kind="学习", end="2025-06-08 18:00",
   note="罗晓燕参加国家社科基金评审培训（4天）")
# O15.leave KEPT (who approves among the principal leaders is free; the
# recipients of the request are not constrained). O15.delegation BROKEN: four
# days and no delegation.
violation("O15.delegation", [LUO], trigger="ab_luo", why="外出4天，没有 delegation")
AWAY.append((LUO, D("2025-06-04"), D("2025-06-08")))

# ------------------------------------------------------------ incidents (O10 1 h, O11)
ev("in1", "2025-03-20 14:00", "incident", LI, kind="突发事件", note="学生心理危机事件")
ev("in1_r", "2025-03-20 14:40", "report", LI, [QIN, HUANG], ref="in1",
   note="李秋萍40分钟内向书记、院长汇报")
ev("in1_p", "2025-03-20 15:00", "plan", LI, ref="in1", note="陪护及家校联系预案")
ev("in1_a", "2025-03-20 15:20", "approval", QIN, outcome="approved", ref="in1_p",
   note="覃建华同意")
ev("in1_i", "2025-03-20 15:30", "implementation", LI, ref="in1_p", note="实施")
# O10 KEPT for both, O11 KEPT.

ev("in2", "2025-04-28 19:00", "incident", LI, kind="突发事件", note="学生宿舍纠纷致一人受伤")
ev("in2_r", "2025-04-28 20:30", "report", LI, [QIN, HUANG], ref="in2",
   note="李秋萍1.5小时后才汇报")
ev("in2_p", "2025-04-28 20:40", "plan", LI, ref="in2", note="调解及就医预案")
ev("in2_a", "2025-04-28 21:00", "approval", JIANG, outcome="approved", ref="in2_p",
   note="副院长蒋文博同意")
ev("in2_i", "2025-04-28 21:10", "implementation", LI, ref="in2_p", note="实施")
# O10 BROKEN for both principal leaders: 1.5 h > the school's 1 h (under the
# university's 2 h it would have been kept).
violation("O10", [LI, QIN], trigger="in2", why="1.5小时后汇报，学院时限1小时")
violation("O10", [LI, HUANG], trigger="in2", why="1.5小时后汇报，学院时限1小时")
# O11 BROKEN: approved by 蒋文博, not a principal leader.
violation("O11", ["in2_p"], trigger="in2_i", why="审核同意人蒋文博不是主要领导")

ev("in3", "2025-05-22 09:00", "incident", JIANG, kind="重大活动",
   note="学院承办全国古代文学学术研讨会")
ev("in3_r", "2025-05-22 10:00", "report", JIANG, [QIN, HUANG], ref="in3",
   note="蒋文博恰好1小时后汇报")
ev("in3_p", "2025-05-22 10:20", "plan", JIANG, ref="in3", note="会务及安全预案")
ev("in3_a", "2025-05-22 10:40", "approval", HUANG, outcome="approved", ref="in3_p",
   note="黄永林同意")
ev("in3_i", "2025-05-22 11:00", "implementation", JIANG, ref="in3_p", note="实施")
# O10 KEPT for both: exactly 1 h (<=). O11 KEPT.

ev("in4", "2025-06-12 10:00", "incident", LUO, kind="重大活动",
   note="学院接受国家社科基金重大项目中期检查")
ev("in4_r1", "2025-06-12 10:30", "report", LUO, [HUANG], ref="in4", note="罗晓燕向黄永林汇报")
ev("in4_r2", "2025-06-12 11:10", "report", LUO, [QIN], ref="in4",
   note="罗晓燕1小时10分后向覃建华汇报")
ev("in4_p", "2025-06-12 11:20", "plan", LUO, ref="in4", note="迎检预案")
ev("in4_i", "2025-06-12 11:30", "implementation", LUO, ref="in4_p", note="按预案准备")
ev("in4_a", "2025-06-12 14:00", "approval", QIN, outcome="approved", ref="in4_p",
   note="覃建华下午才同意")
# O10 KEPT for 黄永林 (30 min), BROKEN for 覃建华 (70 min > 1 h).
violation("O10", [LUO, QIN], trigger="in4", why="向书记汇报在70分钟后")
# O11 BROKEN: implemented before the approval.
violation("O11", ["in4_p"], trigger="in4_i", why="实施早于审核同意")

# ------------------------------------------------------------ delays (O9)
ev("dl1", "2025-04-08 10:00", "delay", JIANG, topic=["WX-ZD-03"],
   note="新文科教材建设项目出版受阻")
ev("dl1_r", "2025-04-09 09:00", "report", JIANG, [HUANG], ref="dl1",
   note="蒋文博次日向黄永林汇报")
# O9 KEPT.
ev("dl2", "2025-05-26 10:00", "delay", LUO, topic=["WX-ZD-05"],
   note="学科评估材料数据采集受阻")
ev("dl2_r", "2025-05-30 10:00", "report", LUO, [HUANG], ref="dl2", note="罗晓燕4天后才汇报")
# O9 BROKEN: 96 h > 72 h.
violation("O9", [LUO], trigger="dl2", why="汇报晚于72小时")

# ------------------------------------------------------------ directives (O17)
ev("dir1", "2025-02-20 10:00", "directive", topic=["师党〔2025〕3号"],
   note="收到校党委文件")
ev("dir2", "2025-03-27 10:00", "directive", topic=["师政发〔2025〕11号"],
   note="收到学校行政文件")
ev("dir3", "2025-05-26 09:00", "directive", topic=["桂教高教〔2025〕8号"],
   note="收到自治区教育厅文件")
ev("dir4", "2025-07-07 15:00", "directive", topic=["师党〔2025〕20号"],
   note="收到校党委文件（最后一个事件：其后没有会议，待定）")

# ------------------------------------------------------------ decision meetings
def dwh(key, time, agenda, note):
    """院党委会 (stands for 党委常委会 and 党委全委会)"""
    who = AWAY.present(TEAM, D(time[:10]), without=[QIN])
    return ev(key, time, "meeting", QIN, who, [LUXL], "院党委会", agenda, note=note)


def lxh(key, time, agenda, note):
    """党政联席会 (stands for 校长办公会)"""
    who = AWAY.present(TEAM, D(time[:10]), without=[HUANG])
    return ev(key, time, "meeting", HUANG, who, [LUXL], "党政联席会", agenda, note=note)


con("c_01_jiang", "2025-02-26 10:00", HUANG, [JIANG, LUO], ["WX25-01"],
    note="黄永林就预算方案与分管教学、科研的蒋文博、罗晓燕沟通")
con("c_lx0304", "2025-03-03 16:00", HUANG, [QIN], ["WX25-01", "师党〔2025〕3号"],
    note="院长就上会议题与院党委书记沟通")
lxh("lx0304", "2025-03-04 14:30", ["师党〔2025〕3号", "WX25-01"],
    "党政联席会：传达校党委文件、学院预算")
# O17 KEPT (dir1's first 院党委会/党政联席会 briefs it); O5 KEPT for both items;
# O7 KEPT for WX25-01 (lead 黄永林, areas 财务;教学;科研: 蒋文博 (教学) and
# 罗晓燕 (科研) consulted in one consultation; 财务 is the lead's own).
con("c_dw0311", "2025-03-07 10:00", QIN, [HUANG], ["WX25-02"], note="院党委书记与院长沟通")
dwh("dw0311", "2025-03-11 14:30", ["WX25-02"], "院党委会：学院党建工作要点")
# O4 KEPT (院党委会 stands for 党委常委会).
taolun("tl03", "2025-03-18 15:00", JIANG, [LUO, WEI], ["WX25-03"],
       "蒋文博召开培养方案修订讨论会（教研室主任参加）")
con("c_lx0325", "2025-03-21 10:00", HUANG, [QIN], ["WX25-03"], note="院长与院党委书记沟通")
lxh("lx0325", "2025-03-25 14:30", ["WX25-03"], "党政联席会：培养方案修订")
# O5, O8 KEPT.
con("c_lx0415", "2025-04-11 10:00", HUANG, [QIN], ["WX25-04"], note="院长与院党委书记沟通")
lxh("lx0415", "2025-04-15 14:30", ["WX25-04"], "党政联席会：评优评先细则")
# O5 KEPT. O8 BROKEN: 师生权益, and its lead 李秋萍 held no 讨论会 on it.
violation("O8", ["WX25-04"], trigger="lx0415", why="分管领导李秋萍没有召开讨论会")
# O17 BROKEN: lx0415 is the first 院党委会/党政联席会 after dir2 (03-27) and
# does not brief 师政发〔2025〕11号 (briefed only on 04-22).
violation("O17", ["师政发〔2025〕11号"], trigger="dir2",
          why="dir2之后的第一次会议lx0415没有通报")
con("c_05_huang", "2025-04-16 10:00", HUANG, [JIANG], ["WX25-05"],
    note="黄永林就岗位聘任方案与分管教学的蒋文博沟通")
taolun("tl05", "2025-04-17 15:00", HUANG, [JIANG, LUO, LI, WEI], ["WX25-05"],
       "黄永林召开岗位聘任方案讨论会")
con("c_dw0422", "2025-04-18 10:00", QIN, [HUANG], ["WX25-05", "师政发〔2025〕11号"],
    note="院党委书记与院长沟通")
dwh("dw0422", "2025-04-22 14:30", ["WX25-05", "师政发〔2025〕11号"],
    "院党委会：岗位聘任方案、传达学校文件")
# O4, O8 KEPT. O7 BROKEN for 罗晓燕 (科研), not consulted; KEPT for 蒋文博.
violation("O7", ["WX25-05", LUO], trigger="dw0422", why="黄永林未与分管科研的罗晓燕沟通")
con("c_06_luo", "2025-05-06 10:00", LUO, [HUANG], ["WX25-06"],
    note="罗晓燕就学科建设经费与分管财务的黄永林沟通")
taolun("tl06", "2025-05-08 15:00", LUO, [HUANG, JIANG], ["WX25-06"],
       "罗晓燕召开学科建设经费讨论会")
con("c_dw0513", "2025-05-09 10:00", QIN, [HUANG], ["WX25-06"], note="院党委书记与院长沟通")
dwh("dw0513", "2025-05-13 14:30", ["WX25-06", "WX25-08"],
    "院党委会：学科建设经费、意识形态责任清单")
# O4, O7 (黄永林 consulted), O8 KEPT for WX25-06.
# O4 BROKEN for WX25-08: nobody consulted on it.
violation("O4", ["WX25-08"], trigger="dw0513", why="院党委书记未与院长沟通")
lxh("lx0520", "2025-05-20 14:30", ["WX25-09"], "党政联席会：实验室与资料室安全管理规定")
# O5 BROKEN: no consultation.
violation("O5", ["WX25-09"], trigger="lx0520", why="院长未与院党委书记沟通")
taolun("tl10", "2025-05-27 15:00", JIANG, [LUO, HUANG], ["WX25-10"],
       "蒋文博召开教学质量奖励办法讨论会")
# O6 KEPT by reading 7: two consultations at the same minute; the later row
# (agreement) wins over the earlier one (disagreement).
con("c_10a", "2025-05-29 10:00", HUANG, [QIN], ["WX25-10", "桂教高教〔2025〕8号"],
    outcome="disagree", note="院长与院党委书记沟通：奖励额度意见不一致")
con("c_10b", "2025-05-29 10:00", HUANG, [QIN], ["WX25-10", "桂教高教〔2025〕8号"],
    note="同一次沟通中调整额度后取得共识")
lxh("lx0603", "2025-06-03 14:30", ["桂教高教〔2025〕8号", "WX25-10"],
    "党政联席会：传达教育厅文件、教学质量奖励办法")
# O17 KEPT (dir3). O5, O8 KEPT; O6 KEPT (see above).
con("c_lx0610", "2025-06-06 10:00", HUANG, [QIN], ["WX25-07"], note="院长与院党委书记沟通")
lxh("lx0610", "2025-06-10 14:30", ["WX25-07"], "党政联席会：研究生导师遴选办法")
taolun("tl07", "2025-06-17 15:00", LU, [LUO, PAN], ["WX25-07"],
       "陆海峰会后才召开导师遴选讨论会")
# O5 KEPT. O8 BROKEN: the 讨论会 by the lead 陆海峰 is after the meeting.
violation("O8", ["WX25-07"], trigger="lx0610", why="讨论会在上会之后（06-17）")
taolun("tl11", "2025-06-11 15:00", HUANG, [LI, JIANG, LUO, LU, WEI], ["WX25-11"],
       "黄永林召开年度考核方案讨论会")
con("c_lx0617", "2025-06-13 10:00", HUANG, [QIN], ["WX25-11"], outcome="disagree",
    note="院长与院党委书记就考核方案意见不一致")
lxh("lx0617", "2025-06-17 14:30", ["WX25-11"], "党政联席会：教职工年度考核方案")
# O5 KEPT (a consultation exists). O6 BROKEN: it ended in disagreement.
violation("O6", ["WX25-11"], trigger="lx0617", why="唯一一次沟通意见不一致仍上会")
# O7 for WX25-11 (areas 人事): nobody but the lead holds 人事 - nothing to check. O8 KEPT.

# ------------------------------------------------------------ O1: weekly talk
O1_BREAKS = {D("2025-05-12"): "本周院党委书记与院长没有沟通"}
for k, m in enumerate(datagen.mondays(D("2025-02-17"), D("2025-06-30"))):
    wed = m + dt.timedelta(days=2)
    if m in O1_BREAKS:
        violation("O1", [QIN, HUANG], window=week(m), why=O1_BREAKS[m])
    else:
        phone = away(QIN, wed) or away(HUANG, wed)
        a, b = (QIN, HUANG) if k % 2 == 0 else (HUANG, QIN)
        ev("wk%s" % m.strftime("%m%d"), "%s 17:00" % wed.isoformat(), "communication", a, [b],
           kind="电话沟通" if phone else "个别交流",
           note="院党委书记与院长每周沟通" + ("（电话）" if phone else ""))
# O1 KEPT every other judged week (02-17 .. 06-23); the week of 06-30 overlaps
# the summer vacation and is not judged.

# ------------------------------------------------------------ O2, O3: weekly catch-up meeting
O2_BREAKS = {D("2025-04-07"): "本周没有召开碰头会"}
for m in datagen.mondays(D("2025-02-17"), D("2025-06-30")):
    day = m
    note = "学院领导班子碰头会"
    extra_obs = []
    if m in O2_BREAKS:
        violation("O2", [], window=week(m), why=O2_BREAKS[m])
        continue
    if m == D("2025-05-05"):
        day = D("2025-05-06")
        note = "学院领导班子碰头会（劳动节假期顺延至周二）"
    if m == D("2025-04-14"):
        extra_obs = [WEI]
        note = "学院领导班子碰头会（教研室主任列席）"
    key = "ph%s" % day.strftime("%m%d")
    actor = QIN if not away(QIN, day) else HUANG
    ev(key, "%s 08:00" % day.isoformat(), "meeting", actor,
       AWAY.present(TEAM, day, without=[actor]), [LUXL] + extra_obs, "领导班子碰头会", note=note)
    if day.weekday() != 0:
        # O2 KEPT for the week; O2.monday BROKEN.
        violation("O2.monday", [], trigger=key, why="2025-05-06是周二")
    if extra_obs:
        # O3 BROKEN: a head of a teaching section is not a member or the director.
        violation("O3", [WEI], trigger=key, why="韦志坚不是班子成员也不是办公室主任")
# The weekly meeting of 06-30 lies in a week that overlaps the summer vacation
# (not judged for O2, still judged for O2.monday and O3: it is a Monday and
# only members and the director attend).

# ------------------------------------------------------------ O12, O13: heart-to-heart talks
# 6 members all semester: 15 pairs. The secretary and the dean with everyone.
TALKS = [
    # (date, actor, targets)
    ("2025-03-05 15:00", QIN, [HUANG]),
    ("2025-03-06 15:00", QIN, [LI]),
    ("2025-03-07 15:00", QIN, [JIANG]),
    ("2025-03-12 15:00", QIN, [LUO]),
    # 覃建华 never talks with 陆海峰: O12 and O13 BROKEN (see below).
    ("2025-03-13 15:00", HUANG, [JIANG]),
    ("2025-03-14 15:00", HUANG, [LUO]),
    # one talk, two counterparts: 黄永林 with 李秋萍 and 陆海峰 together - both
    # pairs are kept (actor communicates with each person in targets).
    ("2025-03-19 15:00", HUANG, [LI, LU]),
    ("2025-04-02 15:00", LI, [JIANG]),
    ("2025-04-16 15:00", LI, [LUO]),
    # the reverse direction counts too: 陆海峰 initiates with 李秋萍
    ("2025-04-23 15:00", LU, [LI]),
    # 蒋文博 and 罗晓燕 never talk: O13 BROKEN (see below).
    ("2025-04-24 15:00", JIANG, [LU]),
    ("2025-04-25 15:00", LUO, [LU]),
]
for n, (t, a, tg) in enumerate(TALKS):
    ev("tx%02d" % n, t, "communication", a, tg, kind="谈心谈话",
       note="%s与%s谈心谈话" % (NAMES[a], "、".join(NAMES[x] for x in tg)))
ev("tx_jl", "2025-06-19 16:00", "communication", JIANG, [LUO], kind="通报",
   note="蒋文博向罗晓燕通报教学检查情况（通报，不是谈心谈话）")
violation("O12", [QIN, LU], window=("2025-02-17", "2025-07-05"),
          why="院党委书记覃建华本学期未与陆海峰谈心谈话")
violation("O13", [QIN, LU], window=("2025-02-17", "2025-07-05"), why="两人之间没有谈心谈话")
violation("O13", [JIANG, LUO], window=("2025-02-17", "2025-07-05"),
          why="两人只有一次通报，没有谈心谈话")


if __name__ == "__main__":
    DATA.main(__file__, datagen.named_roster(ROSTER, NAMES), TOPICS, CALENDAR)
