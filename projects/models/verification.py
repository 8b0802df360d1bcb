"""What verifying a claim records (SPEC §4 考实考准, issue 17): the kinds of evidence, the
evidence each claim type needs by default, and the 认定 (recognised figure) vocabulary.

A year's own requirements live on `AssessmentYear.evidence_rules` ({requirement key: [accepted
kinds]}, any one of which satisfies the claim); a year without settings uses
`DEFAULT_EVIDENCE_RULES`. The requirement key of a milestone is its kind (签约/开工/竣工), of the
other claims their type slug ('investment', 'funds').
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    RECEIPT = "receipt", _("到账凭证")
    CONTRACT = "contract", _("合同")
    PERMIT = "permit", _("施工许可")
    SITE_PHOTO = "site_photo", _("现场照片")
    ACCEPTANCE = "acceptance", _("竣工验收材料")
    OTHER = "other", _("其他")


# requirement key → its label in messages and on the year's page
REQUIREMENT_LABELS = {
    "funds": "到位资金",
    "signed": "签约",
    "started": "开工",
    "completed": "竣工",
    "investment": "月度固定资产投资",
}
# SPEC §4 defaults: funds → 到账凭证, 签约 → 合同, 开工 → 施工许可或现场照片, 竣工 → 竣工验收材料,
# monthly investment → optional (an empty list).
DEFAULT_EVIDENCE_RULES = {
    "funds": [EvidenceKind.RECEIPT.value],
    "signed": [EvidenceKind.CONTRACT.value],
    "started": [EvidenceKind.PERMIT.value, EvidenceKind.SITE_PHOTO.value],
    "completed": [EvidenceKind.ACCEPTANCE.value],
    "investment": [],
}


def default_evidence_rules():
    return {key: list(kinds) for key, kinds in DEFAULT_EVIDENCE_RULES.items()}


def kinds_label(kinds):
    """'施工许可或现场照片' for ['permit', 'site_photo']."""
    labels = dict(EvidenceKind.choices)
    return "或".join(str(labels.get(k, k)) for k in kinds)


def counted_amount():
    """The amount a funds or monthly-investment claim counts for: its 认定金额 when the office set
    one, else the claimed amount. 不予认定 claims are left out of the selections instead
    (`assessment.actuals`), so a milestone can be 不予认定 too."""
    from django.db.models.functions import Coalesce

    return Coalesce("recognised_amount", "amount")
