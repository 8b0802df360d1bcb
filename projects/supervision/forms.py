"""The 督办 forms: issue (request and reply-by date), reply (text and files), close (comment).
Files are checked by content here, so a bad file is a message beside the field and nothing is
saved."""

from django import forms
from django.core.exceptions import ValidationError

from projects import evidence, services
from projects.forms.fields import DATE
from projects.review.forms import MultipleFileField
from zhaoshang.web.forms import BootstrapMixin

MAX_FILES = 10
REPLY_BY_YEARS = 2  # a reply-by date further out is a typing error, not a plan


class IssueForm(BootstrapMixin, forms.Form):
    request = forms.CharField(
        label="督办要求",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写督办要求。"},
    )
    reply_by = forms.DateField(
        label="答复期限",
        widget=DATE,
        error_messages={
            "required": "请填写答复期限。",
            "invalid": "请输入有效日期（YYYY-MM-DD）。",
        },
    )

    def clean_reply_by(self):
        day = self.cleaned_data["reply_by"]
        today = services.today()
        if day < today:
            raise ValidationError("答复期限不能早于今天。")
        if day.year > today.year + REPLY_BY_YEARS:
            raise ValidationError(f"答复期限不能晚于 {today.year + REPLY_BY_YEARS} 年。")
        return day


class ReplyForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label="答复内容",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写答复内容。"},
    )
    files = MultipleFileField(
        label="附件（佐证材料，可多选）",
        required=False,
        help_text=f"可上传 {evidence.ALLOWED_LABEL}，最多 {MAX_FILES} 个。",
    )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(f"一次最多上传 {MAX_FILES} 个附件。")
        errors = []
        for uploaded in files:
            try:
                evidence.validate_upload(uploaded)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class CloseForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label="办结意见",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写办结意见。"},
    )
