"""Names for the demo city (issue 22 item 5): people, companies, projects and leads that read like
a real city's, from a seeded generator so every load is the same.

Plain Python (Faker is not a dependency): surnames weighted roughly as China's census counts
them, given names of one or two characters from common name characters, company names built
whole (城市 + 字号 + 行业 + 有限公司 / 股份有限公司, never cut), project names in the forms
investment offices use (年产5万吨…项目, …产业园, …生产基地建设项目).
"""

import random

# The most common surnames with rough shares (‰ of the population); the rest share the remainder.
SURNAMES = {
    "王": 72, "李": 72, "张": 68, "刘": 54, "陈": 46, "杨": 32, "黄": 23, "赵": 22, "吴": 20,
    "周": 20, "徐": 14, "孙": 13, "马": 12, "朱": 11, "胡": 11, "郭": 11, "何": 10, "林": 9,
    "高": 9, "罗": 9, "郑": 9, "梁": 8, "谢": 7, "宋": 6, "唐": 6, "许": 6, "韩": 6, "冯": 6,
    "邓": 5, "曹": 5, "彭": 5, "曾": 5, "肖": 5, "田": 5, "董": 5, "袁": 4, "潘": 4, "于": 4,
    "蒋": 4, "蔡": 4, "余": 4, "杜": 4, "叶": 4, "程": 4, "苏": 3, "魏": 3, "吕": 3, "丁": 3,
    "任": 3, "沈": 3, "姚": 3, "卢": 3, "姜": 3, "崔": 3, "钟": 3, "谭": 3, "陆": 3, "汪": 3,
    "范": 2, "金": 2, "石": 2, "廖": 2, "贾": 2, "夏": 2, "韦": 2, "付": 2, "方": 2, "邹": 2,
    "熊": 2, "孟": 2, "秦": 2, "白": 2, "江": 2, "阎": 2, "薛": 2, "尹": 2, "段": 2, "雷": 2,
    "黎": 1, "史": 1, "龙": 1, "贺": 1, "顾": 1, "毛": 1, "郝": 1, "龚": 1, "邵": 1, "万": 1,
    "钱": 1, "严": 1, "覃": 1, "武": 1, "戴": 1, "莫": 1, "孔": 1, "向": 1, "常": 1, "汤": 1,
}  # fmt: skip
# Given names as people carry them (born 1960s–1990s), two characters mostly, some one.
GIVEN = {
    "m": "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宁 健 亮 峰 浩 凯 俊 帅 旭 "
    "志刚 志强 志明 建平 建军 建新 国平 国栋 海涛 海波 海军 红兵 卫国 晓东 晓峰 晓军 "
    "立新 立军 立伟 永强 永刚 永明 文斌 文杰 文涛 新民 新华 振华 振宇 宏伟 宏亮 俊杰 "
    "家豪 子豪 浩然 宇航 天宇 博文 思远 明轩 晨阳 一鸣 嘉懿 泽宇 鹏飞 云飞 东升 德明 "
    "德荣 春生 长江 庆丰 胜利 玉龙 金山 学军 继红 广平 守信 树森 宝山 成龙 连生 怀远 "
    "世杰 文博 承志 启明 少华 正阳 向东 忠诚 炳辉 维民 耀华 锦程 朝晖 兆祥 嘉伟 昊天",
    "f": "静 丽 敏 燕 艳 娟 霞 芳 娜 婷 琳 颖 洁 玲 莉 倩 雪 慧 红 梅 "
    "秀英 秀兰 桂英 玉兰 玉梅 丽华 丽娟 丽萍 晓燕 晓红 晓丽 晓梅 红梅 红霞 海燕 春燕 "
    "雪梅 美玲 美华 淑珍 淑华 凤英 亚男 秀珍 玉珍 婉婷 雨婷 欣怡 梓涵 诗涵 思琪 佳怡 "
    "雅静 梦瑶 子涵 雨欣 可馨 慧敏 文静 丽君 彩霞 月华 金凤 素梅 爱华 翠兰 巧玲 蕾蕾 "
    "佩华 映红 瑞芳 嘉琪 晓雯 婧怡 宛如 一凡 若兰 紫薇 小芳 冬梅 春华 秋菊 晓琳 丹丹",
}
# Words a given name is not made of (they read as a joke or a place).
AVOID = {"国庆", "建国", "文华", "明华"}


def person_name(rng, sex=None):
    """One full name: a weighted surname and a given name from the lists."""
    surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    pool = GIVEN[sex or rng.choice("mf")].split()
    while True:
        given = rng.choice(pool)
        if given not in AVOID:
            return surname + given


class NameBook:
    """Names handed out once each: no two demo people share a name, and while the lists last no
    two share a given name either (the old demo had every unit head named X明华 or X文华; the
    heads are drawn first)."""

    def __init__(self, seed, taken=()):
        self.rng = random.Random(f"names-{seed}")
        self.used = set(taken)
        self.given = {name[1:] for name in taken}

    def name(self, sex=None):
        for attempt in range(400):
            name = person_name(self.rng, sex)
            if name in self.used or (attempt < 100 and name[1:] in self.given):
                continue
            self.used.add(name)
            self.given.add(name[1:])
            return name
        raise RuntimeError("ran out of demo names")  # pragma: no cover — 400 tries of ~20,000


# 字号: two characters, as an enterprise registers them.
TRADE_FIRST = "华瑞宏鑫天永博中卓恒金海新东长国安德嘉凯立明普启荣盛拓万信远正众汇创晟泰"
TRADE_SECOND = "源丰达成盛远科信通业宇邦辉鼎诚峰润泽锐拓驰航迈诺维禾欣晨联创美兴力"

# Each product: the company's line of business and how a project for it is named.
# (business word, capacity forms as (number range, unit), project noun)
PRODUCTS = {
    "新型墙材": ("新型建材", [((30, 120), "万立方米")], "新型墙体材料"),
    "光伏玻璃": ("光伏材料", [((600, 2400), "吨/日"), ((2, 8), "万吨")], "光伏压延玻璃"),
    "装配式建筑": ("建筑科技", [((20, 80), "万平方米")], "装配式建筑部品部件"),
    "节能门窗": ("节能科技", [((30, 150), "万平方米")], "系统节能门窗"),
    "智能空调": ("电器", [((50, 300), "万台(套)")], "智能空调"),
    "冰箱压缩机": ("压缩机", [((200, 800), "万台")], "变频冰箱压缩机"),
    "洗衣机电机": ("电机", [((300, 1000), "万台")], "洗衣机变频电机"),
    "小家电": ("智能家电", [((500, 2000), "万台")], "智能小家电"),
    "数控机床": ("数控装备", [((800, 3000), "台")], "高端数控机床"),
    "工程机械": ("重工", [((2000, 8000), "台")], "工程机械及关键零部件"),
    "智能装备": ("智能装备", [((500, 2000), "台(套)")], "智能制造装备"),
    "精密模具": ("精密模具", [((1000, 6000), "套")], "精密注塑模具"),
    "动力电池": ("新能源科技", [((5, 30), "GWh")], "动力锂电池"),
    "汽车零部件": ("汽车部件", [((50, 300), "万套")], "新能源汽车零部件"),
    "电驱系统": ("电驱动技术", [((20, 100), "万台(套)")], "新能源汽车电驱动系统"),
    "充电桩": ("新能源", [((2, 10), "万台")], "智能充电桩"),
    "粮油加工": ("粮油", [((10, 60), "万吨")], "粮油精深加工"),
    "预制菜": ("食品", [((2, 10), "万吨")], "中央厨房预制菜"),
    "乳制品": ("乳业", [((5, 30), "万吨")], "低温乳制品"),
    "休闲食品": ("食品", [((1, 8), "万吨")], "休闲食品"),
    "功能性面料": ("纺织科技", [((2000, 8000), "万米")], "功能性面料"),
    "服装智造": ("服饰", [((200, 800), "万件")], "智能服装"),
    "家纺": ("家纺", [((100, 500), "万套")], "高档家纺"),
    "产业用纺织品": ("新材料", [((1, 6), "万吨")], "产业用非织造布"),
    "智能终端": ("智能科技", [((500, 3000), "万台")], "智能终端"),
    "半导体封测": ("半导体", [((5, 30), "亿颗")], "集成电路封装测试"),
    "显示模组": ("光电科技", [((500, 2000), "万片")], "液晶显示模组"),
    "电子元器件": ("电子", [((10, 80), "亿只")], "片式电子元器件"),
    "原料药": ("药业", [((200, 1200), "吨")], "原料药及医药中间体"),
    "医疗器械": ("医疗科技", [((500, 3000), "万件(套)")], "高端医疗器械"),
    "生物制剂": ("生物科技", [((500, 3000), "万支")], "生物制剂"),
    "中药饮片": ("中药", [((2000, 8000), "吨")], "中药饮片"),
    "冷链物流": ("供应链管理", [], "冷链物流园"),
    "智慧物流园": ("物流", [], "智慧物流园"),
    "保税仓储": ("国际物流", [], "保税仓储物流中心"),
    "城市配送中心": ("供应链", [], "城市共同配送中心"),
    "文旅综合体": ("文化旅游发展", [], "文旅综合体"),
    "民宿集群": ("旅游开发", [], "乡村民宿集群"),
    "康养小镇": ("健康产业", [], "康养小镇"),
    "研学基地": ("文化发展", [], "研学旅行基地"),
}
ENDINGS = ["建设项目", "项目", "项目", "项目"]


def trade_name(rng, taken):
    """A 字号 not yet used by another demo company."""
    while True:
        name = rng.choice(TRADE_FIRST) + rng.choice(TRADE_SECOND)
        if name not in taken and name[0] != name[1]:
            taken.add(name)
            return name


def company_name(rng, city, trade, product, origin):
    """The investor's full registered name — never cut: 苏州瑞丰光伏材料有限公司."""
    business = PRODUCTS[product][0]
    if origin in ("hk", "taiwan", "foreign"):
        # A foreign investor's local company, as registered here.
        return (
            f"{trade}{business}（中国）有限公司"
            if rng.random() < 0.5
            else (f"{city}{trade}{business}有限公司")
        )
    suffix = "股份有限公司" if rng.random() < 0.2 else "有限公司"
    if "科技" not in business and "技术" not in business and rng.random() < 0.3:
        business += "科技"
    return f"{city}{trade}{business}{suffix}"


def project_name(rng, trade, product):
    """年产5万吨粮油精深加工项目 / 瑞丰智能装备产业园项目 / 恒达动力锂电池生产基地建设项目."""
    _business, capacities, noun = PRODUCTS[product]
    roll = rng.random()
    if capacities and roll < 0.55:
        (low, high), unit = rng.choice(capacities)
        number = rng.randint(low, high)
        if number > 100:
            number = round(number, -1 if number < 1000 else -2)
        return f"年产{number}{unit}{noun}{rng.choice(ENDINGS)}"
    if not capacities:
        return f"{trade}{noun}{rng.choice(['项目', '建设项目', '（一期）项目'])}"
    if roll < 0.75:
        return f"{trade}{noun}生产基地建设项目"
    if roll < 0.88:
        return f"{trade}{noun}智能制造产业园项目"
    return f"{noun}研发及产业化项目"
