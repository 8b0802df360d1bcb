"""Bad input through the assessment pages: year rules, indicators, target grids, score
adjustments and the reasons for unlocking."""

import pytest
from django.urls import reverse

from assessment import targets
from assessment.forms import AdjustmentForm, IndicatorForm, ReasonForm, YearForm
from assessment.models import (
    AssessmentLog,
    AssessmentYear,
    Indicator,
    ScoreAdjustment,
    Snapshot,
    Target,
)
from assessment.snapshots import compute_snapshot, publish
from tests.assessment.factories import default_year
from tests.assessment.factories import year_form_data as year_data
from tests.badinput import corpus
from tests.badinput.harness import (
    CJK,
    as_post,
    assert_form_refuses,
    assert_refused,
    assert_saved,
    fresh,
    row_counts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(db):
    return default_year(2025)


FRACTION = {
    "letters": "abc",
    "zero": "0",
    "two": "2",
    "divide-by-zero": "1/0",
    "negative": "-1/3",
    "1e20": "1e20",
    "nul": "\x00",
    "rtl-override": "\u202e1/3",
    "long": corpus.LONG,
    **corpus.REQUIRED_EMPTY,
}
YEAR_CASES = corpus.cases(
    year=corpus.YEAR,
    score_cap={**corpus.NUMBER, "below-1": "0.5", "1e20": "1e20", "100": "100", "empty": ""},
    echelon_first=FRACTION,
    echelon_second=FRACTION,
    progress_q1={**corpus.PERCENT, "empty": ""},
    progress_q4={**corpus.PERCENT, "empty": ""},
    excluded_categories=corpus.CHOICE,
    note=corpus.TEXTAREA,
)
YEAR_WATCH = [AssessmentYear, Indicator, AssessmentLog]


def test_year_baseline_is_saved(login, reviewer):
    assert_saved(login(reviewer), reverse("assessment:year_add"), year_data())
    assert AssessmentYear.objects.get(year=2027).indicators.count() == 5


@pytest.mark.parametrize("field, case, value", YEAR_CASES, ids=corpus.ids(YEAR_CASES))
def test_new_year_refuses(year, field, case, value):
    form = YearForm(as_post(year_data(**{field: value})), rules_locked=False)
    assert_form_refuses(form, YEAR_WATCH, field=field)


def test_the_new_year_page_refuses_a_bad_value(login, reviewer, year):
    data = year_data(echelon_first="1/0")
    url = reverse("assessment:year_add")
    assert_refused(login(reviewer), url, data, YEAR_WATCH, field="echelon_first")


# The year of an existing 考核年度 is a disabled field: whatever is posted, it keeps its year.
YEAR_EDIT_CASES = [case for case in YEAR_CASES if case[0] != "year"]


@pytest.mark.parametrize("field, case, value", YEAR_EDIT_CASES, ids=corpus.ids(YEAR_EDIT_CASES))
def test_year_edit_refuses(year, field, case, value):
    data = {**year_data(year="2025"), field: value}
    form = YearForm(as_post(data), instance=fresh(year), rules_locked=year.rules_locked())
    assert_form_refuses(form, YEAR_WATCH, obj=year, field=field)


def test_the_year_edit_page_refuses_a_bad_value(login, reviewer, year):
    data = {**year_data(year="2025"), "progress_q1": "100.01"}
    url = reverse("assessment:year_edit", args=[2025])
    assert_refused(login(reviewer), url, data, YEAR_WATCH, obj=year, field="progress_q1")


def test_an_existing_year_is_refused(login, reviewer, year):
    _response, errors = assert_refused(
        login(reviewer), reverse("assessment:year_add"), year_data(year="2025"), YEAR_WATCH
    )
    assert any("存在" in e for e in errors)


def test_time_progress_going_backwards_is_refused(login, reviewer):
    data = year_data(progress_q1="60", progress_q2="50")
    _response, errors = assert_refused(
        login(reviewer), reverse("assessment:year_add"), data, YEAR_WATCH
    )
    assert any("逐季不减" in e for e in errors)


def test_second_echelon_below_the_first_is_refused(login, reviewer):
    data = year_data(echelon_first="1/2", echelon_second="1/3")
    assert_refused(login(reviewer), reverse("assessment:year_add"), data, YEAR_WATCH)


def indicator_data(**overrides):
    data = {
        "code": "signed_50m",
        "name": "新引进五千万元以上项目",
        "kind": "milestone_count",
        "milestone": "signed",
        "investment_basis": "contracted",
        "threshold": "5000",
        "new_only": "on",
        "funds_source": "",
        "display_unit": "个",
        "weight": "10",
        "order": "6",
    }
    data.update(overrides)
    return data


INDICATOR_CASES = corpus.cases(
    code={**corpus.NAME_REQUIRED, "chinese": "签约项目", "space": "signed 50m"},
    name=corpus.NAME_REQUIRED,
    kind=corpus.CHOICE_REQUIRED,
    milestone=corpus.CHOICE,
    investment_basis=corpus.CHOICE,
    threshold=corpus.AMOUNT,
    funds_source=corpus.CHOICE,
    display_unit=corpus.CHOICE_REQUIRED,
    weight={**corpus.AMOUNT_REQUIRED, "zero": "0", "over-9999.99": "10000"},
    order=corpus.INTEGER,
)


def test_indicator_baseline_is_saved(login, reviewer, year):
    url = reverse("assessment:indicator_add", args=[2025])
    assert_saved(login(reviewer), url, indicator_data())
    assert year.indicators.filter(code="signed_50m").exists()


@pytest.mark.parametrize("field, case, value", INDICATOR_CASES, ids=corpus.ids(INDICATOR_CASES))
def test_new_indicator_refuses(year, field, case, value):
    form = IndicatorForm(as_post(indicator_data(**{field: value})), year=fresh(year))
    assert_form_refuses(form, [Indicator, AssessmentLog], field=field)


def test_the_new_indicator_page_refuses_a_bad_value(login, reviewer, year):
    url = reverse("assessment:indicator_add", args=[2025])
    data = indicator_data(weight="0")
    assert_refused(login(reviewer), url, data, [Indicator, AssessmentLog], field="weight")


@pytest.mark.parametrize("field, case, value", INDICATOR_CASES, ids=corpus.ids(INDICATOR_CASES))
def test_indicator_edit_refuses(year, field, case, value):
    indicator = year.indicators.get(code="signed_100m")
    data = {**indicator_data(code="signed_100m"), field: value}
    form = IndicatorForm(as_post(data), instance=fresh(indicator), year=fresh(year))
    assert_form_refuses(form, [Indicator, AssessmentLog], obj=indicator, field=field)


def test_the_indicator_edit_page_refuses_a_bad_value(login, reviewer, year):
    indicator = year.indicators.get(code="signed_100m")
    url = reverse("assessment:indicator_edit", args=[2025, indicator.pk])
    data = {**indicator_data(code="signed_100m"), "threshold": "-1"}
    assert_refused(
        login(reviewer), url, data, [Indicator, AssessmentLog], obj=indicator, field="threshold"
    )


def test_a_duplicate_indicator_code_is_refused(login, reviewer, year):
    url = reverse("assessment:indicator_add", args=[2025])
    _response, errors = assert_refused(
        login(reviewer), url, indicator_data(code="funds"), [Indicator], field="code"
    )
    assert any("相同代码" in e for e in errors)


# Target cells accept "1,000" (thousands separators are stripped on purpose).
TARGET = {k: v for k, v in corpus.AMOUNT.items() if k != "thousands-comma"}


def test_target_grid_baseline_is_saved(login, reviewer, year, unit_a):
    field = f"t-{unit_a.pk}-{year.indicators.get(code='funds').pk}"
    assert_saved(login(reviewer), reverse("assessment:targets", args=[2025]), {field: "1200"})
    assert Target.objects.get().value == 1200


def grid_data(year, unit, funds_value):
    funds = year.indicators.get(code="funds")
    signed = year.indicators.get(code="signed_100m")
    return {f"t-{unit.pk}-{signed.pk}": "3", f"t-{unit.pk}-{funds.pk}": funds_value}


@pytest.mark.parametrize("case, value", list(TARGET.items()), ids=list(TARGET))
def test_target_grid_refuses(reviewer, year, unit_a, case, value):
    # The grid has no form: the view hands request.POST to the service, which saves all or nothing.
    before = row_counts(Target, AssessmentLog)
    grid = targets.save_grid(fresh(year), "unit", as_post(grid_data(year, unit_a, value)), reviewer)
    assert grid.errors
    assert all(CJK.search(message) for message in grid.errors.values()), grid.errors
    assert row_counts(Target, AssessmentLog) == before


def test_the_target_grid_page_refuses_a_bad_cell(login, reviewer, year, unit_a):
    url = reverse("assessment:targets", args=[2025])
    assert_refused(login(reviewer), url, grid_data(year, unit_a, "NaN"), [Target, AssessmentLog])


def adjustment_url(unit):
    return reverse("assessment:adjustment_add", args=[2025, 1, unit.pk])


ADJUSTMENT_CASES = corpus.cases(
    points={
        **corpus.NUMBER,
        **corpus.REQUIRED_EMPTY,
        "zero": "0",
        "over-100": "100.01",
        "under-minus-100": "-100.01",
        "1e20": "1e20",
        "three-decimals": "0.001",
    },
    reason={**corpus.TEXTAREA, **corpus.REQUIRED_EMPTY},
)


def test_adjustment_baseline_is_saved(login, reviewer, year, unit_a):
    data = {"points": "-2.5", "reason": "重大项目未按期开工"}
    assert_saved(login(reviewer), adjustment_url(unit_a), data)
    assert ScoreAdjustment.objects.get().points == -2.5


@pytest.mark.parametrize("field, case, value", ADJUSTMENT_CASES, ids=corpus.ids(ADJUSTMENT_CASES))
def test_adjustment_refuses(year, unit_a, field, case, value):
    data = {"points": "-2.5", "reason": "重大项目未按期开工", field: value}
    assert_form_refuses(AdjustmentForm(as_post(data)), [ScoreAdjustment], field=field)


def test_the_adjustment_page_refuses_a_bad_value(login, reviewer, year, unit_a):
    data = {"points": "0", "reason": "重大项目未按期开工"}
    _response, errors = assert_refused(
        login(reviewer), adjustment_url(unit_a), data, [ScoreAdjustment]
    )
    assert any("加减分未保存" in e for e in errors)


@pytest.fixture
def published(year, reviewer):
    snapshot = compute_snapshot(2025, 1, reviewer)
    publish(snapshot, reviewer)
    return snapshot


REASON = {**corpus.TEXTAREA, **corpus.REQUIRED_EMPTY, "ideographic-space": "\u3000"}


# Both unlock views (a quarter's, the rules') read the reason with ReasonForm before unlocking.
@pytest.mark.parametrize("case, value", list(REASON.items()), ids=list(REASON))
def test_unlocking_a_quarter_needs_a_clean_reason(published, case, value):
    form = ReasonForm(as_post({"reason": value}))
    assert_form_refuses(form, [Snapshot, AssessmentLog], obj=published, field="reason")


def test_the_quarter_unlock_refuses_a_blank_reason(login, reviewer, published):
    url = reverse("assessment:unlock", args=[2025, 1])
    assert_refused(
        login(reviewer), url, {"reason": "\u3000"}, [Snapshot, AssessmentLog], obj=published
    )


@pytest.mark.parametrize("case, value", list(REASON.items()), ids=list(REASON))
def test_unlocking_rules_needs_a_clean_reason(published, year, case, value):
    form = ReasonForm(as_post({"reason": value}))
    assert_form_refuses(form, [AssessmentLog], obj=year, field="reason")


def test_the_rules_unlock_refuses_a_control_character(login, reviewer, published, year):
    url = reverse("assessment:rules_unlock", args=[2025])
    assert_refused(login(reviewer), url, {"reason": "理\x07由"}, [AssessmentLog], obj=year)


def test_unlock_baseline_is_saved(login, reviewer, published):
    url = reverse("assessment:unlock", args=[2025, 1])
    assert (
        login(reviewer)
        .post(url, {"reason": "更正甲县一季度到位资金", "confirm": "yes"})
        .status_code
        == 302
    )
    published.refresh_from_db()
    assert published.status == "unlocked"


@pytest.mark.parametrize("quarter", [0, 5, 99999])
def test_a_quarter_out_of_range_is_not_found(login, reviewer, year, quarter):
    client = login(reviewer)
    assert client.get(f"/assessment/2025/q{quarter}/").status_code == 404
    assert client.post(f"/assessment/2025/q{quarter}/compute/").status_code == 404
    assert Snapshot.objects.count() == 0


@pytest.mark.parametrize("year_value", [0, 99999, 10**20])
def test_a_year_out_of_range_is_not_found(login, reviewer, year, year_value):
    client = login(reviewer)
    assert client.get(f"/assessment/{year_value}/q1/").status_code == 404
    assert client.get(f"/assessment/years/{year_value}/targets/").status_code == 404
