"""The SQLite default runs in WAL mode with a busy timeout (concurrent users queue, not fail)."""

import pytest
from django.db import connection


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific pragmas")
def test_sqlite_uses_busy_timeout_and_foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_empty_choice_label_is_chinese():
    """Django 6.1's new "- Select an option -" has no zh-hans translation; ours fills the gap."""
    import django
    from django import forms
    from django.utils import translation

    from units.models import Unit

    with translation.override("zh-hans"):
        field = forms.ModelChoiceField(queryset=Unit.objects.none())
        expected = "— 请选择 —" if django.VERSION >= (6, 1) else "---------"
        assert str(field.empty_label) == expected
