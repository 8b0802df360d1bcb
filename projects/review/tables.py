"""Tables of the verification pages. Claim rows are dicts from `review_filtersets.claim_rows`."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from projects.models import ClaimStatus, DuplicateFlag
from projects.review.filtersets import TYPE_LABELS
from units.templatetags.zs import wan_plain

STATUS_LABELS = dict(ClaimStatus.choices)
STATUS_BADGES = {
    "draft": "secondary",
    "submitted": "primary",
    "reviewed": "info",
    "site_assessed": "info",
    "confirmed": "warning",
    "approved": "success",
    "rejected": "danger",
}


def claim_url(row):
    return reverse("review:claim_detail", args=[row["r_type"], row["r_id"]])


def status_badge(status):
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        STATUS_BADGES.get(status, "secondary"),
        STATUS_LABELS.get(status, status),
    )


class ClaimRowTable(tables.Table):
    selected = tables.CheckBoxColumn(
        accessor="r_id",
        orderable=False,
        attrs={"th__input": {"aria-label": "全选"}},
        exclude_from_export=True,
    )
    kind = tables.Column(verbose_name="类型", accessor="r_kind", order_by=("r_kind",))
    project = tables.Column(verbose_name="项目", accessor="r_project", order_by=("r_project",))
    unit = tables.Column(verbose_name="责任单位", accessor="r_unit", order_by=("r_unit",))
    date = tables.Column(verbose_name="日期/月份", accessor="r_date", order_by=("r_date",))
    amount = tables.Column(
        verbose_name="金额（万元）",
        accessor="r_amount",
        order_by=("r_amount",),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    status = tables.Column(verbose_name="环节", accessor="r_status", order_by=("r_status",))
    waiting = tables.Column(
        verbose_name="已等待（天）",
        accessor="r_submitted",
        order_by=("r_submitted",),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )

    class Meta:
        order_by = ("r_submitted",)
        empty_text = "没有符合条件的申报"
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}

    # {(type, id): offers.Offer} of the page shown (the review queue); None: every row selectable.
    offers = None

    def _offer(self, record):
        return (self.offers or {}).get((record["r_type"], record["r_id"]))

    def render_selected(self, value, record):
        offer = self._offer(record)
        if self.offers is not None and (offer is None or not offer.selectable):
            return format_html(
                '<span class="text-secondary small" title="{}">—</span>',
                "您不能办理该申报的当前环节",
            )
        return format_html(
            '<input type="checkbox" class="form-check-input" name="selected" value="{}:{}" '
            'aria-label="选择">',
            record["r_type"],
            record["r_id"],
        )

    def render_kind(self, value):
        return TYPE_LABELS.get(value, value)

    def render_project(self, value, record):
        return format_html('<a href="{}">{}</a>', claim_url(record), value)

    def render_date(self, value, record):
        return value.strftime("%Y-%m") if record["r_type"] == "investment" else value.isoformat()

    def render_amount(self, value):
        return wan_plain(value)

    def render_status(self, value, record):
        offer = self._offer(record)
        if offer is not None and offer.missing:
            return format_html(
                '{} <span class="badge text-bg-warning" title="{}">缺少佐证</span>',
                status_badge(value),
                offer.missing,
            )
        return status_badge(value)

    def render_waiting(self, value, record):
        if record["r_status"] not in {"submitted", "reviewed", "site_assessed", "confirmed"}:
            return "—"
        if value is None:  # a pending claim with no recorded submission (data from before it)
            return "—"
        return (timezone.now() - value).days

    def value_waiting(self, value, record):
        # Exports the number of days shown, not the submission timestamp behind it.
        days = self.render_waiting(value, record)
        return None if days == "—" else days


class MyClaimTable(ClaimRowTable):
    """我的申报: the state of each claim and why it was sent back."""

    reason = tables.Column(
        verbose_name="退回理由", accessor="r_reason", orderable=False, empty_values=()
    )
    actions = tables.Column(
        verbose_name="", accessor="r_id", orderable=False, exclude_from_export=True
    )

    class Meta(ClaimRowTable.Meta):
        order_by = ("r_status", "-r_date")
        exclude = ("unit", "waiting")
        empty_text = "本单位还没有申报"

    def render_selected(self, value, record):
        offer = self._offer(record)
        if self.offers is not None and (offer is None or not offer.submittable):
            return ""
        return format_html(
            '<input type="checkbox" class="form-check-input" name="selected" value="{}:{}" '
            'aria-label="选择">',
            record["r_type"],
            record["r_id"],
        )

    def render_status(self, value, record):
        offer = self._offer(record)
        if record["r_status"] in {"draft", "rejected"} and offer is not None and offer.missing:
            return format_html(
                '{} <span class="badge text-bg-warning" title="{}">缺少佐证</span>',
                status_badge(value),
                offer.missing,
            )
        return status_badge(value)

    # {(type, id): reason} of the page shown (`filtersets.rejection_reasons`); None: the rows
    # carry their own `r_reason` (the export).
    reasons = None

    def render_reason(self, value, record):
        if record["r_status"] != "rejected":
            return "—"
        if self.reasons is not None:
            return self.reasons.get((record["r_type"], record["r_id"]), "") or "—"
        return value

    def render_actions(self, value, record):
        """申报 / 重新申报 only where it can succeed (issue 18: no button that cannot)."""
        if record["r_status"] not in {"draft", "rejected"}:
            return ""
        offer = self._offer(record)
        if self.offers is not None and (offer is None or not offer.submittable):
            if offer is not None and offer.locked:
                return format_html('<span class="text-secondary small">{}</span>', "季度已锁定")
            if offer is not None and offer.missing:
                return format_html('<span class="text-secondary small">{}</span>', "请先上传佐证")
            return ""
        label = "重新申报" if record["r_status"] == "rejected" else "申报"
        return format_html(
            # One claim needs no bulk confirmation: the row button skips the required box.
            '<button class="btn btn-primary btn-sm py-0" type="submit" name="only" '
            'value="{}:{}" formnovalidate>{}</button>',
            record["r_type"],
            record["r_id"],
            label,
        )


class DuplicateFlagTable(tables.Table):
    kind = tables.Column(verbose_name="类型")
    project_a = tables.Column(verbose_name="项目甲", order_by=("project_a__name",))
    project_b = tables.Column(verbose_name="项目乙", order_by=("project_b__name",), default="—")
    status = tables.Column(verbose_name="处理状态")
    created = tables.DateTimeColumn(verbose_name="发现时间", format="Y-m-d H:i")
    detail_link = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = DuplicateFlag
        fields = ("kind", "project_a", "project_b", "status", "created")
        empty_text = "没有重复或异常标记"
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}

    def render_project_a(self, value, record):
        return f"{value.name}（{value.unit.name}）"

    def render_project_b(self, value, record):
        return f"{value.name}（{value.unit.name}）"

    def render_detail_link(self, value):
        url = reverse("review:flag_detail", args=[value])
        return format_html('<a class="btn btn-outline-primary btn-sm py-0" href="{}">处理</a>', url)
