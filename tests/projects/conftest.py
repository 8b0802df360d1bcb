"""Fixtures for the projects pages: evidence files go to a temporary MEDIA_ROOT."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ProjectFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def days_ago(today):
    def _days_ago(n):
        return today - datetime.timedelta(days=n)

    return _days_ago


@pytest.fixture
def project_a(unit_a):
    return ProjectFactory(unit=unit_a, name="甲县光伏组件项目", stage="negotiating")


@pytest.fixture
def project_b(unit_b):
    return ProjectFactory(unit=unit_b, name="乙县食品加工项目", stage="negotiating")
