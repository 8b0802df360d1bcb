"""督办 fixtures: reply files go to a temporary MEDIA_ROOT (the projects tests' fixture); a
project of unit A; days(n) for dates around today."""

import datetime

import pytest

from tests.factories import ProjectFactory
from tests.projects.conftest import media_root, today  # noqa: F401  (fixtures)


@pytest.fixture
def days(today):  # noqa: F811
    """days(n) → today + n days (negative: in the past)."""

    def _days(n):
        return today + datetime.timedelta(days=n)

    return _days


@pytest.fixture
def project_a(unit_a):
    return ProjectFactory(unit=unit_a, name="甲县光伏组件项目", stage="signed")
