"""Fixtures of the notification tests: unit A's project and claims (as the review tests make
them), a second staff member of unit A, and a receiver for group-robot posts."""

import pytest

from tests.factories import UserFactory
from tests.notify.receiver import Receiver
from tests.review.conftest import make_claim, media_in_tmp, project_a  # noqa: F401
from units.models import Role


@pytest.fixture
def staff_a2(unit_a):
    return UserFactory(username="staff_a2", role=Role.UNIT_STAFF, unit=unit_a)


@pytest.fixture
def receiver():
    """A robot endpoint on 127.0.0.1 (a free port), answering like 钉钉 and 企业微信 do."""
    with Receiver() as running:
        yield running
