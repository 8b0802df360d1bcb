"""Bad input through the verification pages: one claim's action, bulk actions, 我的申报, flag
resolution and the change-history search."""

import pytest
from django.urls import reverse

from projects import claims
from projects.models import ClaimEvent, DuplicateFlag, Milestone, Project
from projects.review import duplicates
from projects.review.forms import (
    BulkActionForm,
    ClaimActionForm,
    FlagResolveForm,
    HistorySearchForm,
    parse_selection,
)
from tests.badinput import corpus
from tests.badinput.harness import (
    as_post,
    assert_form_refuses,
    assert_refused,
    chinese_errors,
    fresh,
    row_counts,
)
from tests.factories import DuplicateFlagFactory, ProjectFactory

pytestmark = pytest.mark.django_db

WATCH = [ClaimEvent, Milestone, Project, DuplicateFlag]
BAD_SELECTION = {
    "empty": "",
    "unknown-kind": "visit:1",
    "missing-pk": "milestone:",
    "letters": "milestone:abc",
    "nul": "milestone:\x00",
    "huge-pk": f"milestone:{corpus.HUGE_DIGITS}",
    "negative": "milestone:-1",
}


@pytest.fixture
def submitted(drafts):
    claim = drafts["milestone"]
    claim.status = "submitted"
    claim.save()
    return claim


def act_url(claim):
    return reverse("review:claim_act", args=["milestone", claim.pk])


def test_claim_action_baseline_is_saved(login, reviewer, submitted):
    data = {"action": "review", "comment": "材料齐全", "version": submitted.version}
    response = login(reviewer).post(act_url(submitted), data)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "reviewed"


ACT_CASES = corpus.cases(
    action=corpus.CHOICE_REQUIRED,
    comment={**corpus.TEXT, "over-1000": "意" * 1001},
    version={**corpus.INTEGER, "zero": "0"},
)


def assert_action_refused(user, claim, data):
    """What claim_act does: ClaimActionForm, then (when it is valid) claims.transition, whose
    ClaimError is the message shown."""

    def transition(cleaned):
        claims.transition(
            user, fresh(claim), cleaned["action"], cleaned["comment"], version=cleaned["version"]
        )

    form = ClaimActionForm(as_post(data))
    return assert_form_refuses(form, WATCH, obj=claim, then=transition, refusal=claims.ClaimError)


@pytest.mark.parametrize("field, case, value", ACT_CASES, ids=corpus.ids(ACT_CASES))
def test_claim_action_refuses(reviewer, submitted, field, case, value):
    data = {"action": "review", "comment": "材料齐全", "version": submitted.version, field: value}
    assert_action_refused(reviewer, submitted, data)


def test_the_claim_page_refuses_a_bad_action(login, reviewer, submitted):
    data = {"action": "no-such-choice", "comment": "材料齐全", "version": submitted.version}
    assert_refused(login(reviewer), act_url(submitted), data, WATCH, obj=submitted)


@pytest.mark.parametrize(
    "comment", ["", "   ", "\u3000"], ids=["empty", "spaces", "ideographic-space"]
)
def test_rejecting_without_a_reason_is_refused(login, reviewer, submitted, comment):
    data = {"action": "reject", "comment": comment, "version": submitted.version}
    _response, errors = assert_refused(
        login(reviewer), act_url(submitted), data, WATCH, obj=submitted
    )
    assert any("必须填写理由" in e for e in errors)


def test_a_stale_version_is_refused(login, reviewer, submitted):
    data = {"action": "review", "comment": "", "version": submitted.version + 5}
    assert_refused(login(reviewer), act_url(submitted), data, WATCH, obj=submitted)


@pytest.mark.parametrize("case", list(BAD_SELECTION))
def test_bulk_action_with_a_bad_selection_is_refused(submitted, case):
    data = {"selected": [BAD_SELECTION[case]], "action": "advance", "comment": ""}
    form = BulkActionForm(as_post(data))
    assert_form_refuses(form, WATCH, obj=submitted, field="selected")


def test_the_queue_refuses_a_bad_selection(login, reviewer, submitted):
    data = {"selected": [BAD_SELECTION["huge-pk"]], "action": "advance", "comment": ""}
    assert_refused(login(reviewer), reverse("review:queue_act"), data, WATCH, obj=submitted)


BULK_CASES = corpus.cases(action=corpus.CHOICE_REQUIRED, comment=corpus.TEXT)


@pytest.mark.parametrize("field, case, value", BULK_CASES, ids=corpus.ids(BULK_CASES))
def test_bulk_action_refuses(submitted, field, case, value):
    data = {"selected": [f"milestone:{submitted.pk}"], "action": "advance", "comment": ""}
    data[field] = value
    assert_form_refuses(BulkActionForm(as_post(data)), WATCH, obj=submitted, field=field)


def test_the_queue_refuses_a_bad_comment(login, reviewer, submitted):
    data = {"selected": [f"milestone:{submitted.pk}"], "action": "advance", "comment": "意\x00见"}
    assert_refused(login(reviewer), reverse("review:queue_act"), data, WATCH, obj=submitted)


def test_bulk_action_baseline_is_saved(login, reviewer, submitted):
    data = {"selected": [f"milestone:{submitted.pk}"], "action": "advance", "comment": ""}
    data["confirm"] = "yes"  # a bulk action is confirmed (issue 18)
    assert login(reviewer).post(reverse("review:queue_act"), data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "reviewed"


def test_bulk_reject_without_a_reason_is_refused(login, reviewer, submitted):
    data = {"selected": [f"milestone:{submitted.pk}"], "action": "reject", "comment": "  "}
    assert_refused(login(reviewer), reverse("review:queue_act"), data, WATCH, obj=submitted)


# 我的申报 has no form: my_claims_submit reads the selection with parse_selection and refuses
# ("请至少勾选一条申报。") when nothing usable is left.
@pytest.mark.parametrize("case", list(BAD_SELECTION))
def test_submitting_a_bad_selection_is_refused(drafts, case):
    before = row_counts(*WATCH)
    assert parse_selection(as_post({"selected": [BAD_SELECTION[case]]}).getlist("selected")) == {}
    assert row_counts(*WATCH) == before


def test_my_claims_refuses_a_bad_selection(login, staff_a, drafts):
    data = {"selected": [BAD_SELECTION["negative"]]}
    url = reverse("review:my_claims_submit")
    assert_refused(login(staff_a), url, data, WATCH, obj=drafts["milestone"])


@pytest.mark.parametrize("case", ["huge-pk", "nul", "letters"])
def test_submitting_one_bad_claim_is_refused(drafts, case):
    assert parse_selection([as_post({"only": BAD_SELECTION[case]})["only"]]) == {}


def test_my_claims_refuses_one_bad_claim(login, staff_a, drafts):
    data = {"only": BAD_SELECTION["nul"]}
    url = reverse("review:my_claims_submit")
    assert_refused(login(staff_a), url, data, WATCH, obj=drafts["milestone"])


@pytest.fixture
def flag(project, unit_b, industry):
    twin = ProjectFactory(
        name=project.name,
        investor_name=project.investor_name,
        industry=industry,
        category="industrial",
        unit=unit_b,
        total_investment=1000,
        contracted_investment=0,
        stage="negotiating",
    )
    return DuplicateFlagFactory(kind="same_investor", project_a=project, project_b=twin)


FLAG_CASES = corpus.cases(
    decision=corpus.CHOICE_REQUIRED, reason={**corpus.TEXT, "over-1000": "理" * 1001}
)


def test_flag_resolution_baseline_is_saved(login, reviewer, flag):
    data = {"decision": "kept", "reason": "两个项目分属不同厂区"}
    url = reverse("review:flag_detail", args=[flag.pk])
    assert login(reviewer).post(url, data).status_code == 302
    flag.refresh_from_db()
    assert flag.status == "kept"


@pytest.mark.parametrize("field, case, value", FLAG_CASES, ids=corpus.ids(FLAG_CASES))
def test_flag_resolution_refuses(reviewer, flag, field, case, value):
    data = {"decision": "kept", "reason": "两个项目分属不同厂区", field: value}
    form = FlagResolveForm(as_post(data), choices=duplicates.resolutions_for(fresh(flag)))
    assert_form_refuses(form, WATCH, obj=flag, field=field)


def test_the_flag_page_refuses_a_bad_decision(login, reviewer, flag):
    data = {"decision": "no-such-choice", "reason": "两个项目分属不同厂区"}
    url = reverse("review:flag_detail", args=[flag.pk])
    assert_refused(login(reviewer), url, data, WATCH, obj=flag, field="decision")


def test_keeping_both_without_a_reason_is_refused(login, reviewer, flag):
    url = reverse("review:flag_detail", args=[flag.pk])
    data = {"decision": "kept", "reason": "   "}
    assert_refused(login(reviewer), url, data, WATCH, obj=flag)


HISTORY_CASES = corpus.cases(
    model=corpus.CHOICE,
    user=corpus.FOREIGN_KEY,
    date_from=corpus.DATE,
    date_to=corpus.DATE,
    project={**corpus.TEXT, "long": corpus.LONG[:300]},
)


@pytest.mark.parametrize("field, case, value", HISTORY_CASES, ids=corpus.ids(HISTORY_CASES))
def test_history_search_refuses(drafts, field, case, value):
    assert_form_refuses(HistorySearchForm(as_post({field: value})), WATCH, field=field)


def test_history_search_shows_a_chinese_error(login, reviewer, drafts):
    response = login(reviewer).get(reverse("review:history"), {"date_from": "2025-02-30"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert chinese_errors(response)


def test_history_search_with_dates_out_of_order_is_refused(login, reviewer):
    params = {"date_from": "2025-06-01", "date_to": "2025-05-01"}
    response = login(reviewer).get(reverse("review:history"), params)
    assert any("起始日期不能晚于截止日期" in e for e in chinese_errors(response))
