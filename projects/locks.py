"""What is frozen in the projects app, and the one seam to the assessment app's period lock.

Two things make a project's figures read-only:
- a claim dated inside a published quarter (SPEC §5 Snapshots): the assessment app publishes and
  unlocks quarters and `assessment.locks` answers; nothing else in `projects` asks it;
- a verified (审定) claim freezes what it was verified on — the project's assessment basis (who is
  credited, threshold, new-only, category) — until a reviewer sends the claims back.

`Periods` reads the assessment app's word on each year once (the lock, and whether the year's
workflow has the site-assessment step); make one per request or bulk action and pass it along.
"""

import datetime

from django.db.models import Exists, OuterRef

from assessment import locks as assessment_locks
from assessment.models import AssessmentYear, Indicator
from projects.models import ClaimStatus, default_evidence_rules

LOCKED_DATE_MESSAGE = "该日期所在季度已发布通报并锁定，不能新增或修改。"

# Project fields that decide what a verified figure counts for (threshold, new-only, category
# exclusions, who is credited). Once any claim is verified — a milestone, an investment or funds
# (issue 15, path 3: approved funds alone freeze the category) — they change only after a reviewer
# sends the claims back, so a verified, possibly published, figure cannot move.
ASSESSMENT_BASIS_FIELDS = [
    "unit",
    "is_new",
    "category",
    "total_investment",
    "contracted_investment",
]
BASIS_LOCKED_MESSAGE = (
    "该项目已有审定的申报（签约/开工/竣工、固定资产投资或到位资金），此项属于考核口径，"
    "不能直接修改；如确需更正，请联系考核办将相关申报退回后再改。"
)
SHARES_LOCKED_MESSAGE = (
    "该项目已有审定的申报，分成比例不能直接修改；如确需更正，请联系考核办将相关申报退回后再改。"
)
# 引资人 decide who is recognised for a project (十佳引资功臣): frozen by the same rule as shares.
INTRODUCERS_LOCKED_MESSAGE = (
    "该项目已有审定的申报，引资人不能直接修改；如确需更正，请联系考核办将相关申报退回后再改。"
)


class Periods:
    """The assessment app's word on the years one request or bulk action touches.

    Each year is read once per instance: up to which day it is locked (one query per year) and
    whether its workflow has the site-assessment step (one query for every year asked at once).
    """

    def __init__(self):
        self._locked_through = {}
        self._site_assessment = {}
        self._evidence_rules = {}
        self._separate_duties = {}
        self._outside_city_only = {}

    def read(self, years):
        """Read everything about `years` up front, so a bulk action costs the same for 5 claims
        as for 500."""
        years = set(years)
        missing = years - set(self._site_assessment)
        if missing:
            outside = Indicator.objects.filter(year=OuterRef("pk"), outside_city_only=True)
            rows = (
                AssessmentYear.objects.filter(year__in=missing)
                .annotate(outside=Exists(outside))
                .values_list(
                    "year", "site_assessment", "evidence_rules", "separate_duties", "outside"
                )
            )
            found = {row[0]: row[1:] for row in rows}
            for year in missing:
                # A year without settings keeps the full workflow and the default rules.
                site, evidence, separate, outside = found.get(year, (True, None, True, False))
                self._outside_city_only[year] = bool(outside)
                self._site_assessment[year] = bool(site)
                self._evidence_rules[year] = (
                    default_evidence_rules() if evidence is None else evidence
                )
                self._separate_duties[year] = bool(separate)
        for year in years:
            self.locked_through(year)
        return self

    def locked_through(self, year):
        """The last locked day of `year`, or None (`assessment.locks.locked_through`)."""
        if year not in self._locked_through:
            self._locked_through[year] = assessment_locks.locked_through(year)
        return self._locked_through[year]

    def is_locked(self, day):
        """True when `day` lies in a published quarter: 1 Jan to the latest locked quarter's end."""
        if day is None:
            return False
        if isinstance(day, datetime.datetime):
            day = day.date()
        end = self.locked_through(day.year)
        return end is not None and day <= end

    def site_assessment(self, year):
        """Whether the site-assessment step (现场评估) is part of the workflow in `year`."""
        if year not in self._site_assessment:
            self.read([year])
        return self._site_assessment[year]

    def evidence_rules(self, year):
        """{requirement key: [accepted evidence kinds]} of `year` (SPEC §4, issue 17)."""
        if year not in self._evidence_rules:
            self.read([year])
        return self._evidence_rules[year]

    def separate_duties(self, year):
        """Whether one person is kept from performing two different steps of one claim."""
        if year not in self._separate_duties:
            self.read([year])
        return self._separate_duties[year]

    def outside_city_only(self, year):
        """Whether a funds indicator of `year` counts only funds from outside the city, so a
        funds claim of the year needs its 资金来源地 (issue 17)."""
        if year not in self._outside_city_only:
            self.read([year])
        return self._outside_city_only[year]


def is_date_locked(day):
    """One-off question: does `day` lie in a published quarter? (Several questions in one
    request: use one `Periods`.)"""
    return Periods().is_locked(day)


def has_verified_milestone(project):
    return project.milestones.filter(status=ClaimStatus.APPROVED).exists()


def basis_frozen(project):
    """Whether any of the project's claims is verified: its shares and introducers are then
    frozen like the figures verified on them."""
    if project.pk is None:
        return False
    return (
        has_verified_milestone(project)
        or project.investments.filter(status=ClaimStatus.APPROVED).exists()
        or project.funds.filter(status=ClaimStatus.APPROVED).exists()
    )


def claim_is_frozen(claim, periods=None):
    """A verified claim, or one dated in a published quarter: it changes only through the
    workflow (reopen with a reason). `projects.claims.claim_is_locked` adds the pending statuses
    for what a unit may edit; the Django admin asks this."""
    periods = periods or Periods()
    return claim.status == ClaimStatus.APPROVED or periods.is_locked(claim.claim_date)


def project_deletable(project):
    """A project with verified claims is terminated, never deleted: deleting it would take its
    verified figures and their workflow records with it."""
    return not basis_frozen(project)
