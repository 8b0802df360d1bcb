"""Forms for the figures units claim (签约/开工/竣工 milestones, monthly investment, funds in
place) and their evidence files. A claim dated in a published quarter is refused through the one
lock seam, `projects.locks`."""

from django import forms
from django.core.exceptions import ValidationError

from projects import locks, services
from projects.evidence import ALLOWED_LABEL, validate_upload
from projects.forms.fields import DATE, MonthField, not_future
from projects.models import (
    MILESTONE_ORDER,
    EvidenceKind,
    FundsEntry,
    Milestone,
    MonthlyInvestment,
)
from zhaoshang.web.forms import BootstrapMixin


class ClaimForm(BootstrapMixin, forms.ModelForm):
    """Shared by every claim: an optional evidence file checked by its content."""

    evidence_file = forms.FileField(
        label="佐证材料", required=False, help_text=f"可上传 {ALLOWED_LABEL}。"
    )
    evidence_kind = forms.ChoiceField(
        label="佐证材料类型",
        choices=EvidenceKind.choices,
        required=False,
        help_text="申报时须附所需类型的佐证：到位资金须到账凭证，签约须合同，开工须施工许可或"
        "现场照片，竣工须竣工验收材料（以考核年度设置为准）。",
    )
    # The kind a new file of this claim type most likely is.
    default_evidence_kind = EvidenceKind.OTHER
    # The version the user read; an edit that finds another version (someone edited, submitted
    # or reviewed it meanwhile) is refused instead of overwriting.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project or self.instance.project
        self.fields["version"].initial = self.instance.version
        self.fields["evidence_kind"].initial = self.default_evidence_kind
        self.periods = locks.Periods()

    def clean_evidence_file(self):
        uploaded = self.cleaned_data.get("evidence_file")
        if uploaded:
            self.evidence_content_type = validate_upload(uploaded)
        return uploaded

    def check_locked(self, day, field):
        if day and self.periods.is_locked(day):
            self.add_error(field, locks.LOCKED_DATE_MESSAGE)


class MilestoneForm(ClaimForm):
    default_evidence_kind = EvidenceKind.CONTRACT

    class Meta:
        model = Milestone
        fields = ["kind", "date", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def clean_date(self):
        return not_future(self.cleaned_data.get("date"))

    def clean(self):
        cleaned = super().clean()
        kind, day = cleaned.get("kind"), cleaned.get("date")
        if not kind or not day:
            return cleaned
        self.check_locked(day, "date")
        others = {
            m.kind: m.date for m in self.project.milestones.exclude(pk=self.instance.pk or None)
        }
        if kind in others:
            label = dict(self.fields["kind"].choices)[kind]
            self.add_error("kind", f"该项目已有“{label}”节点，请修改原节点。")
            return cleaned
        dates = {**others, kind: day}
        labels = dict(Milestone._meta.get_field("kind").choices)
        for i, earlier in enumerate(MILESTONE_ORDER):
            for later in MILESTONE_ORDER[i + 1 :]:
                if earlier in dates and later in dates and dates[earlier] > dates[later]:
                    self.add_error(
                        "date",
                        f"节点日期顺序不对：{labels[earlier]}日期（{dates[earlier]}）"
                        f"不能晚于{labels[later]}日期（{dates[later]}）。",
                    )
                    return cleaned
        return cleaned


class InvestmentForm(ClaimForm):
    month = MonthField(label="月份")

    class Meta:
        model = MonthlyInvestment
        fields = ["month", "amount", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > services.today().replace(day=1):
            raise ValidationError("不能填报未来月份的投资。")
        return month

    def clean(self):
        cleaned = super().clean()
        month = cleaned.get("month")
        if month:
            self.check_locked(month, "month")
            clash = self.project.investments.filter(month=month).exclude(
                pk=self.instance.pk or None
            )
            if clash.exists():
                self.add_error("month", f"{month:%Y年%m月}的投资已填报，请修改原记录。")
        return cleaned


class FundsForm(ClaimForm):
    default_evidence_kind = EvidenceKind.RECEIPT

    class Meta:
        model = FundsEntry
        fields = ["date", "source", "source_region", "is_foreign", "amount", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def clean_date(self):
        return not_future(self.cleaned_data.get("date"))

    def clean(self):
        cleaned = super().clean()
        self.check_locked(cleaned.get("date"), "date")
        return cleaned


class EvidenceForm(BootstrapMixin, forms.Form):
    """One file for a claim, with its 类型 (left out: the kind its claim needs by default)."""

    kind = forms.ChoiceField(label="类型", choices=EvidenceKind.choices, required=False)
    file = forms.FileField(label="佐证材料", help_text=f"可上传 {ALLOWED_LABEL}。")

    def __init__(self, *args, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim
        if claim is not None:
            self.fields["kind"].initial = evidence_kind_for(claim)

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        if not kind and self.claim is not None:
            kind = evidence_kind_for(self.claim)
        return kind or EvidenceKind.OTHER

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.content_type = validate_upload(uploaded)
        return uploaded


def evidence_kind_for(claim):
    """The kind a file attached to `claim` most likely is: the first its type needs by default."""
    from projects.models import DEFAULT_EVIDENCE_RULES
    from projects.verification import requirement_key

    kinds = DEFAULT_EVIDENCE_RULES.get(requirement_key(claim)) or [EvidenceKind.OTHER]
    return kinds[0]
