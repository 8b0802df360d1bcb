from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations (backup, restore, bench, demo loading): management commands, no models."""

    name = "zhaoshang.ops"
    label = "ops"
    verbose_name = "运维"
