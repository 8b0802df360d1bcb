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
        _watch_unguarded_inputs()


def _watch_unguarded_inputs():
    """Units and snapshots feed the engine (type and activity; earlier years' outcomes) but
    are not guarded models: record their writes for the data version here."""
    from django.db.models.signals import post_delete, post_save

    from assessment.models import Snapshot
    from units.models import Unit
    from zhaoshang.ops.dataversion import touch

    def changed(sender, instance, **kwargs):
        touch(instance._state.db or "default")

    for model in (Unit, Snapshot):
        post_save.connect(changed, sender=model, dispatch_uid=f"dataversion-{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"dataversion-del-{model.__name__}")
