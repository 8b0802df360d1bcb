"""Journey 0: every demo role logs in through the login page and lands somewhere that fits it.

Proves the harness: chromium drives the live server, static files load, the navigation names
the user's role, and the unit list shows a unit user only their own unit but a reviewer all.
"""

import io
import re

import pytest
from playwright.sync_api import expect

from zhaoshang.ops.demo import city as demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (username, role label in the navigation, where the role lands: a heading it must see)
LANDINGS = [
    ("staff", "单位填报员 · 东湖区", "东湖区"),
    ("head", "单位负责人 · 东湖区", "东湖区"),
    ("staff2", "单位填报员 · 西山区", "西山区"),
    ("coord", "协作组牵头单位 · 市发展和改革委员会", "第一招商协作组"),
    ("reviewer", "考核办", "招商引资领导看板"),
    ("leader", "市领导", "招商引资领导看板"),
    ("admin", "系统管理员", "年度招商引资任务考核"),
]


def test_each_demo_role_logs_in_and_lands_on_its_page(journey):
    demo.load(io.StringIO())
    j = journey("login")
    page = j.page

    # A stranger is sent to the login page; a wrong password gets a Chinese message.
    page.goto(j.url("/units/"))
    expect(page).to_have_url(re.compile(r"/login/\?next=/units/"))
    expect(page.get_by_role("heading", name="用户登录")).to_be_visible()
    j.assert_assets_loaded()
    j.check_widths("login")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    j.shot("wrong-password")

    for username, role_label, landing_heading in LANDINGS:
        j.login(username, demo.DEMO_PASSWORD)
        expect(page.get_by_test_id("whoami")).to_contain_text(role_label)
        # Home is the role's to-do panel (issue 18), with the way to its own workspace.
        expect(page.get_by_test_id("todo")).to_be_visible()
        j.shot(f"landing-{username}")
        workspace = page.get_by_test_id("workspace-link")
        if workspace.count():
            j.submit(workspace)
        expect(page.get_by_role("heading", level=1)).to_contain_text(landing_heading)
        j.logout()

    # A unit user's unit list holds only their own unit.
    j.login("staff", demo.DEMO_PASSWORD)
    j.goto("/units/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("东湖区")
    j.shot("units-as-staff")

    # On a phone the menu folds behind 展开导航 and opens with Bootstrap's script.
    j.phone()
    menu_item = page.locator("nav.navbar").get_by_role("link", name="我的申报")
    expect(menu_item).to_be_hidden()
    page.get_by_role("button", name="展开导航").click()
    expect(menu_item).to_be_visible()
    j.shot("phone-menu")
    menu_item.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的申报")
    j.desktop()
    j.logout()

    # The reviewer's holds every unit of the demo city, and opens one from the list.
    j.login("reviewer", demo.DEMO_PASSWORD)
    j.goto("/units/?per_page=100")
    expect(page.get_by_role("link", name="西山区", exact=True)).to_be_visible()
    assert page.locator("table tbody tr").count() >= 25
    j.check_widths("units-as-reviewer")
    j.shot("units-as-reviewer")
    page.get_by_role("link", name="西山区", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("西山区")
    # 西山区 moved from 第二 to 第三招商协作组 this year; both years are listed.
    expect(page.get_by_role("link", name="第三招商协作组")).to_be_visible()
    expect(page.get_by_role("link", name="第二招商协作组")).to_be_visible()
    j.check_widths("unit-detail")
    j.shot("unit-detail")

    j.assert_no_page_problems()
