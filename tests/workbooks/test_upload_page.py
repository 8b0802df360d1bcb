"""The Excel import page: reviewers only, refuses files that are not safe workbooks, previews,
imports once confirmed, and hands back the errors as a workbook (the job behind it:
tests/workbooks/test_import_job.py)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Project
from tests.workbooks.conftest import build_workbook, import_through_page, project_row

pytestmark = pytest.mark.django_db
URL = reverse("workbook:import")


@pytest.fixture(autouse=True)
def _job_files(settings, tmp_path):
    settings.TEMP_DIR = tmp_path


def upload(content, name="年度数据.xlsx"):
    return SimpleUploadedFile(name, content)


def valid_bytes():
    return build_workbook({"项目": [project_row()]}).getvalue()


@pytest.mark.parametrize("role", ["staff_a", "head_a", "coordinator", "leader"])
def test_only_reviewers_may_import(request, login, role, city):
    client = login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": upload(valid_bytes())})
    assert response.status_code == 403
    assert client.get(reverse("workbook:template")).status_code == 403
    assert not Project.objects.exists()


def test_reviewer_sees_the_form_and_the_nav_link(login, reviewer):
    response = login(reviewer).get(URL)
    assert response.status_code == 200
    assert "下载导入模板" in response.content.decode()
    assert 'href="/workbook/import/"' in response.content.decode()


def test_not_an_xlsx_is_refused(login, reviewer, city):
    response = login(reviewer).post(URL, {"file": upload("项目名称,责任单位".encode(), "x.xlsx")})
    assert response.status_code == 200
    assert "不是 Excel 工作簿" in response.content.decode()
    assert not Project.objects.exists()


def test_old_xls_file_gets_a_save_as_hint(login, reviewer):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    response = login(reviewer).post(URL, {"file": upload(content, "旧表.xls")})
    assert "另存为" in response.content.decode()


def test_zip_bomb_is_refused(login, reviewer, city):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    response = login(reviewer).post(URL, {"file": upload(buf.getvalue())})
    assert "压缩炸弹" in response.content.decode()
    assert not Project.objects.exists()


def test_oversized_upload_is_refused(login, reviewer, settings, city):
    settings.WORKBOOK_MAX_BYTES = 1000
    response = login(reviewer).post(URL, {"file": upload(valid_bytes())})
    assert "不能超过" in response.content.decode()
    assert not Project.objects.exists()


def test_preview_creates_nothing_and_shows_counts(login, reviewer, city):
    response = import_through_page(login(reviewer), valid_bytes(), confirm=False)
    body = response.content.decode()
    assert "校验通过（预览，未保存任何数据）" in body
    assert '<td>项目</td><td class="num">1</td>' in body
    assert "确认导入" in body
    assert not Project.objects.exists()


def test_valid_file_imports_once_confirmed(login, reviewer, city):
    response = import_through_page(login(reviewer), valid_bytes())
    assert "导入成功" in response.content.decode()
    project = Project.objects.get()
    assert project.name == "新能源电机项目" and project.created_by == reviewer


def test_errors_are_listed_and_downloadable(login, reviewer, city):
    client = login(reviewer)
    bad = build_workbook({"项目": [project_row(), project_row(name="坏", unit="无此单位")]})
    response = import_through_page(client, bad)
    body = response.content.decode()
    assert "1 处错误，未导入任何数据" in body
    assert "未知单位“无此单位”" in body
    assert "确认导入" not in body
    assert not Project.objects.exists()

    job = response.context["job"]
    response = client.get(reverse("jobs:errors", args=[job.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))  # row 1: the title (issue 22)
    assert rows[0] == ("工作表", "行号", "列", "错误说明")
    assert rows[1][:3] == ("项目", 3, "责任单位")


def test_template_download_has_spec_sheets_and_dropdowns(login, reviewer):
    response = login(reviewer).get(reverse("workbook:template"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["填写说明", "单位", "协作组", "考核指标", "目标", "项目", "分成",
                             "固定资产投资", "到位资金"]  # fmt: skip
    projects = wb["项目"]
    assert [c.value for c in projects[1]][:3] == ["项目名称", "责任单位", "投资方"]
    lists = [dv.formula1 for dv in projects.data_validations.dataValidation]
    assert any("基础设施类" in f for f in lists)
    assert any(
        "企业和个人投资" in dv.formula1 for dv in wb["到位资金"].data_validations.dataValidation
    )
