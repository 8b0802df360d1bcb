"""Every model of the three apps and of jobs has a factory in tests.factories, and each builds a
valid row."""

import pytest
from django.apps import apps

import tests.factories as factories

APPS = ("units", "projects", "assessment", "jobs")


def model_factories():
    found = {}
    for name in factories.__all__:
        obj = getattr(factories, name)
        meta = getattr(obj, "_meta", None)
        if name.endswith("Factory") and meta is not None:
            found[meta.get_model_class()] = obj
    return found


def test_every_model_has_a_factory():
    models = {
        m for label in APPS for m in apps.get_app_config(label).get_models() if m._meta.managed
    }
    models = {m for m in models if not m.__name__.startswith("Historical")}
    assert models - set(model_factories()) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("factory", list(model_factories().values()), ids=lambda f: f.__name__)
def test_each_factory_builds_a_valid_row(factory):
    obj = factory()
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()
    # CreditShare: the project's own 100 % share plus this one go over 100 % (the formset's
    # rule, not the model's); every model's own validation must pass.
    obj.full_clean(validate_unique=False, validate_constraints=False)
