#!/usr/bin/env python
"""Bounded load test on loopback: gunicorn (4 workers) on PostgreSQL, 50 simulated users.

What it does, in order (everything is torn down at the end, also on Ctrl-C or failure):
1. creates a scratch PostgreSQL database `zs_load` (dropped first if it exists);
2. migrates it, loads the demo city (`manage.py load_demo`), collects static files into a
   temporary STATIC_ROOT and adds load-test users spread over the demo's units (unit staff) plus
   a few reviewers and leaders;
3. starts `gunicorn zhaoshang.wsgi -w 4 -b 127.0.0.1:8123` with DEBUG=0 (production settings,
   SECURE_SSL_REDIRECT=0 because there is no TLS on loopback);
4. runs N concurrent users (threads, stdlib http.client only). Each logs in through the login
   form with its CSRF token, then loops over a weighted mix — filtered project list, ranking,
   dashboard, a project page, and (unit users) an entry POST that records an investor visit —
   until the time limit or the request cap is reached;
5. prints count, errors, p50/p95/p99 per page type, stops gunicorn and drops the database.

An error is an exception, a status other than the expected one (200 for pages, 302 for the
entry POST), or being sent back to the login page. Only 127.0.0.1 is ever contacted.

Run from the project root:  .venv/bin/python scripts/loadtest.py [--users 50] [--duration 90]
"""

import argparse
import http.client
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

# The set-up half lives beside this script (run as a script, its folder is on sys.path).
from loadtest_setup import (
    BASE_DIR,
    DB_NAME,
    HOST,
    PASSWORD,
    drop_database,
    log,
    prepare,
    server_env,
)

GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
PORT = 8123
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Page mix per loop step, per role: (page type, weight) — what each role opens in a working day
# (issue 21). Entry POSTs only for unit users.
MIXES = {
    "staff": [
        ("project_list", 25),
        ("project", 25),
        ("ranking", 10),
        ("explanation", 10),
        ("forecast", 10),
        ("my_claims", 10),
        ("entry", 10),
    ],
    "reviewer": [
        ("review_queue", 30),
        ("project_list", 20),
        ("ranking", 15),
        ("alerts", 10),
        ("report_grid", 10),
        ("project", 15),
    ],
    "leader": [
        ("dashboard", 30),
        ("structure", 15),
        ("forecast", 15),
        ("ranking", 15),
        ("alerts", 10),
        ("contributors", 10),
        ("project", 5),
    ],
}
# Pages whose URL comes from the set-up (reverse() there), opened as they are.
PLAIN = {"dashboard", "structure", "forecast", "contributors", "review_queue", "alerts"}
PLAIN |= {"report_grid", "my_claims", "ranking"}
LIST_FILTERS = [
    "?stage=signed",
    "?category=industrial",
    "?is_key=true",
    "?q=%E9%A1%B9%E7%9B%AE",  # 项目
    "?stage=started&sort=-total_investment",
]
# Only the city-wide roles have a second page of projects (a unit's own list may fit on one,
# and asking for a page that does not exist is a 404 by design).
READ_ONLY_FILTERS = [*LIST_FILTERS, "?page=2"]


# --- gunicorn ------------------------------------------------------------------------------


def start_gunicorn(env, workers, log_path):
    logfile = open(log_path, "w")  # noqa: SIM115 - closed in stop_gunicorn
    proc = subprocess.Popen(
        [
            GUNICORN,
            "zhaoshang.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{PORT}",
            "--timeout",
            "60",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    proc.logfile = logfile
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log_path}")
        try:
            status, _, _ = request("GET", "/login/", {})
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop_gunicorn(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown of the arbiter it started
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.logfile.close()


# --- HTTP client ---------------------------------------------------------------------------


def request(method, path, cookies, body=None):
    """One request on a fresh loopback connection; returns (status, headers, text) and keeps
    cookies up to date."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=120)
    headers = {"Host": HOST}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://{HOST}:{PORT}{path}"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text
    finally:
        conn.close()


class Recorder:
    def __init__(self, max_requests):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)  # page → [seconds]
        self.errors = defaultdict(list)  # page → [description]
        self.max_requests = max_requests
        self.total = 0

    def take_ticket(self):
        with self.lock:
            if self.total >= self.max_requests:
                return False
            self.total += 1
            return True

    def record(self, page, seconds, error=None):
        with self.lock:
            self.samples[page].append(seconds)
            if error:
                self.errors[page].append(error)


def timed(recorder, page, method, path, cookies, expect, body=None):
    start = time.perf_counter()
    error = None
    text = ""
    try:
        status, headers, text = request(method, path, cookies, body)
        location = headers.get("Location", "")
        if status != expect:
            error = f"{method} {path} → {status}"
        elif "/login/" in location:
            error = f"{method} {path} → sent to login"
    except Exception as exc:  # every failure is counted, none stops the run
        error = f"{method} {path} → {type(exc).__name__}: {exc}"
    recorder.record(page, time.perf_counter() - start, error)
    return text


def simulated_user(spec, setup, recorder, deadline, think, start_barrier, rng, delay=0.0):
    cookies = {}
    try:
        start_barrier.wait(timeout=60)
    except threading.BrokenBarrierError:
        return
    # Offices do not all log in within the same second: spread the logins over the ramp-up.
    time.sleep(delay)
    text = timed(recorder, "login_form", "GET", "/login/", cookies, 200)
    token = CSRF_INPUT.search(text)
    if not token:
        recorder.record("login", 0.0, "no CSRF token on the login page")
        return
    body = {
        "csrfmiddlewaretoken": token.group(1),
        "username": spec["username"],
        "password": PASSWORD,
    }
    timed(recorder, "login", "POST", "/login/", cookies, 302, body)
    if "sessionid" not in cookies:
        recorder.record("login", 0.0, f"{spec['username']}: no session after login")
        return
    unit_user = spec["role"] == "staff"
    urls = setup["urls"]
    pages, weights = zip(*MIXES[spec["role"]], strict=True)
    while time.monotonic() < deadline and recorder.take_ticket():
        page = rng.choices(pages, weights)[0]
        if page == "project_list":
            filters = LIST_FILTERS if unit_user else READ_ONLY_FILTERS
            timed(recorder, page, "GET", "/projects/" + rng.choice(filters), cookies, 200)
        elif page in PLAIN and urls.get(page):
            timed(recorder, page, "GET", urls[page], cookies, 200)
        elif page == "explanation" and spec.get("explanation"):
            timed(recorder, page, "GET", spec["explanation"], cookies, 200)
        elif page == "project" and spec["projects"]:
            pk = rng.choice(spec["projects"])
            timed(recorder, page, "GET", f"/projects/{pk}/", cookies, 200)
        elif page == "entry":
            form = timed(recorder, "entry_form", "GET", "/projects/visits/add/", cookies, 200)
            token = CSRF_INPUT.search(form)
            if token:
                visit = {
                    "csrfmiddlewaretoken": token.group(1),
                    "date": date.today().isoformat(),
                    "investor_name": f"压测客商{rng.randrange(10**6):06d}",
                    "visitors": "王总一行3人",
                    "hosts": spec["username"],
                    "outcome": "初步洽谈，意向投资新能源装备项目",
                    "project": rng.choice(spec["projects"]) if spec["projects"] else "",
                    "lead": "",
                }
                timed(recorder, page, "POST", "/projects/visits/add/", cookies, 302, visit)
        time.sleep(rng.uniform(think * 0.5, think * 1.5))


# --- report --------------------------------------------------------------------------------


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


P95_GOAL_MS = 1000  # issue 21: p95 under 1 s at 40 users on gunicorn + PostgreSQL at M


def roles(recorder):
    counts = getattr(recorder, "roles", {})
    names = {"leader": "市领导", "reviewer": "考核办", "staff": "单位填报员"}
    return "，".join(f"{names[r]} {counts[r]}" for r in names if counts.get(r))


def report(recorder, elapsed, args):
    rows = []
    order = ["login_form", "login", "project_list", "project", "ranking", "explanation"]
    order += ["dashboard", "structure", "forecast", "contributors", "review_queue", "alerts"]
    order += ["report_grid", "my_claims", "entry_form", "entry"]
    pages = [p for p in order if p in recorder.samples] + [
        p for p in recorder.samples if p not in order
    ]
    all_samples = []
    for page in pages:
        values = sorted(recorder.samples[page])
        all_samples += values
        rows.append((page, len(values), len(recorder.errors[page]), values))
    all_samples.sort()
    rows.append(
        ("ALL", len(all_samples), sum(len(e) for e in recorder.errors.values()), all_samples)
    )
    lines = [
        f"{'page':<14}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    ]
    markdown = ["| page | requests | errors | p50 ms | p95 ms | p99 ms | max ms |"]
    markdown.append("|---|---:|---:|---:|---:|---:|---:|")
    for page, count, errors, values in rows:
        p50, p95, p99 = (percentile(values, p) * 1000 for p in (50, 95, 99))
        top = (values[-1] if values else 0) * 1000
        lines.append(f"{page:<14}{count:>7}{errors:>8}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{top:>9.0f}")
        markdown.append(
            f"| {page} | {count} | {errors} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {top:.0f} |"
        )
    total = len(all_samples)
    log("")
    log(
        f"{args.users} users ({roles(recorder)}), city {args.scale}, {args.workers} gunicorn "
        f"workers, think time ~{args.think}s, "
        f"{elapsed:.1f} s, {total} requests, {total / elapsed:.1f} req/s"
    )
    log("\n".join(lines))
    p95 = percentile(all_samples, 95) * 1000
    verdict = "PASS" if p95 < P95_GOAL_MS else "FAIL"
    log(f"p95 of all requests {p95:.0f} ms (goal < {P95_GOAL_MS} ms): {verdict}")
    log("\nMarkdown:\n" + "\n".join(markdown))
    errors = [e for page in pages for e in recorder.errors[page]]
    if errors:
        log(f"\n{len(errors)} errors, first ones:")
        for e in errors[:20]:
            log("  " + e)
    return len(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=float, default=90, help="seconds of load (max 110)")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between steps, s")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which users log in")
    parser.add_argument(
        "--scale",
        default="demo",
        choices=["demo", "S", "M", "L"],
        help="the demo city (default) or the bench's synthetic city at S/M/L",
    )
    args = parser.parse_args()
    args.duration = min(args.duration, 110)  # bounded: the whole load phase stays under 2 min

    log(
        f"机器：{platform.node()} · {platform.platform()} · {os.cpu_count()} CPU · Python "
        f"{platform.python_version()}"
    )
    static_root = Path(tempfile.mkdtemp(prefix="zs-load-static-"))
    gunicorn_log = static_root.parent / f"zs-load-gunicorn-{os.getpid()}.log"
    env = server_env(static_root)
    proc = None
    failures = 1
    try:
        setup = prepare(env, args.users, args.scale)
        log(f"· 启动 gunicorn（{args.workers} 个 worker，{HOST}:{PORT}）……")
        proc = start_gunicorn(env, args.workers, gunicorn_log)
        recorder = Recorder(args.max_requests)
        recorder.roles = Counter(u["role"] for u in setup["users"])
        barrier = threading.Barrier(args.users)
        log(f"· {args.users} 个用户并发访问，最长 {args.duration:.0f} 秒……")
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(
                target=simulated_user,
                args=(spec, setup, recorder, deadline, args.think, barrier),
                kwargs={
                    "rng": random.Random(args.seed + n),
                    "delay": args.ramp * n / max(1, args.users),
                },
                daemon=True,
            )
            for n, spec in enumerate(setup["users"])
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.duration + 180)
        elapsed = time.monotonic() - started
        failures = report(recorder, elapsed, args)
        if proc.poll() is not None:
            log(f"gunicorn died during the run (exit {proc.returncode}); see {gunicorn_log}")
            failures += 1
    finally:
        stop_gunicorn(proc)
        if gunicorn_log.exists():
            server_errors = gunicorn_log.read_text(errors="replace")
            if "Traceback" in server_errors or "[CRITICAL]" in server_errors:
                log("\ngunicorn log (server-side errors):\n" + server_errors[-4000:])
                failures += 1
            gunicorn_log.unlink()
        shutil.rmtree(static_root, ignore_errors=True)
        drop_database()
        log(f"· 已停止 gunicorn，已删除数据库 {DB_NAME}。")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
