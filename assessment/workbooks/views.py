"""Workbook pages: the import upload (reviewers), the template, the error workbook, the year export
(reviewers) and the ranking workbook download. Views stay thin: checks in zhaoshang.web.xlsx, work
in the assessment.workbooks modules."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from assessment.models import AssessmentYear, SnapshotStatus
from assessment.visibility import shown_result
from assessment.workbooks.importer import import_workbook
from assessment.workbooks.ranking import snapshot_rows, write_ranking_workbook
from assessment.workbooks.template import write_template
from assessment.workbooks.year_export import export_year_workbook
from units import access
from zhaoshang.web import xlsx
from zhaoshang.web.forms import BootstrapMixin

ERRORS_SESSION_KEY = "workbook_import_errors"
ERRORS_SHOWN = 500
ERRORS_KEPT = 20000  # the downloadable list lives in the session; keep it bounded
ERROR_HEADERS = ["工作表", "行号", "列", "错误说明"]


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="Excel 工作簿（.xlsx）",
        error_messages={"required": "请选择要导入的 Excel 工作簿。"},
    )
    dry_run = forms.BooleanField(
        label="仅校验（试导入，不保存任何数据）", required=False, initial=True
    )
    verified = forms.BooleanField(
        label="作为已审定的历史数据导入（用于迁移往年数据，导入的申报直接记为“已审定”）",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            xlsx.check_upload(upload.file)
        except xlsx.WorkbookRejected as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload


def import_page(request):
    """GET: the upload form. POST: validate (and unless a dry run, import) the workbook."""
    access.require(access.is_reviewer(request.user))
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_workbook(
                form.cleaned_data["file"].file,
                verified=form.cleaned_data["verified"],
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
            errors = report.errors[:ERRORS_KEPT]
            request.session[ERRORS_SESSION_KEY] = [e.as_list() for e in errors]
    else:
        form = ImportForm()
    context = {
        "title": "Excel 导入",
        "form": form,
        "report": report,
        "errors_shown": report.errors[:ERRORS_SHOWN] if report else [],
        "notes_shown": report.notes[:ERRORS_SHOWN] if report else [],
        "export_years": AssessmentYear.objects.order_by("-year").values_list("year", flat=True),
    }
    return render(request, "workbook/import.html", context, status=200)


def template_download(request):
    access.require(access.is_reviewer(request.user))
    return xlsx.xlsx_file_response(write_template, "招商引资年度数据导入模板.xlsx")


def errors_download(request):
    """The last import's errors as a workbook (sheet / row / column / reason)."""
    access.require(access.is_reviewer(request.user))
    errors = request.session.get(ERRORS_SESSION_KEY)
    if not errors:
        raise Http404("没有可下载的错误清单。")
    return xlsx.xlsx_file_response(
        lambda f: xlsx.write_rows_streaming("导入错误", ERROR_HEADERS, errors, f),
        "导入错误清单.xlsx",
    )


def year_download(request, year):
    """A whole year in the import format (SPEC §6), to archive it or move it to another system;
    importing it back changes nothing."""
    access.require(access.is_reviewer(request.user))
    ay = get_object_or_404(AssessmentYear, year=year)
    return xlsx.xlsx_file_response(
        lambda f: export_year_workbook(ay.year, f), f"{ay.year}年度招商引资考核数据.xlsx"
    )


def ranking_result(user, year, quarter):
    """The figures the user sees on the ranking page, so the workbook matches the screen: the
    announced snapshot for unit users; for reviewers and leaders the latest version (published or
    draft), or a live computation before any. Returns the `visibility.Shown`."""
    ay = AssessmentYear.objects.filter(year=year).first()
    if quarter not in (1, 2, 3, 4) or ay is None:
        raise Http404("没有该年度或季度的考核。")
    shown = shown_result(user, ay, quarter)
    access.require(shown.result is not None)
    return shown


def ranking_download(request, year, quarter):
    shown = ranking_result(request.user, year, quarter)
    published = shown.snapshot is not None and shown.snapshot.status == SnapshotStatus.PUBLISHED
    suffix = "" if published else "（测算，未发布）"
    filename = f"{year}年第{quarter}季度招商引资考核排名{suffix}.xlsx"
    # A computed quarter's 佐证明细 is the evidence stored with it, never today's data.
    rows = snapshot_rows(shown.snapshot)
    return xlsx.xlsx_file_response(
        lambda f: write_ranking_workbook(shown.result, f, claim_rows=rows), filename
    )
