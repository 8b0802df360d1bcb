"""Evidence files: checked by content, size-limited, served only to those who may see the project,
always as attachments."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Evidence, Milestone
from tests.factories import MilestoneFactory
from tests.factories.base import unguarded

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_signed(client, project, day, file):
    url = reverse("projects:claim_add", args=[project.pk, "milestone"])
    return client.post(url, {"kind": "signed", "date": day.isoformat(), "evidence_file": file})


@pytest.mark.parametrize(
    "name, content",
    [("合同.pdf", PDF), ("现场照片.png", PNG), ("验收报告.docx", docx_bytes())],
)
def test_genuine_files_are_stored_with_their_hash(
    login, staff_a, project_a, days_ago, media_root, name, content
):
    client = login(staff_a)
    response = add_signed(client, project_a, days_ago(10), upload(name, content))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == name
    assert evidence.size == len(content)
    assert len(evidence.sha256) == 64
    assert evidence.file.path.startswith(str(media_root))
    assert name in client.get(project_a.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("contract.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "不支持"),
        ("page.html", b"<html><script>alert(1)</script></html>", "不支持"),
        ("fake.pdf", b"<html><script>alert(1)</script></html>", "内容与扩展名不符"),
        ("fake.png", PDF, "内容与扩展名不符"),
        ("fake.docx", b"PK\x03\x04not really a zip", "内容与扩展名不符"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(
    login, staff_a, project_a, days_ago, name, content, message
):
    client = login(staff_a)
    response = add_signed(client, project_a, days_ago(10), upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Milestone.objects.exists()
    assert not Evidence.objects.exists()


def test_oversized_upload_is_refused(login, staff_a, project_a, days_ago, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client = login(staff_a)
    response = add_signed(client, project_a, days_ago(10), upload("big.pdf", PDF + b"0" * 200))
    assert "超过大小上限" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.fixture
def stored(login, staff_a, project_a, days_ago):
    client = login(staff_a)
    add_signed(client, project_a, days_ago(10), upload("签约合同.pdf", PDF))
    client.logout()
    return Evidence.objects.get()


def test_evidence_is_served_as_an_attachment_to_its_unit_and_reviewers(
    client, login, staff_a, reviewer, stored
):
    # Reviewers see a claim (and its evidence) once it is submitted, never as a draft.
    with unguarded():
        Milestone.objects.filter(pk=stored.milestone_id).update(status="submitted")
    for user in (staff_a, reviewer):
        response = login(user).get(reverse("projects:evidence_download", args=[stored.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
        client.logout()


def test_another_unit_cannot_download_evidence(login, staff_b, stored):
    response = login(staff_b).get(reverse("projects:evidence_download", args=[stored.pk]))
    assert response.status_code == 404


def test_evidence_can_be_added_to_a_draft_but_not_to_an_approved_claim(
    login, staff_a, project_a, days_ago
):
    draft = MilestoneFactory(project=project_a, date=days_ago(5), status="draft")
    approved = MilestoneFactory(
        project=project_a, kind="started", date=days_ago(1), status="approved"
    )
    client = login(staff_a)
    url = reverse("projects:evidence_add", args=["milestone", draft.pk])
    assert client.post(url, {"file": upload("照片.png", PNG)}).status_code == 302
    url = reverse("projects:evidence_add", args=["milestone", approved.pk])
    assert client.post(url, {"file": upload("照片.png", PNG)}).status_code == 403
    assert list(Evidence.objects.values_list("milestone_id", flat=True)) == [draft.pk]
