"""Tables for the project, lead, visit and assistance lists. Amount columns are headed 万元 and
every cell reads in 万元 (`wan_plain`, issue 22): a column never mixes 万元 and 亿元."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from projects.models import (
    AssistanceItem,
    AssistanceStatus,
    Category,
    HeadEnterprise,
    Lead,
    Person,
    Project,
    Stage,
    Visit,
)
from projects.models.project import UNSIGNED_STAGES
from units import access
from units.templatetags.zs import DASH, wan_plain

STAGE_CSS = {
    "lead": "light text-dark",
    "negotiating": "secondary",
    "signed": "primary",
    "started": "warning text-dark",
    "completed": "success",
    "producing": "success",
    "terminated": "dark",
}


def edit_link(viewname, *unit_ids):
    """A linkify callable: the edit URL only for users who may edit (no dead 403 links)."""

    def link(record, table):
        user = table.request.user
        if any(access.can_edit_unit_data(user, get(record)) for get in unit_ids):
            return reverse(viewname, args=[record.pk])
        return None

    return link


class AmountColumn(tables.Column):
    """An amount in 万元: the header says 万元 (on the page and in the export), cells do not."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}
    export_unit = "万元"  # the export's header says it: 总投资（万元）

    def __init__(self, verbose_name, **kwargs):
        super().__init__(verbose_name=f"{verbose_name}（万元）", **kwargs)

    def render(self, value):
        return wan_plain(value)


class ProjectTable(tables.Table):
    name = tables.Column(linkify=True)
    unit = tables.Column(verbose_name="责任单位")
    industry = tables.Column()
    stage = tables.Column()
    total_investment = AmountColumn(verbose_name="总投资")
    contracted_investment = AmountColumn(verbose_name="合同投资")
    signed_on = tables.DateColumn(verbose_name="签约日期", format="Y-m-d", default="—")
    flags = tables.Column(verbose_name="标识", empty_values=(), orderable=False)

    class Meta:
        model = Project
        fields = (
            "name",
            "unit",
            "industry",
            "category",
            "stage",
            "total_investment",
            "contracted_investment",
            "signed_on",
            "flags",
        )
        order_by = ("-total_investment",)
        empty_text = "没有符合条件的项目"

    def render_stage(self, record, value):
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', STAGE_CSS.get(record.stage, "light"), value
        )

    def value_stage(self, value):
        return value  # the label, without the badge

    def render_contracted_investment(self, record, value):
        if record.stage in UNSIGNED_STAGES and not value:
            return DASH
        return wan_plain(value)

    def render_flags(self, record):
        head = record.head_enterprise and record.get_head_enterprise_display()
        return project_flags(record.is_key, record.is_high_tech, head, record.new_in_year)


def project_flags(is_key, is_high_tech, head_enterprise_label, is_new):
    """The 标识 column's text, on the page and in the export; 结转 of the current assessment
    year (`new_in_year`, annotated by the list from `projects.newness`)."""
    flags = []
    if is_key:
        flags.append("重点")
    if is_high_tech:
        flags.append("高新")
    if head_enterprise_label:
        flags.append(str(head_enterprise_label))
    if not is_new:
        flags.append("结转")
    return " ".join(flags) or "—"


PROJECT_EXPORT_FIELDS = (
    *("name", "unit__name", "industry__name", "category", "stage"),
    *("total_investment", "contracted_investment", "signed_on"),
    *("is_key", "is_high_tech", "head_enterprise", "new_in_year"),
)


def project_export_rows(queryset, names, chunk_size=2000):
    """The project list's export cells for the columns `names`, read as value rows (no model
    objects: a fifth of the time at 50,000 rows). The cells are the table's own — choice labels,
    "—" for a missing 签约日期, the 标识 text — which tests/workbooks/test_export_cells.py checks
    against ProjectTable cell by cell."""
    labels = {
        field: {code: str(label) for code, label in choices}
        for field, choices in (
            ("category", Category.choices),
            ("stage", Stage.choices),
            ("head", HeadEnterprise.choices),
        )
    }
    rows = queryset.values_list(*PROJECT_EXPORT_FIELDS).iterator(chunk_size=chunk_size)
    for name, unit, industry, category, stage, total, contracted, signed_on, *flags in rows:
        key, high_tech, head, new = flags
        cells = {
            "name": name or None,
            "unit": unit,
            "industry": industry,
            "category": labels["category"].get(category, category) or None,
            "stage": labels["stage"].get(stage, stage) or None,
            "total_investment": total,
            "contracted_investment": contracted,
            "signed_on": signed_on or "—",
            "flags": project_flags(key, high_tech, head and labels["head"].get(head, head), new),
        }
        yield [cells[column] for column in names]


class LeadTable(tables.Table):
    investor_name = tables.Column(linkify=("projects:lead_detail", {"pk": tables.A("pk")}))
    unit = tables.Column(verbose_name="收集单位")
    intended_investment = AmountColumn(verbose_name="意向投资")
    project = tables.Column(linkify=True, verbose_name="转化项目", default="—")
    created = tables.DateColumn(format="Y-m-d", verbose_name="收集日期")

    class Meta:
        model = Lead
        fields = (
            "investor_name",
            "unit",
            "industry",
            "intended_investment",
            "source",
            "status",
            "project",
            "created",
        )
        empty_text = "没有符合条件的线索"


class VisitTable(tables.Table):
    date = tables.DateColumn(format="Y-m-d")
    investor_name = tables.Column(
        linkify=edit_link("projects:visit_edit", lambda r: r.unit_id), verbose_name="客商"
    )
    unit = tables.Column(verbose_name="接待单位")
    project = tables.Column(linkify=True, default="—")
    lead = tables.Column(linkify=("projects:lead_detail", {"pk": tables.A("lead_id")}), default="—")

    class Meta:
        model = Visit
        fields = (
            "date",
            "investor_name",
            "unit",
            "visitors",
            "hosts",
            "outcome",
            "project",
            "lead",
        )
        empty_text = "没有符合条件的接待记录"

    def render_outcome(self, value):
        return value if len(value) <= 40 else value[:40] + "…"


def _overdue(record):
    return record.status != AssistanceStatus.RESOLVED and record.deadline < timezone.localdate()


class AssistanceTable(tables.Table):
    project = tables.Column(linkify=True)
    unit = tables.Column(verbose_name="项目责任单位", accessor="project__unit")
    problem = tables.Column(
        linkify=edit_link(
            "projects:assistance_edit",
            lambda r: r.project.unit_id,
            lambda r: r.responsible_unit_id,
        )
    )
    responsible_unit = tables.Column(verbose_name="承办单位")
    deadline = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = AssistanceItem
        fields = (
            "project",
            "unit",
            "category",
            "problem",
            "responsible_unit",
            "responsible_leader",
            "deadline",
            "status",
        )
        empty_text = "没有符合条件的帮办事项"
        row_attrs = {"class": lambda record: "table-danger" if _overdue(record) else ""}

    def render_problem(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def render_status(self, record, value):
        # Leaders and the office press 督办 on the row itself; others see the status only.
        from projects.supervision.services import can_issue

        if not can_issue(self.request.user):
            return value
        url = reverse("projects:duban_issue", args=["assistance", record.pk])
        return format_html(
            '{} <a class="small" href="{}" data-testid="duban-issue-assistance">督办</a>',
            value,
            url,
        )

    def value_status(self, record, value):
        return value

    def render_deadline(self, record, value):
        if _overdue(record):
            days = (timezone.localdate() - record.deadline).days
            return format_html(
                '{} <span class="badge text-bg-danger">逾期 {} 天</span>', value, days
            )
        return value


class PersonTable(tables.Table):
    """The persons registry (人员库)."""

    name = tables.Column(linkify=True)
    unit = tables.Column(verbose_name=_("所属单位/机构"), empty_values=(), order_by=("unit__name",))
    introduced = tables.Column(verbose_name=_("引进项目数"))
    user = tables.Column(verbose_name=_("系统账号"), default="—")

    class Meta:
        model = Person
        fields = ("name", "kind", "unit", "title", "contact", "registered_on", "status")
        sequence = ("name", "kind", "unit", "title", "contact", "registered_on", "status")
        order_by = ("kind", "name")
        empty_text = _("人员库中没有符合条件的人员")

    def render_unit(self, record):
        return record.unit.name if record.unit_id else (record.organisation or "—")

    def value_unit(self, record):
        return self.render_unit(record)
