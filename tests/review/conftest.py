"""Fixtures for the claims workflow: a project of unit A and a claim of each type."""

import pytest

from projects.models import ClaimStatus
from tests.factories import (
    EvidenceFactory,
    FundsEntryFactory,
    MilestoneFactory,
    MonthlyInvestmentFactory,
    ProjectFactory,
)
from tests.factories.base import unguarded


@pytest.fixture
def project_a(unit_a):
    return ProjectFactory(unit=unit_a, name="甲县新能源电池项目")


@pytest.fixture
def make_claim(project_a):
    """make_claim(status, kind='milestone'|'investment'|'funds') → a claim of unit A, with the
    evidence file its type needs by default (evidence=False: none)."""
    factories = {
        "milestone": MilestoneFactory,
        "investment": MonthlyInvestmentFactory,
        "funds": FundsEntryFactory,
    }

    def _make(status=ClaimStatus.DRAFT, kind="milestone", evidence=True, **kwargs):
        kwargs.setdefault("project", project_a)
        with unguarded():  # claims entered before their quarter was published
            claim = factories[kind](status=status, **kwargs)
            if evidence:
                EvidenceFactory(**{kind: claim})
        return claim

    return _make


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Evidence files written by tests land in a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
