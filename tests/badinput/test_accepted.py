"""Inputs the corpus names that the app accepts on purpose, and what a user then sees."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Evidence, Milestone, Project
from tests.badinput import corpus
from tests.badinput.files import PDF
from tests.badinput.test_project_forms import project_data

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/","点击领取补贴")'


def create(client, unit, industry, **overrides):
    response = client.post(
        reverse("projects:project_add"), project_data(unit, industry, **overrides)
    )
    assert response.status_code == 302
    return Project.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def test_full_width_digits_are_read_as_the_number_they_show(login, staff_a, unit_a, industry):
    project = create(
        login(staff_a), unit_a, industry, total_investment="１２３", contracted_investment="１００"
    )
    assert project.total_investment == Decimal("123")
    assert project.contracted_investment == Decimal("100")


def test_emoji_in_a_name_is_kept_as_typed(login, staff_a, unit_a, industry):
    client = login(staff_a)
    project = create(client, unit_a, industry, name="光伏🌞产业园")
    assert project.name == "光伏🌞产业园"
    assert "光伏🌞产业园" in client.get(project.get_absolute_url()).content.decode()


def test_formula_text_is_stored_as_text_and_exported_as_text(login, staff_a, unit_a, industry):
    client = login(staff_a)
    project = create(client, unit_a, industry, name=FORMULA)
    assert project.name == FORMULA
    response = client.get(reverse("projects:project_list"), {"_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == FORMULA]
    assert cells, "the project name is missing from the export"
    assert all(c.data_type == "s" for c in cells)


def test_a_10000_character_note_is_kept_whole(login, staff_a, project):
    url = reverse("projects:claim_add", args=[project.pk, "milestone"])
    data = {"kind": "signed", "date": "2025-03-15", "note": corpus.LONG}
    assert login(staff_a).post(url, data).status_code == 302
    assert Milestone.objects.get().note == corpus.LONG


def test_a_very_long_file_name_is_kept_for_download(login, staff_a, drafts):
    name = "长" * 150 + ".pdf"
    url = reverse("projects:evidence_add", args=["funds", drafts["funds"].pk])
    response = login(staff_a).post(url, {"file": SimpleUploadedFile(name, PDF)})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == name
    assert evidence.file.size == len(PDF)
    download = login(staff_a).get(reverse("projects:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
