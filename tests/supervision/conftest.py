"""督办 fixtures: reply files go to a temporary MEDIA_ROOT; a project of unit A."""

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
def days(today):
    """days(n) → today + n days (negative: in the past)."""

    def _days(n):
        return today + datetime.timedelta(days=n)

    return _days


@pytest.fixture
def project_a(unit_a):
    return ProjectFactory(unit=unit_a, name="甲县光伏组件项目", stage="signed")
