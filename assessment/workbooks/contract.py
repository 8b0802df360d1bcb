"""The import workbook's contract (SPEC §6): its sheets and headers and the Chinese labels its
cells use. The template writes it, the year export writes it, the reader and the validation read
it; each of them takes the names from here."""

from projects.models import CARRIED_LABEL, NEW_LABEL, Category, MilestoneKind

UNITS = "单位"
GROUPS = "协作组"
INDICATORS = "考核指标"
TARGETS = "目标"
PROJECTS = "项目"
SHARES = "分成"
INVESTMENTS = "固定资产投资"
FUNDS = "到位资金"

# Sheet → headers, exactly as SPEC §6 names them, in the order they are imported.
SHEETS = {
    UNITS: ["单位名称", "单位类型", "负责人"],
    GROUPS: ["年度", "协作组", "组长", "牵头单位", "成员单位"],
    INDICATORS: [
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
    ],
    TARGETS: ["年度", "对象", "指标代码", "年度目标"],
    PROJECTS: [
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
    SHARES: ["项目名称", "单位", "比例(%)"],
    INVESTMENTS: ["项目名称", "月份", "金额(万元)"],
    FUNDS: ["项目名称", "日期", "来源", "金额(万元)"],
}
# Optional columns a workbook may carry besides SPEC §6's (the year export writes them). The
# 编号 columns are the rows' stable identity (issue 16, `assessment.workbooks.identity`).
PROJECT_CODE = "项目编号"
FUNDS_CODE = "编号"
# 来源地 of funds (issue 17, `FundsEntry.source_region`): optional; a file without the column
# leaves the stored 来源地 as it is.
FUNDS_REGION = "资金来源地"
OPTIONAL_COLUMNS = {
    INDICATORS: ["显示单位"],
    PROJECTS: [PROJECT_CODE],
    FUNDS: [FUNDS_CODE, FUNDS_REGION],
}
# A sheet of notes for people; never imported. Offices add their own (说明, 填表须知…): a sheet
# whose name holds one of NOTES_WORDS is not imported either, and neither is an empty one.
NOTES_SHEET = "填写说明"
NOTES_WORDS = ("说明", "须知", "备注", "注意事项", "填表要求")
# Columns holding a figure. A cell merged over several rows cannot say whose figure it is, so it
# is refused there; in any other column each row of the range takes the range's value.
FIGURE_COLUMNS = frozenset(
    ["门槛(万元)", "权重", "年度目标", "总投资(万元)", "合同投资(万元)", "比例(%)", "金额(万元)"]
)

MILESTONE_COLUMNS = {
    "签约日期": MilestoneKind.SIGNED,
    "开工日期": MilestoneKind.STARTED,
    "竣工日期": MilestoneKind.COMPLETED,
}
# The 项目 sheet's 新引进/结转 column, in the projects app's own words: read as the workbook
# year's value (`validation.workbook_year`).
NEWNESS = {NEW_LABEL: True, CARRIED_LABEL: False}
YES, NO = "是", "否"
MEMBER_SEPARATOR = "、"

# The template's example of each sheet, header → value — names that are not the demo city's
# (issue 22), so a demo user does not mistake them for data. Shown on the 填写说明 sheet only, never
# in the sheets that are imported (issue 16, case 5: examples imported as real data). A workbook
# made from an older template may still hold them as its first row: the reader recognises a row
# equal to its sheet's example and skips it with a note.
EXAMPLES = {
    UNITS: {"单位名称": "江北区", "单位类型": "县区", "负责人": "黄志鹏"},
    GROUPS: {
        "年度": 2026,
        "协作组": "第一协作组（示例）",
        "组长": "蒋立人",
        "牵头单位": "市经济合作办公室",
        "成员单位": "江北区、江南区",
    },
    INDICATORS: {
        "年度": 2026,
        "代码": "signed_100m",
        "名称": "新引进亿元合同项目",
        "类型": "节点项目个数",
        "节点": "签约",
        "投资口径": "合同投资",
        "门槛(万元)": 10000,
        "仅新引进": YES,
        "资金来源": "",
        "权重": 25,
    },
    TARGETS: {"年度": 2026, "对象": "江北区", "指标代码": "signed_100m", "年度目标": 4},
    PROJECTS: {
        "项目名称": "年产8万台新能源汽车驱动电机示例项目",
        "责任单位": "江北区",
        "投资方": "某某电机科技有限公司",
        "统一社会信用代码": "91320500MA1XXXXX0X",
        "产业": "装备制造",
        "类别": "产业类（工业创税型）",
        "新引进/结转": NEW_LABEL,
        "总投资(万元)": 52000,
        "合同投资(万元)": 50000,
        "签约日期": "2026-01-15",
        "开工日期": "2026-03-20",
        "竣工日期": "",
    },
    SHARES: {"项目名称": "年产8万台新能源汽车驱动电机示例项目", "单位": "江北区", "比例(%)": 100},
    INVESTMENTS: {
        "项目名称": "年产8万台新能源汽车驱动电机示例项目",
        "月份": "2026-03",
        "金额(万元)": 3200.5,
    },
    FUNDS: {
        "项目名称": "年产8万台新能源汽车驱动电机示例项目",
        "日期": "2026-02-10",
        "来源": "企业和个人投资",
        "金额(万元)": 8000,
    },
}
# The examples as older templates had them in row 2 (before the 填写说明 sheet): what the reader
# recognises and skips in a file made from such a template.
LEGACY_EXAMPLES = {
    UNITS: {"单位名称": "东湖区", "单位类型": "县区", "负责人": "王建华"},
    GROUPS: {
        "年度": 2026,
        "协作组": "第一招商协作组",
        "组长": "张建国",
        "牵头单位": "市发展和改革委员会",
        "成员单位": "东湖区、西山区",
    },
    INDICATORS: {
        "年度": 2026,
        "代码": "signed_100m",
        "名称": "新引进亿元合同项目",
        "类型": "节点项目个数",
        "节点": "签约",
        "投资口径": "合同投资",
        "门槛(万元)": 10000,
        "仅新引进": YES,
        "资金来源": "",
        "权重": 25,
    },
    TARGETS: {"年度": 2026, "对象": "东湖区", "指标代码": "signed_100m", "年度目标": 4},
    PROJECTS: {
        "项目名称": "年产10万台新能源汽车电机项目",
        "责任单位": "东湖区",
        "投资方": "某某电机科技有限公司",
        "统一社会信用代码": "91320500MA1XXXXX0X",
        "产业": "装备制造",
        "类别": "产业类（工业创税型）",
        "新引进/结转": NEW_LABEL,
        "总投资(万元)": 52000,
        "合同投资(万元)": 50000,
        "签约日期": "2026-01-15",
        "开工日期": "2026-03-20",
        "竣工日期": "",
    },
    SHARES: {"项目名称": "年产10万台新能源汽车电机项目", "单位": "东湖区", "比例(%)": 100},
    INVESTMENTS: {
        "项目名称": "年产10万台新能源汽车电机项目",
        "月份": "2026-03",
        "金额(万元)": 3200.5,
    },
    FUNDS: {
        "项目名称": "年产10万台新能源汽车电机项目",
        "日期": "2026-02-10",
        "来源": "企业和个人投资",
        "金额(万元)": 8000,
    },
}


def labels(choices):
    """Chinese label → stored value for a TextChoices class."""
    return {str(label): value for value, label in choices.choices if value}


def category_labels():
    """Category labels, plus the short form before the bracket ('产业类')."""
    mapping = labels(Category)
    for label, value in list(mapping.items()):
        short = label.split("（")[0]
        mapping.setdefault(short, value)
    return mapping
