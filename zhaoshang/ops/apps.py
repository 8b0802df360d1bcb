from django.apps import AppConfig

from zhaoshang.ops.cleanup import temp_root


class OpsConfig(AppConfig):
    """Operations (backup, restore, bench, demo loading): management commands, and one model,
    the mark of a demo database (`zhaoshang.ops.models.DemoDatabase`)."""

    name = "zhaoshang.ops"
    label = "ops"
    verbose_name = "运维"

    def ready(self):
        # Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE are written into TEMP_DIR/uploads,
        # which must exist before the first one arrives.
        temp_root()
