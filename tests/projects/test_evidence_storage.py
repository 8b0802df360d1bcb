"""Evidence rows and files are one unit of work (issue 15 item 13): a full disk is a clear message
and leaves nothing; a row that cannot be written leaves no file; deleting evidence keeps its
history and removes the file once the deletion commits."""

import errno
import os
import time

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.db import OperationalError, transaction
from django.urls import reverse

from projects import evidence as evidence_storage
from projects.evidence import store_evidence
from projects.models import Evidence, Milestone
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF\n"


@pytest.fixture
def disk_full(monkeypatch):
    """Storing an upload runs out of disk space half-way: the first pass over its chunks
    (hashing) works, the next (writing) fails after some bytes were written."""
    original = InMemoryUploadedFile.chunks

    def chunks(self, chunk_size=None):
        self._passes = getattr(self, "_passes", 0) + 1
        if self._passes == 1:
            yield from original(self, chunk_size)
            return
        yield self.read(1024)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(InMemoryUploadedFile, "chunks", chunks)


def files_under(root):
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def add_signed(client, project, day, file):
    url = reverse("projects:claim_add", args=[project.pk, "milestone"])
    return client.post(url, {"kind": "signed", "date": day.isoformat(), "evidence_file": file})


def test_a_full_disk_is_a_clear_message_and_saves_nothing(
    login, staff_a, project_a, days_ago, media_root, disk_full
):
    response = add_signed(
        login(staff_a), project_a, days_ago(10), SimpleUploadedFile("签约合同.pdf", PDF)
    )
    assert response.status_code == 200
    assert "佐证材料“签约合同.pdf”保存失败" in response.content.decode()
    assert not Milestone.objects.exists()
    assert not Evidence.objects.exists()
    assert files_under(media_root) == []


def test_a_full_disk_when_adding_evidence_to_a_claim(
    login, staff_a, project_a, days_ago, media_root, disk_full
):
    claim = MilestoneFactory(project=project_a, date=days_ago(10), status="draft")
    url = reverse("projects:evidence_add", args=["milestone", claim.pk])
    response = login(staff_a).post(url, {"file": SimpleUploadedFile("合同.pdf", PDF)})
    assert response.status_code == 200
    assert "保存失败" in response.content.decode()
    assert not Evidence.objects.exists()
    assert files_under(media_root) == []


def test_a_row_that_cannot_be_written_leaves_no_file(
    staff_a, project_a, days_ago, media_root, monkeypatch
):
    claim = MilestoneFactory(project=project_a, date=days_ago(10), status="draft")

    def lost(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Evidence, "save", lost)
    with pytest.raises(OperationalError):
        store_evidence(claim, SimpleUploadedFile("合同.pdf", PDF), staff_a)
    assert files_under(media_root) == []


def test_the_file_reaches_its_place_when_the_row_commits(
    login, staff_a, project_a, days_ago, media_root, django_capture_on_commit_callbacks
):
    client = login(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        add_signed(client, project_a, days_ago(10), SimpleUploadedFile("合同.pdf", PDF))
    evidence = Evidence.objects.get()
    assert evidence.file.name.startswith(f"evidence/{evidence.sha256[:2]}/{evidence.sha256}/")
    assert files_under(media_root) == [evidence.file.name]
    download = client.get(reverse("projects:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_a_rolled_back_upload_places_nothing(staff_a, project_a, days_ago, media_root):
    claim = MilestoneFactory(project=project_a, date=days_ago(10), status="draft")
    with pytest.raises(RuntimeError), transaction.atomic():
        store_evidence(claim, SimpleUploadedFile("合同.pdf", PDF), staff_a)
        raise RuntimeError("a later step of the same save failed")
    assert not Evidence.objects.exists()
    # Only an incoming file no row names is left, and the sweep of abandoned uploads removes it.
    assert all(name.startswith("evidence/incoming/") for name in files_under(media_root))
    evidence_storage._sweep_incoming(now=time.time() + evidence_storage.ABANDONED_AFTER + 1)
    assert files_under(media_root) == []


def test_deleting_evidence_keeps_its_history_and_removes_the_file(
    login, staff_a, project_a, days_ago, media_root, django_capture_on_commit_callbacks
):
    client = login(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        add_signed(client, project_a, days_ago(10), SimpleUploadedFile("合同.pdf", PDF))
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("projects:evidence_delete", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert files_under(media_root) == []
    deleted = Evidence.history.get(id=evidence.pk, history_type="-")
    assert deleted.original_name == "合同.pdf"
    assert deleted.history_user == staff_a


def test_a_file_shared_by_two_claims_stays_while_one_still_names_it(
    login, staff_a, project_a, days_ago, media_root, django_capture_on_commit_callbacks
):
    signed = MilestoneFactory(project=project_a, date=days_ago(20), status="draft")
    started = MilestoneFactory(project=project_a, kind="started", date=days_ago(10), status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        first = store_evidence(signed, SimpleUploadedFile("照片.pdf", PDF), staff_a)
        store_evidence(started, SimpleUploadedFile("照片.pdf", PDF), staff_a)
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        login(staff_a).post(reverse("projects:evidence_delete", args=[first.pk]))
    remaining = Evidence.objects.get()
    assert remaining.file.name == first.file.name
    assert files_under(media_root) == [remaining.file.name]
