"""Development comfort (issue 22): permission refusals log one line, not a traceback, and with
DEBUG on an object hidden by the access rules shows the Chinese 404 page, not Django's
technical page listing every URL pattern."""

import logging

from django.urls import reverse

from tests.assessment.factories import signed_project
from zhaoshang.web.log_filters import OneLineRefusals


def test_another_units_project_with_debug_on_is_the_chinese_404(
    db, client, settings, staff_a, unit_b
):
    settings.DEBUG = True
    project = signed_project(unit_b)
    client.force_login(staff_a)
    response = client.get(reverse("projects:project_detail", args=[project.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "不在您的查看范围内" in page
    assert "DEBUG = True" not in page  # the technical page's footer


def test_an_unknown_url_with_debug_on_keeps_the_technical_page(db, client, settings, staff_a):
    settings.DEBUG = True
    client.force_login(staff_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_a_403_is_logged_as_one_line(db, client, staff_a, caplog):
    client.force_login(staff_a)
    handler = logging.StreamHandler()
    handler.addFilter(OneLineRefusals())
    records = []
    handler.emit = records.append
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get(reverse("review:queue"))
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 403
    refusal = next(r for r in records if getattr(r, "status_code", None) == 403)
    assert refusal.exc_info is None
    assert "Forbidden" in refusal.getMessage()


def test_a_get_on_a_post_only_action_is_a_chinese_page(db, client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("review:queue_act"))
    assert response.status_code == 405
    assert "此操作不能通过链接直接打开" in response.content.decode()
    assert response["Allow"] == "POST"


def test_evidence_links_show_the_vendored_paperclip_not_an_emoji(db, client, staff_a, unit_a):
    from tests.factories import EvidenceFactory

    project = signed_project(unit_a)
    EvidenceFactory(milestone=project.milestones.get())
    client.force_login(staff_a)
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "bi-paperclip" in page and "📎" not in page
