"""Bad input through the claim forms (milestone, monthly investment, funds) and evidence upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.forms import EvidenceForm, FundsForm, InvestmentForm, MilestoneForm
from projects.models import Evidence, FundsEntry, Milestone, MonthlyInvestment, Project
from tests.badinput import corpus
from tests.badinput.files import BAD_EVIDENCE, PDF, good_pdf
from tests.badinput.harness import (
    as_files,
    as_post,
    assert_form_refuses,
    assert_refused,
    assert_saved,
    fresh,
)
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

WATCH = [Milestone, MonthlyInvestment, FundsEntry, Evidence, Project]

FORMS = {"milestone": MilestoneForm, "investment": InvestmentForm, "funds": FundsForm}
BASELINES = {
    "milestone": {"kind": "started", "date": "2025-05-01", "note": "施工许可证已取得"},
    "investment": {"month": "2025-05", "amount": "300", "note": ""},
    "funds": {"date": "2025-05-02", "source": "enterprise", "amount": "200", "note": ""},
}
MONTH = {
    "month-13": "2025-13",
    "month-0": "2025-00",
    "future": "2099-01",
    "letters": "abc",
    "nul": "\x00",
    "month-then-nul": "2025-05\x00",
    "long": corpus.LONG,
    **corpus.REQUIRED_EMPTY,
}
CLAIM_CASES = {
    "milestone": corpus.cases(
        kind=corpus.CHOICE_REQUIRED, date=corpus.DATE_PAST_REQUIRED, note=corpus.TEXTAREA
    ),
    "investment": corpus.cases(month=MONTH, amount=corpus.AMOUNT_REQUIRED, note=corpus.TEXTAREA),
    "funds": corpus.cases(
        date=corpus.DATE_PAST_REQUIRED,
        source=corpus.CHOICE_REQUIRED,
        amount=corpus.AMOUNT_REQUIRED,
        note=corpus.TEXTAREA,
    ),
}
ALL_CASES = [(kind, *case) for kind, cases in CLAIM_CASES.items() for case in cases]
ALL_IDS = [f"{kind}-{field}-{case}" for kind, field, case, _v in ALL_CASES]


@pytest.mark.parametrize("kind", list(BASELINES))
def test_claim_baselines_are_saved(login, staff_a, project, drafts, kind):
    url = reverse("projects:claim_add", args=[project.pk, kind])
    assert_saved(login(staff_a), url, BASELINES[kind], files={"evidence_file": good_pdf()})
    assert Evidence.objects.count() == 1


def claim_form(kind, project, data, claim=None, files=None):
    """The claim form as ClaimEditView builds it: the posted data and files, the claim being
    edited (read afresh) and its project."""
    instance = fresh(claim) if claim is not None else None
    return FORMS[kind](as_post(data), as_files(files), instance=instance, project=fresh(project))


def edit_data(kind, claim, field, value):
    data = {**BASELINES[kind], "version": claim.version, field: value}
    if kind == "milestone":
        data["kind"] = "signed" if field != "kind" else value
    return data


@pytest.mark.parametrize("kind, field, case, value", ALL_CASES, ids=ALL_IDS)
def test_new_claim_refuses(project, drafts, kind, field, case, value):
    form = claim_form(kind, project, {**BASELINES[kind], field: value})
    assert_form_refuses(form, WATCH, obj=project, field=field)


@pytest.mark.parametrize("kind", list(BASELINES))
def test_the_new_claim_page_refuses_a_bad_value(login, staff_a, project, drafts, kind):
    url = reverse("projects:claim_add", args=[project.pk, kind])
    field = "date" if kind == "milestone" else "amount"
    data = {**BASELINES[kind], field: "abc"}
    assert_refused(login(staff_a), url, data, WATCH, obj=project, field=field)


@pytest.mark.parametrize("kind, field, case, value", ALL_CASES, ids=ALL_IDS)
def test_claim_edit_refuses(project, drafts, kind, field, case, value):
    claim = drafts[kind]
    form = claim_form(kind, project, edit_data(kind, claim, field, value), claim=claim)
    assert_form_refuses(form, WATCH, obj=claim, field=field)


@pytest.mark.parametrize("kind", list(BASELINES))
def test_the_claim_edit_page_refuses_a_bad_value(login, staff_a, drafts, kind):
    claim = drafts[kind]
    url = reverse("projects:claim_edit", args=[kind, claim.pk])
    data = edit_data(kind, claim, "note", "\x00")
    assert_refused(login(staff_a), url, data, WATCH, obj=claim, field="note")


def test_a_second_signing_is_refused(login, staff_a, project, drafts):
    url = reverse("projects:claim_add", args=[project.pk, "milestone"])
    data = {**BASELINES["milestone"], "kind": "signed"}
    _response, errors = assert_refused(login(staff_a), url, data, WATCH, field="kind")
    assert any("已有“签约”节点" in e for e in errors)


def test_started_before_signed_is_refused(login, staff_a, project, drafts):
    url = reverse("projects:claim_add", args=[project.pk, "milestone"])
    data = {**BASELINES["milestone"], "date": "2025-03-14"}
    _response, errors = assert_refused(login(staff_a), url, data, WATCH, field="date")
    assert any("节点日期顺序不对" in e for e in errors)


def test_signing_moved_after_completion_is_refused(login, staff_a, project, drafts):
    MilestoneFactory(project=project, kind="completed", date="2025-06-30", status="draft")
    url = reverse("projects:claim_edit", args=["milestone", drafts["milestone"].pk])
    data = {**BASELINES["milestone"], "kind": "signed", "date": "2025-07-01", "version": 1}
    assert_refused(login(staff_a), url, data, WATCH, obj=drafts["milestone"], field="date")


def test_a_month_already_reported_is_refused(login, staff_a, project, drafts):
    url = reverse("projects:claim_add", args=[project.pk, "investment"])
    data = {**BASELINES["investment"], "month": "2025-04"}
    _response, errors = assert_refused(login(staff_a), url, data, WATCH, field="month")
    assert any("已填报" in e for e in errors)


@pytest.mark.parametrize("case", list(BAD_EVIDENCE))
def test_a_bad_evidence_file_with_a_claim_is_refused(project, drafts, case):
    files = {"evidence_file": BAD_EVIDENCE[case]()}
    form = claim_form("funds", project, BASELINES["funds"], files=files)
    assert_form_refuses(form, WATCH, field="evidence_file")


def test_the_new_claim_page_refuses_a_bad_evidence_file(login, staff_a, project, drafts):
    url = reverse("projects:claim_add", args=[project.pk, "funds"])
    files = {"evidence_file": BAD_EVIDENCE["exe"]()}
    assert_refused(
        login(staff_a), url, BASELINES["funds"], WATCH, files=files, field="evidence_file"
    )


@pytest.mark.parametrize("case", list(BAD_EVIDENCE))
def test_a_bad_evidence_upload_is_refused(drafts, case):
    form = EvidenceForm(as_post({}), as_files({"file": BAD_EVIDENCE[case]()}))
    assert_form_refuses(form, WATCH, field="file")


def test_the_evidence_page_refuses_a_bad_file(login, staff_a, drafts):
    url = reverse("projects:evidence_add", args=["funds", drafts["funds"].pk])
    files = {"file": BAD_EVIDENCE["svg-as-png"]()}
    assert_refused(login(staff_a), url, {}, WATCH, files=files, field="file")


def test_an_oversized_evidence_file_is_refused(login, staff_a, drafts, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    url = reverse("projects:evidence_add", args=["funds", drafts["funds"].pk])
    files = {"file": SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048)}
    _response, errors = assert_refused(login(staff_a), url, {}, WATCH, files=files, field="file")
    assert any("超过大小上限" in e for e in errors)


def test_no_evidence_file_is_refused(login, staff_a, drafts):
    url = reverse("projects:evidence_add", args=["funds", drafts["funds"].pk])
    assert_refused(login(staff_a), url, {}, WATCH, field="file")


def test_evidence_baseline_is_saved(login, staff_a, drafts):
    url = reverse("projects:evidence_add", args=["funds", drafts["funds"].pk])
    assert_saved(login(staff_a), url, {}, files={"file": good_pdf()})
    assert drafts["funds"].evidence.count() == 1
