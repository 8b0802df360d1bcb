from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("招商项目")

    def ready(self):
        # The write guard's rules name models of three apps: registered once all are loaded.
        from zhaoshang.guard import register_rules

        register_rules()
