"""Factories for zhaoshang.jobs."""

import factory

from tests.factories.units import UserFactory
from units.models import Role
from zhaoshang.jobs.models import Job, JobKind, JobStatus


class JobFactory(factory.django.DjangoModelFactory):
    """A reviewer's workbook import, previewed and waiting for confirmation."""

    class Meta:
        model = Job

    user = factory.SubFactory(UserFactory, role=Role.REVIEWER, unit=None)
    kind = JobKind.WORKBOOK_IMPORT
    title = factory.Sequence(lambda n: f"年度数据{n}.xlsx")
    status = JobStatus.PREVIEW
    step = "check"
