"""The demo city's vocabulary, shared by the demo projects and the activity around them (leads,
visits, reports): the seed, industries, places, leaders, and the size of an investment (the
names of people, companies and projects come from `zhaoshang.ops.demo.names`).

Its own module so `projects` and `activity` both read it without importing each other.
"""

from decimal import Decimal

from projects.models import ClaimStatus

SEED = 20261125
HOME_UNIT = "东湖区"
INDUSTRIES = {
    "绿色建材": ["新型墙材", "光伏玻璃", "装配式建筑", "节能门窗"],
    "白色家电": ["智能空调", "冰箱压缩机", "洗衣机电机", "小家电"],
    "装备制造": ["数控机床", "工程机械", "智能装备", "精密模具"],
    "新能源汽车": ["动力电池", "汽车零部件", "电驱系统", "充电桩"],
    "食品加工": ["粮油加工", "预制菜", "乳制品", "休闲食品"],
    "纺织服装": ["功能性面料", "服装智造", "家纺", "产业用纺织品"],
    "电子信息": ["智能终端", "半导体封测", "显示模组", "电子元器件"],
    "生物医药": ["原料药", "医疗器械", "生物制剂", "中药饮片"],
    "现代物流": ["冷链物流", "智慧物流园", "保税仓储", "城市配送中心"],
    "文化旅游": ["文旅综合体", "民宿集群", "康养小镇", "研学基地"],
}
PLACES = [
    ("domestic", "江苏苏州", "苏州"),
    ("domestic", "浙江宁波", "宁波"),
    ("domestic", "广东深圳", "深圳"),
    ("domestic", "上海", "上海"),
    ("domestic", "北京", "北京"),
    ("domestic", "江苏无锡", "无锡"),
    ("domestic", "浙江杭州", "杭州"),
    ("domestic", "福建厦门", "厦门"),
    ("hk", "香港", "香港"),
    ("taiwan", "台湾", "台湾"),
    ("foreign", "德国", "德国"),
    ("foreign", "新加坡", "新加坡"),
]
STAGE_WEIGHTS = {
    "lead": 4,
    "negotiating": 10,
    "signed": 20,
    "started": 36,
    "completed": 18,
    "producing": 5,
    "terminated": 7,
}
STATUS_WEIGHTS = {
    ClaimStatus.APPROVED: 74,
    ClaimStatus.SUBMITTED: 8,
    ClaimStatus.REVIEWED: 5,
    ClaimStatus.CONFIRMED: 4,
    ClaimStatus.REJECTED: 3,
    ClaimStatus.DRAFT: 6,
}
SOURCES = [("enterprise", 70), ("upper", 15), ("loan", 15)]
# The five city leaders heading the collaboration groups (`city.GROUPS`) and sponsoring projects.
LEADERS = ["宋立群", "韩志远", "林晓霞", "曹德胜", "潘雨桐"]
# Units whose year is quiet on purpose, so the 通报 has a few 零进度 units and not a third of them:
# "2025" — its projects were signed early in 2025 and finished that year, nothing new in 2026;
# "2026" — nothing before 2026; "late" — its first project signed after the third quarter.
QUIET_UNITS = {
    "市侨联": "2025",
    "市供销合作总社": "2026",
    "市工商联": "2026",
    "市外事办公室": "late",
}


def pick(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def size(rng, big=0.38):
    """Total investment in 万元: mostly below 1亿 (a share `big` of 1亿 and above), a few at 10亿
    and above."""
    roll = rng.random()
    roll = roll * 0.62 / (1 - big) if roll < 1 - big else 0.62 + (roll - 1 + big) * 0.38 / big
    if roll < 0.62:
        value = rng.uniform(1500, 9900)
    elif roll < 0.92:
        value = rng.uniform(10000, 95000)
    elif roll < 0.985:
        value = rng.uniform(100000, 450000)
    else:
        value = rng.uniform(500000, 1200000)
    return Decimal(int(value / 100) * 100)
