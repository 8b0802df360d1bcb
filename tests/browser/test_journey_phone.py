"""Journey 10: the pages unit staff and leaders use, on a phone (390×844) and a desktop (1366×768).

Issue 22: at phone width lists become cards (one card a row, "列名 值" lines), forms stack, and
nothing scrolls sideways; at desktop width the same pages keep their tables. A unit's 填报员
files a month's fixed-asset investment on the phone from start to end.
"""

import shutil

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import ClaimStatus, MonthlyInvestment
from tests.browser.conftest import DESKTOP, PHONE, REPO_ROOT, WIDEST_ELEMENTS
from tests.browser.data import submitted_claims
from tests.browser.test_journey_leader import published_third_quarter
from tests.browser.workbook import QUARTER, YEAR
from tests.factories import PASSWORD, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A few phone screenshots are kept in the repository for the note.
NOTE_FOLDER = REPO_ROOT / "docs" / "screenshots" / "phone"
NOTE_SHOTS = {
    "staff-projects",
    "staff-investment-form",
    "staff-my-claims-submitted",
    "staff-project-after-investment",
    "leader-dashboard-ranking",
    "leader-ranking",
}
LONG_NAME = "年产十万吨高性能锂离子电池正极材料及前驱体一体化智能制造产业园建设项目（一期）"


class Widths:
    """Opens pages at both widths, asserts neither scrolls sideways, keeps every screenshot."""

    def __init__(self, j, folder):
        self.j = j
        self.folder = folder
        # Every page that scrolled sideways; the journey walks on and fails at its end.
        self.overflows = []
        folder.mkdir(parents=True, exist_ok=True)

    def shot(self, name):
        path = self.folder / f"{name}.png"
        self.j.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_fits(self, name, focus=None):
        """At 1366 and 390 px wide the page is no wider than the window. `focus`: the part of
        the page the note's phone screenshot shows (default: its top)."""
        j = self.j
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            j.page.set_viewport_size(size)
            j.page.wait_for_timeout(150)
            width = j.page.evaluate("document.documentElement.scrollWidth")
            inner = j.page.evaluate("window.innerWidth")
            if width > inner:
                culprits = ", ".join(j.page.evaluate(WIDEST_ELEMENTS))
                self.overflows.append(f"{name} at {label}: {width}px > {inner}px; {culprits}")
            self.shot(f"{name}-{label}")
        if name in NOTE_SHOTS:
            NOTE_FOLDER.mkdir(parents=True, exist_ok=True)
            self.note(name, focus)

    def note(self, name, focus):
        """One phone screen (not the full page, so the file stays small), kept beside the others
        and copied to docs/screenshots/phone for the issue's note."""
        page = self.j.page
        page.evaluate("window.scrollTo(0, 0)")
        if focus is not None:
            focus.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -60)")  # a little of what comes before
        path = self.folder / f"{name}-screen.png"
        page.screenshot(path=str(path))
        shutil.copyfile(path, NOTE_FOLDER / f"{name}.png")

    def visit(self, path, name):
        self.j.desktop()
        self.j.goto(path)
        self.assert_fits(name)
        self.j.desktop()


def assert_cards_at_phone(page, table):
    """At 390 px the table's header row is hidden and each cell shows its column's name."""
    page.set_viewport_size(PHONE)
    expect(table.locator("thead")).to_be_hidden()
    cell = table.locator("tbody tr").first.locator("td[data-label]").first
    label = cell.get_attribute("data-label")
    assert label
    before = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label in before, f"the card cell shows {before!r}, not its label {label!r}"
    first = table.locator("tbody tr").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    # The cards fit the screen: nothing of them hides in a box that scrolls sideways.
    right = table.evaluate("t => t.getBoundingClientRect().right")
    assert right <= PHONE["width"], f"the cards reach {right}px on a {PHONE['width']}px screen"
    page.set_viewport_size(DESKTOP)
    expect(table.locator("thead")).to_be_visible()
    assert first.evaluate("tr => getComputedStyle(tr).display") == "table-row"


def staff_pages(w, project):
    j = w.j
    page = j.page
    w.visit("/", "staff-home")
    w.visit("/projects/", "staff-projects")
    assert_cards_at_phone(page, page.locator("table").first)
    filter_on_phone(j)
    w.visit(f"/projects/{project.pk}/", "staff-project")
    assert_cards_at_phone(page, page.locator("table").filter(has_text="到账凭证"))
    for kind in ("milestone", "funds"):
        w.visit(f"/projects/{project.pk}/{kind}/add/", f"staff-{kind}-form")
    w.visit("/review/mine/", "staff-my-claims")
    w.visit("/projects/reports/", "staff-reports")


def filter_on_phone(j):
    """On a phone the list's filters fold behind 筛选条件; a filtered list shows them open."""
    page = j.page
    j.phone()
    expect(j.field("搜索")).to_be_hidden()
    page.get_by_role("button", name="筛选条件").click()
    j.field("搜索").fill("锂离子电池")
    j.submit(page.get_by_role("button", name="筛选", exact=True))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator('td[data-label="项目名称"]')).to_have_text(LONG_NAME)
    expect(j.field("搜索")).to_have_value("锂离子电池")
    j.desktop()
    expect(page.get_by_role("button", name="筛选条件")).to_be_hidden()


def staff_files_investment_on_phone(w, project):
    """The whole of 填报月度投资 at 390 px: the project page, the form, the saved figure."""
    j = w.j
    page = j.page
    j.goto(f"/projects/{project.pk}/")
    j.phone()
    j.submit(page.get_by_role("link", name="填报月度投资"))
    w.assert_fits("staff-investment-form")
    j.phone()
    month = timezone.localdate().replace(day=1)
    previous = (month - timezone.timedelta(days=1)).replace(day=1)
    j.field("月份").fill(previous.strftime("%Y-%m"))
    j.field("完成固定资产投资（万元）").fill("640.25")
    w.shot("staff-investment-filled-phone")
    j.submit(page.get_by_role("button", name="保存"))
    expect(page.get_by_role("alert").first).to_be_visible()
    saved = MonthlyInvestment.objects.get(project=project, month=previous)
    assert str(saved.amount) == "640.25"
    assert saved.status == ClaimStatus.DRAFT
    w.assert_fits("staff-project-after-investment", focus=page.locator("#fai-chart"))

    # 我的申报 on the phone: the draft's card has its own 申报 button.
    j.phone()
    open_menu(j, "我的申报")
    card = page.locator("#bulk-form tbody tr", has_text=previous.strftime("%Y-%m"))
    expect(card).to_contain_text("草稿")
    expect(card.locator('td[data-label="金额（万元）"]')).to_have_text("640.25")
    w.shot("staff-my-claims-draft-phone")
    j.submit(card.get_by_role("button", name="申报", exact=True))
    expect(page.get_by_role("alert").first).to_be_visible()
    saved.refresh_from_db()
    assert saved.status == ClaimStatus.SUBMITTED
    expect(page.get_by_test_id("claim-totals")).to_contain_text("2,140.25 万元")
    w.assert_fits("staff-my-claims-submitted")


def open_menu(j, link):
    """On a phone the navigation sits behind the toggler: open it, then follow `link`."""
    j.page.locator("nav .navbar-toggler").click()
    j.nav(link)


def leader_pages(w, project):
    page = w.j.page
    w.visit("/", "leader-home")
    w.visit("/projects/", "leader-projects")
    assert_cards_at_phone(page, page.locator("table").first)
    w.visit(f"/projects/{project.pk}/", "leader-project")
    w.visit("/projects/reports/", "leader-reports")
    w.visit("/dashboard/", "leader-dashboard")
    # 查看数据 opens the unit ranking's table: cards on the phone as well.
    page.locator("#h-units").locator("xpath=..").get_by_text("查看数据").click()
    ranking = page.get_by_test_id("unit-ranking-table")
    assert_cards_at_phone(page, ranking)
    w.assert_fits("leader-dashboard-ranking", focus=ranking)
    w.visit(f"/assessment/{YEAR}/q{QUARTER}/", "leader-ranking")
    assert_cards_at_phone(page, page.locator("table.ranking-table").first)


def test_staff_and_leader_pages_fit_a_phone(journey, staff_a, reviewer, leader, tmp_path):
    published_third_quarter(reviewer)
    project, *_ = submitted_claims(staff_a)
    ProjectFactory(unit=staff_a.unit, name=LONG_NAME, investor_name="某新能源科技集团股份有限公司")
    folder = tmp_path / "phone-screenshots"

    j = journey("phone-staff")
    j.login(staff_a.username, PASSWORD)
    w = Widths(j, folder)
    staff_pages(w, project)
    staff_files_investment_on_phone(w, project)
    j.assert_no_page_problems()
    assert not w.overflows, "Pages wider than the window:\n" + "\n".join(w.overflows)

    k = journey("phone-leader")
    k.login(leader.username, PASSWORD)
    v = Widths(k, folder)
    leader_pages(v, project)
    print(f"phone screenshots: {folder}")
    k.assert_no_page_problems()
    assert not v.overflows, "Pages wider than the window:\n" + "\n".join(v.overflows)
