"""五个一 包扶 pages (issue 19 item 5): a leader's portfolio (/persons/<id>/baofu/), 我的包扶项目
(/persons/mine/) for a leader whose account is linked to a registry person, and the city-wide
包扶表 (/persons/baofu/, the office and leaders) with its xlsx export. The computations are in
`projects.portfolio`; scoping is `Person.visible_to` and `Project.visible_to`."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessment.dashboard.views import StructureForm
from projects import portfolio
from projects.models import Person, PersonKind
from units import access
from zhaoshang.web import exports

NOT_LINKED = (
    "您的账号尚未关联人员库中的市县领导，暂不能查看包扶项目。"
    "请联系考核办在人员库中为您的人员信息关联系统账号。"
)


def _year_form(request):
    form = StructureForm(request.user, request.GET or None, only_year=True)
    return form, form.filters()["year"]


def _portfolio_page(request, person, mine=False):
    form, year = _year_form(request)
    today = timezone.localdate()
    rows = portfolio.portfolio_rows(
        request.user, portfolio.sponsored_projects(request.user, person), year, today
    )
    return render(
        request,
        "persons/portfolio.html",
        {
            "title": "我的包扶项目" if mine else f"{person.name}的包扶项目",
            "person": person,
            "mine": mine,
            "form": form,
            "year": year,
            "rows": rows,
            "head": portfolio.headline(rows),
        },
    )


@require_GET
def person_portfolio(request, pk):
    """A leader's portfolio. Any registry person the user may read; a unit user sees only the
    projects of their own unit in it (`Project.visible_to`)."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    return _portfolio_page(request, person)


@require_GET
def my_portfolio(request):
    """我的包扶项目: the portfolio of the registry leader linked to the user's account."""
    person = Person.objects.filter(user=request.user, kind=PersonKind.LEADER).first()
    if person is None:
        return render(
            request,
            "persons/portfolio_unlinked.html",
            {"title": "我的包扶项目", "message": NOT_LINKED},
        )
    return _portfolio_page(request, person, mine=True)


@require_GET
def baofu_table(request):
    """The city-wide 包扶表 (office, leaders, administrators); `?_export=xlsx` gives it as a
    paper-ready workbook with the same rows."""
    access.require(access.sees_everything(request.user))
    form, year = _year_form(request)
    rows = portfolio.portfolio_rows(
        request.user, portfolio.baofu_projects(request.user), year, timezone.localdate()
    )
    title = f"{year}年重点项目包扶表"
    if exports.wants_export(request):
        return exports.rows_response(
            title,
            portfolio.BAOFU_HEADERS,
            portfolio.baofu_table_rows(rows),
            request=request,
            count=len(rows),
            filters=f"年度：{year}",
        )
    return render(
        request,
        "persons/baofu_table.html",
        {
            "title": title,
            "form": form,
            "year": year,
            "rows": rows,
            "export_query": exports.export_query(request),
        },
    )
