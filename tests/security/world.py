"""A small city for the access matrix: units A and B in one group led by a third unit, one project
per unit with a claim of each kind, a lead, a visit, an assistance item, an assessment year with
targets and a computed (unpublished) snapshot, a duplicate flag, and one user per role.

Built once per test module (see conftest.py) through the factories and the apps' own services.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from assessment.models import (
    Campaign,
    CampaignMeasure,
    CampaignMeasureTarget,
    CampaignTarget,
    DecisionKind,
    DecisionStatus,
    LedgerDecision,
    UnitHead,
)
from assessment.snapshots import compute_snapshot
from projects.models import (
    AssistanceItem,
    ClaimStatus,
    DuplicateFlag,
    DuplicateKind,
    Lead,
    MilestoneKind,
    PersonKind,
    ProjectSettings,
    Reward,
    RewardList,
    Visit,
)
from tests.assessment.factories import adjust, default_year, set_targets
from tests.factories import (
    EvidenceFactory,
    FundsEntryFactory,
    GroupFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    PersonFactory,
    ProjectFactory,
    SupervisionFactory,
    UnitFactory,
    UserFactory,
    add_member,
)
from units.models import Role
from zhaoshang.jobs.models import Job, JobKind, JobStatus
from zhaoshang.jobs.outputs import write_output
from zhaoshang.notify.models import Notification, Robot, RobotKind

YEAR = 2026
QUARTER = 3  # claims are dated in Q3; the Q3 snapshot is computed, not published


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world():
    w = World()
    o = w.objects
    o["unit_a"] = unit_a = UnitFactory(name="甲县")
    o["unit_b"] = unit_b = UnitFactory(name="乙县")
    o["lead_unit"] = lead_unit = UnitFactory(name="市发改委", unit_type="city_dept")
    o["group"] = group = GroupFactory(year=YEAR, name="第一招商协作组", lead_unit=lead_unit)
    for unit in (lead_unit, unit_a, unit_b):
        add_member(group, unit)

    w.users = {
        "staff_a": UserFactory(username="m_staff_a", role=Role.UNIT_STAFF, unit=unit_a),
        "staff_b": UserFactory(username="m_staff_b", role=Role.UNIT_STAFF, unit=unit_b),
        "head_a": UserFactory(username="m_head_a", role=Role.UNIT_HEAD, unit=unit_a),
        "coordinator": UserFactory(username="m_coord", role=Role.COORDINATOR, unit=lead_unit),
        "reviewer": UserFactory(username="m_reviewer", role=Role.REVIEWER, unit=None),
        "leader": UserFactory(username="m_leader", role=Role.LEADER, unit=None),
        "admin": UserFactory(
            username="m_admin", role=Role.ADMIN, unit=None, is_staff=True, is_superuser=True
        ),
    }
    staff_a = w.users["staff_a"]

    o["project_a"] = project_a = ProjectFactory(
        unit=unit_a, name="甲县新能源电池项目", investor_name="宁德某新能源科技有限公司"
    )
    o["person_a"] = PersonFactory(name="孙强", unit=unit_a)
    o["project_b"] = project_b = ProjectFactory(
        unit=unit_b, name="乙县新能源电池项目", investor_name="宁德某新能源科技有限公司"
    )
    # One claim of each kind, in three states: submitted (readable by the office), draft (the
    # unit's own until submitted) and approved (read-only for everyone).
    o["milestone_a"] = MilestoneFactory(
        project=project_a,
        kind=MilestoneKind.SIGNED,
        date=datetime.date(YEAR, 7, 10),
        status=ClaimStatus.SUBMITTED,
        created_by=staff_a,
    )
    o["investment_a"] = MonthlyInvestmentFactory(
        project=project_a,
        month=datetime.date(YEAR, 8, 1),
        amount=Decimal("1200"),
        status=ClaimStatus.DRAFT,
        created_by=staff_a,
    )
    o["funds_a"] = FundsEntryFactory(
        project=project_a,
        date=datetime.date(YEAR, 8, 20),
        amount=Decimal("800"),
        status=ClaimStatus.APPROVED,
        created_by=staff_a,
    )
    o["evidence_submitted"] = EvidenceFactory(milestone=o["milestone_a"], uploaded_by=staff_a)
    o["evidence_draft"] = EvidenceFactory(
        milestone=None,
        investment=o["investment_a"],
        original_name="投资台账.pdf",
        uploaded_by=staff_a,
    )
    MilestoneFactory(project=project_b, date=datetime.date(YEAR, 7, 12))
    # A town under unit A (issue 20 item 3): unit A's users read its project and submitted
    # claims, edit none of them, and never see its drafts; nobody else of a unit reads it.
    o["town_a"] = town_a = UnitFactory(name="甲县城关镇", unit_type="town", parent=unit_a)
    o["project_town"] = project_town = ProjectFactory(
        unit=town_a, name="城关镇食品加工项目", investor_name="福州某食品有限公司"
    )
    o["milestone_town"] = MilestoneFactory(
        project=project_town,
        kind=MilestoneKind.SIGNED,
        date=datetime.date(YEAR, 7, 11),
        status=ClaimStatus.SUBMITTED,
    )
    o["investment_town"] = MonthlyInvestmentFactory(
        project=project_town,
        month=datetime.date(YEAR, 8, 1),
        amount=Decimal("300"),
        status=ClaimStatus.DRAFT,
    )
    o["evidence_town_submitted"] = EvidenceFactory(milestone=o["milestone_town"])
    o["evidence_town_draft"] = EvidenceFactory(
        milestone=None, investment=o["investment_town"], original_name="镇投资台账.pdf"
    )

    o["assistance_a"] = AssistanceItem.objects.create(
        project=project_a,
        category="land",
        problem="用地指标未落实",
        responsible_unit=unit_a,
        deadline=datetime.date(YEAR, 9, 30),
        created_by=staff_a,
    )
    # A leader's 督办 on unit A's project, answered with a file: unit A's users and those who
    # read everything see it; unit B and the coordinator get 404 (issue 18 item 4).
    o["duban_a"] = SupervisionFactory(project=project_a, reply_by=datetime.date(YEAR, 10, 15))
    answer = o["duban_a"].replies.create(text="已落实", replied_by=staff_a)
    o["duban_file"] = answer.files.create(
        file=ContentFile(b"%PDF-1.4 demo", name="答复材料.pdf"),
        original_name="答复材料.pdf",
        content_type="application/pdf",
        size=13,
        sha256="0" * 64,
    )
    o["lead_a"] = Lead.objects.create(
        unit=unit_a, investor_name="深圳某电子科技有限公司", created_by=staff_a
    )
    o["visit_a"] = Visit.objects.create(
        unit=unit_a, date=datetime.date(YEAR, 8, 5), investor_name="深圳某电子科技有限公司"
    )
    o["flag"] = DuplicateFlag.objects.create(
        kind=DuplicateKind.SAME_INVESTOR, project_a=project_a, project_b=project_b
    )
    # Pages create the settings row on first read; make it now so reads change nothing.
    ProjectSettings.load()

    o["ay"] = ay = default_year(YEAR)
    o["indicator"] = ay.indicators.order_by("order").first()
    for owner in (unit_a, unit_b, lead_unit, group):
        set_targets(ay, owner, signed_100m=2, started_100m=1, funds=1000)
    adjust(ay, unit_a, 1)
    o["snapshot"] = compute_snapshot(ay, QUARTER, w.users["reviewer"])
    # The year's intermediary rewards list, computed (拟奖励), with one intermediary's row whose
    # amount no longer matches a computation (a difference the office may apply).
    o["intermediary"] = PersonFactory(
        name="王经理", kind=PersonKind.INTERMEDIARY, organisation="苏州商会"
    )
    reward_list = RewardList.objects.create(year=ay, computed=timezone.now())
    o["reward"] = Reward.objects.create(
        reward_list=reward_list,
        person=o["intermediary"],
        funds=Decimal(1000),
        computed_amount=Decimal(1),
        amount=Decimal(1),
    )

    # A published 100-day campaign (everyone reads it) and a draft one (the office and leaders).
    for key, published in (("campaign", True), ("campaign_draft", False)):
        o[key] = campaign = Campaign.objects.create(
            year=ay,
            name=f"{YEAR}年百日招商攻坚会战" + ("" if published else "（草稿）"),
            start=datetime.date(YEAR, 4, 1),
            end=datetime.date(YEAR, 7, 9),
            published=published,
        )
        CampaignTarget.objects.create(
            campaign=campaign, unit=unit_a, indicator=o["indicator"], value=Decimal(1)
        )
    # The published campaign's own measure (a count 甲县 reports, issue 20): an empty POST of
    # the report form is then refused (the figure is required) and changes nothing.
    o["campaign_measure"] = measure = CampaignMeasure.objects.create(
        campaign=o["campaign"], name="招商信息条数", unit_label="条", weight=Decimal(10)
    )
    CampaignMeasureTarget.objects.create(measure=measure, unit=unit_a, value=Decimal(10))

    # The ledger (issue 20): a proposal (the office and leaders read it) and a confirmed decision
    # (unit A's own users read it too) about unit A.
    o["decision_proposed"] = LedgerDecision.objects.create(
        year=ay, unit=unit_a, kind=DecisionKind.CRITICISM, reason="连续 1 年未完成任务"
    )
    o["decision_confirmed"] = LedgerDecision.objects.create(
        year=ay,
        unit=unit_a,
        kind=DecisionKind.TALK,
        status=DecisionStatus.CONFIRMED,
        decided_on=datetime.date(YEAR, 3, 1),
        doc_number="招考〔2026〕1号",
    )

    # Unit A's head in post (issue 20 item 2): only the office records, edits and ends terms.
    o["head_term"] = UnitHead.objects.create(
        unit=unit_a, name="张明", start=datetime.date(2021, 3, 1)
    )

    # The reviewer's workbook import, previewed and waiting for confirmation, with an error list.
    o["job"] = Job.objects.create(
        user=w.users["reviewer"],
        kind=JobKind.WORKBOOK_IMPORT,
        title="年度数据.xlsx",
        status=JobStatus.PREVIEW,
        errors=[["项目", 2, "总投资(万元)", "金额不能为负数"]],
    )
    # The reviewer's finished export, with its file.
    o["export_job"] = Job.objects.create(
        user=w.users["reviewer"],
        kind=JobKind.LIST_EXPORT,
        title="审核队列.xlsx",
        status=JobStatus.DONE,
        finished_at=timezone.now(),
    )
    write_output(o["export_job"], lambda f: f.write(b"PK"), "审核队列.xlsx")
    # The reviewer's notification: opened by the reviewer only (404 for everyone else).
    o["notification"] = Notification.objects.create(
        user=w.users["reviewer"], kind="claim_approved", title="申报已审定", url="/"
    )
    # Unit A's group robot; its address goes nowhere (a test message fails and is logged).
    o["robot"] = Robot.objects.create(
        name="甲县招商群", robot_kind=RobotKind.WECOM, url="http://127.0.0.1:9/", unit=unit_a
    )
    return w
