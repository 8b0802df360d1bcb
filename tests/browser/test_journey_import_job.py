"""Journey 6: a large workbook imports in the background, with a real worker (issue 16).

The app and the task worker run as they do in production: the live server queues the import in
the database and `manage.py db_worker`, a separate process, runs it. The reviewer uploads a
workbook of 800 projects and 8,000 monthly figures, watches the rows being checked, leaves the
page for 我的后台任务 and comes back, reads the preview (nothing saved yet), confirms, watches
the rows being written, and reads the result. Desktop width (1366 px) and phone width.
"""

import os
import subprocess
import sys

import pytest
from django.db import connection
from playwright.sync_api import expect

from projects.models import MonthlyInvestment, Project
from tests.browser.conftest import REPO_ROOT
from tests.browser.files import upload
from tests.factories import PASSWORD, IndustryFactory, UnitFactory
from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.ops.bench.exports import import_workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROJECTS = 800
ROWS = PROJECTS * 11  # each project and its ten monthly figures
# The worker writes thousands of rows on a shared 2-core machine: allow it minutes, not seconds.
WORK_TIMEOUT_MS = 240_000


def worker_environment(settings):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = db["NAME"]
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
    env.update(TASKS_BACKEND="database", ZS_TEMP_DIR=str(settings.TEMP_DIR))
    return env


@pytest.fixture
def worker(settings, live_server):
    """The database queue for the live server, and `manage.py db_worker` in its own process."""
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("the worker process needs a file database: run the journeys on their own")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    process = subprocess.Popen(
        [*command, "--interval", "0.2"], cwd=REPO_ROOT, env=worker_environment(settings)
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


# The page shows rows trial-written (the counter has moved), or the worker was faster still.
MOVED = """(done) => () => {
  const applied = document.querySelector("[data-testid=rows-applied]");
  return (applied && applied.textContent.trim() !== "0")
    || document.querySelector(`[data-testid=${done}]`) !== null;
}"""
TRIAL_WRITING_STARTED = f"({MOVED})('import-preview')"
WRITING_STARTED = f"({MOVED})('import-result')"


def counter(page, testid):
    return int(page.get_by_test_id(testid).inner_text())


def test_a_large_import_runs_in_the_background_and_shows_its_progress(journey, reviewer, worker):
    for name in ("东湖区", "西山区", "高新区"):
        UnitFactory(name=name)
    IndustryFactory(name="装备制造")
    content = import_workbook_bytes(PROJECTS)

    j = journey("import-job")
    page = j.page
    j.login(reviewer.username, PASSWORD)
    j.nav("Excel 导入")
    j.field("Excel 工作簿（.xlsx）").set_input_files(upload("2026年度项目.xlsx", content, XLSX))
    j.submit(page.get_by_role("button", name="上传并校验"))

    # The job page: the worker reads, checks every row, then trial-writes; the page follows.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Excel 导入 · 任务")
    job = Job.objects.get()
    page.wait_for_function(TRIAL_WRITING_STARTED, timeout=WORK_TIMEOUT_MS)
    if page.get_by_test_id("rows-applied").count():
        expect(page.get_by_test_id("job-phase")).to_contain_text("正在")
        assert counter(page, "rows-validated") == ROWS
        assert 0 < counter(page, "rows-applied") <= ROWS
        j.check_widths("checking")
        j.shot("checking")

    # Leave the page and come back through 我的后台任务.
    j.submit(page.get_by_role("link", name="我的后台任务").first)
    row = page.get_by_test_id("job-list").locator("tbody tr").first
    expect(row).to_contain_text("2026年度项目.xlsx")
    j.check_widths("my-jobs")
    j.shot("my-jobs")
    j.submit(row.get_by_role("link", name=f"#{job.pk}"))

    # The preview: every row checked and trial-written, nothing kept.
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text("校验通过（预览，未保存任何数据）", timeout=WORK_TIMEOUT_MS)
    counts = page.get_by_test_id("import-counts")
    expect(counts.locator("tr").filter(has_text="项目").first.locator("td").nth(1)).to_have_text(
        str(PROJECTS)
    )
    assert not Project.objects.exists()
    j.check_widths("preview")
    j.shot("preview")

    # Confirm: the worker writes, the page shows the rows written, then the result.
    j.submit(page.get_by_role("button", name="确认导入"))
    expect(page.get_by_test_id("job-status")).not_to_have_text("待确认")
    result = page.get_by_test_id("import-result")
    page.wait_for_function(WRITING_STARTED, timeout=WORK_TIMEOUT_MS)
    if page.get_by_test_id("rows-applied").count():
        expect(page.get_by_test_id("job")).to_contain_text("已写入")
        assert 0 < counter(page, "rows-applied") <= ROWS
        j.shot("writing")
    expect(result).to_contain_text("导入成功", timeout=WORK_TIMEOUT_MS)
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    j.check_widths("result")
    j.shot("result")

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.rows_applied == ROWS
    assert Project.objects.count() == PROJECTS
    assert MonthlyInvestment.objects.count() == PROJECTS * 10
    j.assert_no_page_problems()
