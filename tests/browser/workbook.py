"""The year workbook the assessment office imports in journey 3 (SPEC §6 sheets and headers).

Four units, one group, two indicators (新引进亿元合同项目 and 实际到位资金, weight 50 each),
targets, four projects signed in 2026 and three funds entries. Imported as verified historical
data, the third quarter of 2026 works out as:

    东湖区  signed 2/2, funds 9000/20000  → score 72.50, rank 1
    高新区  signed 0/1, funds 5000/5000   → score 50.00, rank 2
    西山区  signed 1/2, funds 4000/10000  → score 45.00, rank 3
"""

import io

from openpyxl import Workbook

YEAR = 2026
QUARTER = 3
EXPECTED_SCORES = {"东湖区": "72.50", "高新区": "50.00", "西山区": "45.00"}

SHEETS = {
    "单位": [
        ["单位名称", "单位类型", "负责人"],
        ["东湖区", "县区", "王建华"],
        ["西山区", "县区", "李明"],
        ["高新区", "园区", "赵文"],
        ["市发改委", "市直部门", "周明远"],
    ],
    "协作组": [
        ["年度", "协作组", "组长", "牵头单位", "成员单位"],
        [YEAR, "第一招商协作组", "张建国", "市发改委", "东湖区、西山区、高新区"],
    ],
    "考核指标": [
        [
            "年度",
            "代码",
            "名称",
            "类型",
            "节点",
            "投资口径",
            "门槛(万元)",
            "仅新引进",
            "资金来源",
            "权重",
            "显示单位",
        ],
        [YEAR, "signed_100m", "新引进亿元合同项目", "节点项目个数", "签约", "合同投资"]
        + [10000, "是", "", 50, "个"],
        [YEAR, "funds", "实际到位资金", "实际到位资金", "", "", "", "否", "", 50, "万元"],
    ],
    "目标": [
        ["年度", "对象", "指标代码", "年度目标"],
        [YEAR, "东湖区", "signed_100m", 2],
        [YEAR, "东湖区", "funds", 20000],
        [YEAR, "西山区", "signed_100m", 2],
        [YEAR, "西山区", "funds", 10000],
        [YEAR, "高新区", "signed_100m", 1],
        [YEAR, "高新区", "funds", 5000],
        [YEAR, "第一招商协作组", "signed_100m", 5],
        [YEAR, "第一招商协作组", "funds", 35000],
    ],
    "项目": [
        [
            "项目名称",
            "责任单位",
            "投资方",
            "统一社会信用代码",
            "产业",
            "类别",
            "新引进/结转",
            "总投资(万元)",
            "合同投资(万元)",
            "签约日期",
            "开工日期",
            "竣工日期",
        ],
        ["年产5万吨锂电正极材料项目", "东湖区", "湖南锂能科技有限公司", "", "新能源"]
        + ["产业类（工业创税型）", "新引进", 16000, 15000, "2026-03-10", "", ""],
        ["高端数控机床产业园项目", "东湖区", "江苏精工机械有限公司", "", "装备制造"]
        + ["产业类（工业创税型）", "新引进", 13000, 12000, "2026-05-20", "", ""],
        ["冷链物流中心项目", "西山区", "浙江冷链物流有限公司", "", "现代物流"]
        + ["产业类（工业创税型）", "新引进", 11500, 11000, "2026-08-01", "", ""],
        ["智能传感器研发中心项目", "高新区", "深圳感知电子有限公司", "", "电子信息"]
        + ["产业类（工业创税型）", "新引进", 8500, 8000, "2026-06-01", "", ""],
    ],
    "到位资金": [
        ["项目名称", "日期", "来源", "金额(万元)"],
        ["年产5万吨锂电正极材料项目", "2026-04-15", "企业和个人投资", 9000],
        ["冷链物流中心项目", "2026-08-20", "向上争取资金", 4000],
        ["智能传感器研发中心项目", "2026-07-01", "企业和个人投资", 5000],
    ],
}

# The one bad row of the first upload: a negative amount on 到位资金 row 3 (column 金额(万元)).
BAD_SHEET, BAD_ROW, BAD_COLUMN = "到位资金", 3, "金额(万元)"


def workbook_bytes(bad=False):
    """The workbook as .xlsx bytes; `bad=True` puts a negative amount in one funds row."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in SHEETS.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    if bad:
        wb[BAD_SHEET].cell(row=BAD_ROW, column=4, value=-4000)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
