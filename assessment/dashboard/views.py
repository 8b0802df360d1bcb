"""The leaders' dashboard (领导看板) and its analysis pages: structure (三多一少), forecast and gap,
contributors (十佳引资功臣).

Views are thin: figures come from `assessment.dashboard.charts`, `assessment.dashboard.structure`
and `assessment.dashboard.forecast`; which result a user sees from `assessment.visibility`, scoping
from `units.access` (a unit user sees its own unit and
the published rankings). Bad query parameters fall back to defaults or show a form error, never a
500.
"""

from django import forms
from django.core.validators import MaxValueValidator
from django.shortcuts import render
from django.utils import timezone

from assessment import visibility
from assessment.dashboard import charts as dashboard
from assessment.dashboard.forecast import forecast_page
from assessment.dashboard.structure import SIDES, structure_data, top_contributors
from assessment.formatting import quarter_name
from units import access
from units.models import CollaborationGroup, Unit
from units.search import use_unit_search
from zhaoshang.web import exports, pagination
from zhaoshang.web.forms import BootstrapMixin

YEAR_ERRORS = {
    "invalid": "年度应为四位数字。",
    "min_value": "年度不能早于 2000 年。",
    "max_value": "年度不能晚于明年。",
}
QUARTERS = [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]


def _this_year():
    return timezone.localdate().year


def limit_year(field):
    """No year after next year (checked at request time, so the limit moves with the clock)."""
    field.validators.append(MaxValueValidator(_this_year() + 1, message=YEAR_ERRORS["max_value"]))


class PeriodForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(
        label="年度", min_value=2000, required=False, error_messages=YEAR_ERRORS
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        choices=QUARTERS,
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "季度只能是一至四季度。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_year(self.fields["year"])


class StructureForm(BootstrapMixin, forms.Form):
    """年度 / 协作组 / 单位 filters; choices limited to what the user may read."""

    year = forms.IntegerField(
        label="年度", min_value=2000, required=False, error_messages=YEAR_ERRORS
    )
    group = forms.ModelChoiceField(
        label="协作组",
        queryset=CollaborationGroup.objects.none(),
        required=False,
        empty_label="全部",
        error_messages={"invalid_choice": "所选协作组不存在或无权查看。"},
    )
    unit = forms.ModelChoiceField(
        label="单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="全部",
        error_messages={"invalid_choice": "所选单位不存在或无权查看。"},
    )

    def __init__(self, user, *args, only_year=False, **kwargs):
        super().__init__(*args, **kwargs)
        limit_year(self.fields["year"])
        # An unfiltered page shows this year: say so in the box instead of leaving it blank.
        self.fields["year"].widget.attrs["placeholder"] = str(_this_year())
        self.fields["year"].initial = _this_year()
        if only_year:
            del self.fields["group"]
            del self.fields["unit"]
        else:
            self.fields["group"].queryset = access.visible_groups(user).order_by(
                "-year", "sort_order", "name"
            )
            self.fields["unit"].queryset = access.visible_units(user).order_by("sort_order", "name")
            if access.sees_everything(user):
                use_unit_search(self.fields["unit"])

    def filters(self):
        """{year, group, unit}: the valid choices, defaults (this year, all) for the rest."""
        values = {"year": _this_year(), "group": None, "unit": None}
        if self.is_bound:
            self.is_valid()
            for name in values:
                if name in self.fields and name not in self.errors:
                    value = self.cleaned_data.get(name)
                    if value:
                        values[name] = value
        if values["group"] is not None and "year" not in (self.data or {}):
            values["year"] = values["group"].year
        return {k: v for k, v in values.items() if k == "year" or k in self.fields}


class ContributorsForm(StructureForm):
    """年度 and the 内部/外部/全部 switch of 十佳引资功臣."""

    side = forms.ChoiceField(
        label="身份",
        choices=[(key, label) for key, (label, _kinds) in SIDES.items()],
        required=False,
        error_messages={"invalid_choice": "身份只能是全部、内部或外部。"},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, only_year=True, **kwargs)

    def chosen_side(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("side") or "all"
        return "all"


def _period(request):
    """(form, year, quarter) from ?year=&quarter=, defaulting to the newest visible quarter."""
    year, quarter = visibility.default_period(request.user)
    form = PeriodForm(request.GET or None, initial={"year": year, "quarter": quarter})
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or year
        quarter = form.cleaned_data["quarter"] or quarter
    year, quarter = dashboard.clamp_period(year, quarter)
    return form, year, quarter


def index(request):
    form, year, quarter = _period(request)
    data = dashboard.build(request.user, year, quarter)
    focus = data["focus_unit_id"]
    title = (
        f"{request.user.unit}看板" if focus else f"{year}年{quarter_name(quarter)}招商引资领导看板"
    )
    return render(
        request,
        "dashboard/index.html",
        {
            "title": title,
            "form": form,
            "year": year,
            "quarter": quarter,
            "d": data,
            "charts": data["charts"],
            "focus": focus,
        },
    )


def structure(request):
    form = StructureForm(request.user, request.GET or None)
    filters = form.filters()
    data = structure_data(request.user, **filters)
    return render(
        request,
        "dashboard/structure.html",
        {
            "title": f"{filters['year']}年招商项目结构分析",
            "form": form,
            "d": data,
            "charts": data["charts"],
        },
    )


def contributors(request):
    """十佳引资功臣 of a year, 内部/外部/全部; `?_export=xlsx` gives the same rows as a workbook."""
    form = ContributorsForm(request.user, request.GET or None)
    year, side = form.filters()["year"], form.chosen_side()
    rows = top_contributors(request.user, year, side=side)
    title = f"{year}年十佳引资功臣"
    if side != "all":
        title += f"（{SIDES[side][0]}）"
    if exports.wants_export(request):
        return exports.rows_response(title, CONTRIBUTOR_HEADERS, contributor_rows(rows))
    return render(
        request,
        "dashboard/contributors.html",
        {
            "title": title,
            "form": form,
            "year": year,
            "side": side,
            "rows": rows,
            "export_query": exports.export_query(request),
            "reward_year": reward_link_year(request.user, year),
        },
    )


def reward_link_year(user, year):
    """The year of the intermediary rewards list to link to, for those who may read it."""
    from projects import rewards

    return rewards.link_year(year) if rewards.can_read(user) else None


CONTRIBUTOR_HEADERS = [
    "名次",
    "姓名",
    "身份",
    "单位/机构",
    "项目数",
    "合同投资（万元）",
    "实际到位资金（万元）",
    "合计（万元）",
    "所涉项目",
]


def contributor_rows(rows):
    for row in rows:
        person = row["person"]
        yield [
            row["rank"],
            person.name,
            person.get_kind_display(),
            person.unit.name if person.unit_id else person.organisation,
            row["projects"],
            row["contracted"],
            row["funds"],
            row["total"],
            "、".join(item["name"] for item in row["items"]),
        ]


# Units' forecast cards on one page (issue 21: a city's 500 cards were ~1.4 MB of HTML); the
# chart above them keeps every unit.
FORECAST_PER_PAGE = 25


def forecast(request):
    form, year, quarter = _period(request)
    data = forecast_page(request.user, year, quarter)
    page = None
    if data.get("rows"):
        page = pagination.paginate_list(request, data["rows"], FORECAST_PER_PAGE)
        data["rows"] = page.object_list
    return render(
        request,
        "dashboard/forecast.html",
        {
            "title": f"{year}年度完成情况预测与差距（截至{quarter_name(quarter)}）",
            "form": form,
            "year": year,
            "quarter": quarter,
            "d": data,
            "charts": data.get("charts", {}),
            "page": page,
            "query": pagination.page_query(request),
        },
    )
