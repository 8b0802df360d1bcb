"""Harness for the browser journeys: Debian's chromium driven by Playwright against a live server.

Every journey gets a fresh browser context (its own cookies), a `journey` helper that logs in,
takes numbered screenshots under test-artifacts/screenshots/<journey>/ and checks the page for
horizontal overflow at desktop and phone widths, and a record of the JavaScript errors and
Content-Security-Policy refusals the pages raised.

Without /usr/bin/chromium the journeys cannot run: they fail when CI is set (CI must not pass
silently) and are skipped with a plain message on a developer's machine.

Run them with `.venv/bin/python -m pytest -m browser` (`make test` runs them after the rest).
A journey walks on past a page that overflows or whose scripts the CSP refused, and fails at its
end listing every such page, so one layout bug does not hide the rest of the journey.
"""

import contextlib
import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Playwright waits this long for an element before a step fails; pages here answer in well
# under a second, so a missing element fails fast with a readable message.
STEP_TIMEOUT_MS = 10_000


def _chromium_missing():
    message = (
        "/usr/bin/chromium is not installed, so the browser journeys cannot run "
        "(apt-get install -y chromium)."
    )
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _chromium_missing()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls
    # from it. The tests themselves are synchronous, so allowing them is safe — but only while
    # the browser runs: the variable must not leak into the rest of the suite.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        instance = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


# Every file saved this session, listed in the terminal summary: pytest captures the output of
# passing tests, and CI's log should still name each screenshot.
SAVED = []
PROBLEMS_KEY = "journey-problems"
# Runs before any script of every page: records CSP refusals and uncaught errors in the tab's
# sessionStorage, which survives navigation (console events of a page that is being left can
# arrive too late to be seen).
RECORD_SCRIPT_PROBLEMS = """
(() => {
  const add = (text) => {
    try {
      const list = JSON.parse(sessionStorage.getItem("__KEY__") || "[]");
      const entry = location.pathname + location.search + ": " + text;
      if (!list.includes(entry)) {
        list.push(entry);
        sessionStorage.setItem("__KEY__", JSON.stringify(list));
      }
    } catch (e) { /* about:blank has no storage */ }
  };
  document.addEventListener("securitypolicyviolation", (e) => {
    const what = e.blockedURI === "inline" ? "inline code" : e.blockedURI;
    // script-src-elem: an inline <script> without the nonce; script-src-attr: onclick="…".
    add("CSP " + e.effectiveDirective + " blocked " + what);
  });
  window.addEventListener("error", (e) => add("JavaScript error: " + e.message));
})();
""".replace("__KEY__", PROBLEMS_KEY)

# The innermost elements that reach past the window's right edge, named like CSS selectors, so
# an overflow report says what to fix. Content inside a scrolling box (.table-responsive) is
# clipped by it and does not count.
WIDEST_ELEMENTS = """() => {
  const limit = window.innerWidth + 1;
  const sticksOut = (el) => {
    if (el.getBoundingClientRect().right <= limit) return false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (["auto", "scroll", "hidden"].includes(style.overflowX)) return false;
    }
    return true;
  };
  const all = [...document.body.querySelectorAll("*")].filter(sticksOut);
  const innermost = all.filter((el) => !all.some((other) => other !== el && el.contains(other)));
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].slice(0, 3).map((c) => "." + c).join("") +
    " (" + Math.round(el.getBoundingClientRect().right - window.innerWidth) + "px)";
  return innermost.slice(0, 4).map(name);
}"""


class Journey:
    """One user's session in the browser, with the helpers every journey needs."""

    def __init__(self, browser, base_url, name):
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.step = 0
        # Horizontal overflow found by check_widths; script problems are kept by the page itself.
        self.problems = []
        self.context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
        self.context.set_default_timeout(STEP_TIMEOUT_MS)
        self.context.add_init_script(RECORD_SCRIPT_PROBLEMS)
        self.page = self.context.new_page()
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    def _problem(self, text):
        entry = f"{self.page.url.removeprefix(self.base_url)}: {text}"
        if entry not in self.problems:
            self.problems.append(entry)

    def script_problems(self):
        """JavaScript errors and CSP refusals recorded on every page this tab has shown."""
        return self.page.evaluate(f"JSON.parse(sessionStorage.getItem('{PROBLEMS_KEY}') || '[]')")

    def url(self, path):
        return self.base_url + path

    def goto(self, path):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, (
            f"{path} answered {response and response.status}"
        )
        return response

    def field(self, label):
        """The form control labelled `label` (the label may end with the required-field star)."""
        return self.page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$"))

    def nav(self, menu, item=None):
        """Follow the main navigation: a top-level link, or a dropdown `menu` and its `item`."""
        bar = self.page.locator("nav.navbar")
        if item is None:
            link = bar.get_by_role("link", name=menu, exact=True)
        else:
            bar.get_by_role("button", name=menu, exact=True).click()
            link = bar.get_by_role("link", name=item, exact=True)
        self.submit(link)

    def submit(self, control):
        """Click a link or submit button and wait until the next page has loaded, so the steps
        after it cannot act on the page being left."""
        with self.page.expect_navigation():
            control.click()

    def login(self, username, password):
        """Log in through the login page, as a person would, and return the landing URL."""
        page = self.page
        page.goto(self.url("/login/"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        self.submit(page.get_by_role("button", name="登录"))
        assert "/login/" not in page.url, f"login as {username} failed: still on {page.url}"
        return page.url

    def logout(self):
        self.page.get_by_role("button", name="退出").click()
        self.page.wait_for_url("**/login/")

    def shot(self, step):
        """Save test-artifacts/screenshots/<journey>/NN-step.png and name it in the log."""
        self.step += 1
        path = self.folder / f"{self.step:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        name = str(path.relative_to(REPO_ROOT))
        print(f"screenshot: {name}")
        SAVED.append(name)
        return path

    def phone(self):
        self.page.set_viewport_size(PHONE)

    def desktop(self):
        self.page.set_viewport_size(DESKTOP)

    def artifact(self, filename):
        """A path under test-artifacts/downloads/<journey>/ for a file the journey keeps (a
        downloaded workbook, a printed PDF); named in the terminal summary."""
        folder = REPO_ROOT / "test-artifacts" / "downloads" / self.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / filename
        SAVED.append(str(path.relative_to(REPO_ROOT)))
        return path

    def overflow(self):
        """How many CSS pixels the page is wider than the window (0 when nothing overflows)."""
        return self.page.evaluate(
            "Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
        )

    def check_widths(self, step):
        """At 1366×768 and 390×844 nothing may push the page wider than the window; tables
        inside .table-responsive scroll inside their card, which is fine."""
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(size)
            self.page.wait_for_timeout(100)
            extra = self.overflow()
            if label == "phone":
                self.shot(f"{step}-phone")
            if extra > 1:
                # Recorded, not raised: the journey goes on, and the end lists every problem.
                culprits = ", ".join(self.page.evaluate(WIDEST_ELEMENTS))
                self._problem(
                    f"page overflows by {extra}px at {label} width ({step}); widest: {culprits}"
                )
        self.page.set_viewport_size(DESKTOP)

    def assert_assets_loaded(self):
        """Bootstrap's JS ran and its CSS applied: the static files are served."""
        assert self.page.evaluate("typeof window.bootstrap") == "object", "bootstrap JS missing"
        # Bootstrap's reboot sets body margin 0; without the stylesheet the browser default is 8px.
        margin = self.page.evaluate("getComputedStyle(document.body).marginTop")
        assert margin == "0px", f"bootstrap CSS not applied (body margin {margin})"

    def assert_no_page_problems(self):
        """The journey's pages raised no JavaScript error or CSP refusal and none overflowed."""
        problems = self.script_problems() + self.problems
        assert not problems, "Problems on the journey's pages:\n" + "\n".join(problems)

    def close(self):
        self.context.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """The journeys' SQLite test database is a file, not memory: the background-job journey runs
    the task worker as a separate process (`manage.py db_worker`), which must open it too."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        folder = tmp_path_factory.mktemp("journeys-db")
        database.setdefault("TEST", {})["NAME"] = str(folder / "journeys.sqlite3")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded evidence and the workbooks of import jobs go to a temporary folder, never into
    the checkout's media/ or the machine's shared ZS_TEMP_DIR."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TEMP_DIR = tmp_path / "tmp"


@pytest.fixture
def journey(browser, live_server, request):
    """journey(name) → a Journey in a fresh browser context; closed after the test."""
    opened = []

    def _open(name):
        j = Journey(browser, live_server.url, name)
        opened.append(j)
        return j

    yield _open
    for j in opened:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            # A failed screenshot must not hide the failure itself.
            with contextlib.suppress(Exception):
                j.shot("failure")
        j.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so the fixture can screenshot failures."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    if SAVED:
        terminalreporter.section("browser journey screenshots and downloads")
        for name in SAVED:
            terminalreporter.write_line(name)
