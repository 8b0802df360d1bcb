"""Forms of the verification pages: one claim's action, bulk actions, flag resolution, history."""

from django import forms
from django.core.exceptions import ValidationError

from projects import claims, steps
from projects.evidence import ALLOWED_LABEL, validate_upload
from projects.history import TRACKED
from projects.models import MAX_AMOUNT, FlagStatus
from units.models import User
from zhaoshang.web.forms import MAX_ID, BootstrapMixin

COMMENT_MAX = 1000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (现场照片); each is checked by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ClaimActionForm(BootstrapMixin, forms.Form):
    """One step on one claim; `version` is the claim version the user saw.

    At 审核 and 现场评估 the step may carry a 认定 (认定金额 or 不予认定, with its reason); at
    现场评估 the visit's date, inspectors, result and photos are required, at 会办确认 the
    departments present and the decision (`projects.steps`, which checks them again)."""

    action = forms.ChoiceField(choices=list(claims.ACTION_LABELS.items()))
    comment = forms.CharField(
        label="意见", required=False, max_length=COMMENT_MAX, widget=forms.Textarea({"rows": 2})
    )
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    recognised_amount = forms.DecimalField(
        label="认定金额（万元）",
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
    )
    not_recognised = forms.BooleanField(label="不予认定", required=False)
    recognition_reason = forms.CharField(label="认定理由", required=False, max_length=COMMENT_MAX)
    visit_date = forms.DateField(label="评估日期", required=False)
    inspectors = forms.CharField(label="评估人员", required=False, max_length=200)
    result = forms.CharField(label="评估结果", required=False, max_length=COMMENT_MAX)
    photos = MultipleFileField(
        label="现场照片", required=False, help_text=f"可上传多个 {ALLOWED_LABEL} 文件。"
    )
    departments = forms.CharField(label="参加会办部门", required=False, max_length=500)
    decision = forms.CharField(label="会办意见", required=False, max_length=COMMENT_MAX)

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        self.photo_types = [validate_upload(f) for f in photos]
        return photos

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in claims.REASON_REQUIRED and not (data.get("comment") or "").strip():
            label = claims.ACTION_LABELS[action]
            raise ValidationError(f"“{label}”必须填写理由。")
        required = {"site_assess": steps.SITE_FIELDS, "confirm": steps.CONFIRM_FIELDS}.get(action)
        for name, label in (required or {}).items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, f"请填写{label}。")
        return data

    def record(self):
        """The step's `projects.steps.StepRecord` (recognition only where a step may carry
        it; a detail only for its own step)."""
        data = self.cleaned_data
        action = data["action"]
        record = steps.StepRecord()
        if action in steps.RECOGNISING_ACTIONS:
            record.recognised_amount = data.get("recognised_amount")
            record.not_recognised = bool(data.get("not_recognised"))
            record.reason = data.get("recognition_reason") or ""
        fields = {"site_assess": steps.SITE_FIELDS, "confirm": steps.CONFIRM_FIELDS}
        for name in fields.get(action, {}):
            value = data.get(name)
            if value:
                record.details[name] = value.isoformat() if name == "visit_date" else value
        return record


BULK_CHOICES = [(claims.ADVANCE, "通过（进入下一环节）"), (claims.Action.REJECT, "退回")]


def parse_selection(values):
    """['milestone:5', 'funds:7'] → {'milestone': {5}, 'funds': {7}}; bad items are ignored."""
    chosen = {}
    for value in values:
        slug, _, pk = str(value).partition(":")
        # ASCII digits only, and an id a database can hold: a 30-digit id made SQLite raise
        # OverflowError (a 500) in the lookup.
        if slug in claims.CLAIM_MODELS and pk.isascii() and pk.isdecimal() and int(pk) <= MAX_ID:
            chosen.setdefault(slug, set()).add(int(pk))
    return chosen


class BulkActionForm(BootstrapMixin, forms.Form):
    """Approve or reject many claims with one comment."""

    # "type:pk" values; unknown or malformed ones are dropped by parse_selection.
    selected = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(label="操作", choices=BULK_CHOICES)
    comment = forms.CharField(
        label="意见", required=False, max_length=COMMENT_MAX, widget=forms.Textarea({"rows": 2})
    )

    def clean_selected(self):
        chosen = parse_selection(self.cleaned_data.get("selected") or [])
        if not chosen:
            raise ValidationError("请至少勾选一条申报。")
        return chosen

    def clean(self):
        data = super().clean()
        if data.get("action") == claims.Action.REJECT and not data.get("comment", "").strip():
            raise ValidationError("批量退回必须填写退回理由。")
        return data


class FlagResolveForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label="处理方式")
    reason = forms.CharField(
        label="处理理由", required=False, max_length=COMMENT_MAX, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            FlagStatus.MERGED: "合并（终止项目乙，不再计入）",
            FlagStatus.KEPT: "保留两者（须说明理由）",
            FlagStatus.REJECTED: "驳回（退回项目乙的申报）",
        }
        self.fields["decision"].choices = [(c.value, labels[c]) for c in choices]


class HistorySearchForm(BootstrapMixin, forms.Form):
    model = forms.ChoiceField(
        label="数据类型",
        choices=[(slug, spec[1]) for slug, spec in TRACKED.items()],
        initial="milestone",
        required=False,
    )
    user = forms.ModelChoiceField(
        label="操作人", queryset=User.objects.order_by("username"), required=False
    )
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    project = forms.CharField(label="项目名称", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError("起始日期不能晚于截止日期。")
        data["model"] = data.get("model") or "milestone"
        return data
