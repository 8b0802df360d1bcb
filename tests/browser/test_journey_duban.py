"""Journey: a leader's 督办 on a project, answered with a file and closed (issue 18 item 4).
The leader presses 督办 on the project page and sets a request and a reply-by date; the unit's
staff get the bell, open the 督办 and reply with a PDF; the leader is told, reads the reply and
its file, and closes it with a 办结意见; the unit is told it is closed. At 1366 and 390 px.
"""

import datetime

import pytest
from playwright.sync_api import expect

from projects import services
from tests.browser.files import tiny_pdf, upload
from tests.factories import PASSWORD, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST = "请说明开工推迟原因并报送施工许可办理进度"
REPLY = "施工许可已受理，预计下周开工"
CLOSING = "同意办结，请按期开工"


def leader_issues(j, project, reply_by):
    page = j.page
    j.goto(project.get_absolute_url())
    j.submit(page.get_by_test_id("duban-issue"))
    j.field("督办要求").fill(REQUEST)
    j.field("答复期限").fill(reply_by.isoformat())
    j.check_widths("duban-issue-form")
    j.shot("duban-issue-form")
    j.submit(page.get_by_role("button", name="发出督办"))
    expect(page.get_by_test_id("duban-status")).to_contain_text("待答复")
    expect(page.get_by_test_id("duban-timeline")).to_contain_text(REQUEST)
    j.check_widths("duban-issued")
    j.shot("duban-issued")


def staff_replies_with_a_file(j):
    page = j.page
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    j.submit(page.get_by_test_id("bell"))
    item = page.get_by_test_id("notification").first
    expect(item).to_contain_text("督办交办")
    j.submit(item)
    expect(page.get_by_test_id("duban-timeline")).to_contain_text(REQUEST)
    j.field("答复内容").fill(REPLY)
    j.field("附件（佐证材料，可多选）").set_input_files(
        upload("施工许可受理单.pdf", tiny_pdf("Permit"), "application/pdf")
    )
    j.check_widths("duban-reply-form")
    j.shot("duban-reply-form")
    j.submit(page.get_by_role("button", name="报送答复"))
    expect(page.get_by_test_id("duban-status")).to_contain_text("已答复")
    expect(page.get_by_test_id("duban-timeline")).to_contain_text("施工许可受理单.pdf")
    # The unit answers; it cannot close.
    expect(page.get_by_test_id("duban-close-form")).to_have_count(0)


def leader_reads_and_closes(j):
    page = j.page
    j.submit(page.get_by_test_id("bell"))
    item = page.get_by_test_id("notification").first
    expect(item).to_contain_text("督办已答复")
    j.submit(item)
    timeline = page.get_by_test_id("duban-timeline")
    expect(timeline).to_contain_text(REPLY)
    with page.expect_download() as download:
        timeline.get_by_role("link", name="施工许可受理单.pdf").click()
    path = j.artifact("施工许可受理单.pdf")
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    j.field("办结意见").fill(CLOSING)
    j.submit(page.get_by_role("button", name="办结"))
    expect(page.get_by_test_id("duban-status")).to_contain_text("已办结")
    expect(page.get_by_test_id("duban-close-form")).to_have_count(0)
    j.check_widths("duban-closed")
    j.shot("duban-closed")


def test_a_leaders_duban_is_answered_with_a_file_and_closed(journey, staff_a, leader):
    project = ProjectFactory(unit=staff_a.unit, name="甲县光伏组件项目", stage="signed")
    reply_by = services.today() + datetime.timedelta(days=7)
    j = journey("duban")

    j.login(leader.username, PASSWORD)
    leader_issues(j, project, reply_by)
    j.logout()

    j.login(staff_a.username, PASSWORD)
    staff_replies_with_a_file(j)
    j.logout()

    j.login(leader.username, PASSWORD)
    leader_reads_and_closes(j)
    j.logout()

    j.login(staff_a.username, PASSWORD)
    j.submit(j.page.get_by_test_id("bell"))
    expect(j.page.get_by_test_id("notification").first).to_contain_text("督办已办结")
    j.check_widths("duban-closed-notice")
    j.logout()
    j.assert_no_page_problems()
