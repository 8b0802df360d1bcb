"""Quieter logs for what is not an error.

A permission refusal (403) is the server doing its job — the access rules refuse another unit's
project, a reviewer's page — and Django logs each with the full traceback of the
PermissionDenied it caught (214 tracebacks in one walk through the demo, issue 22). They are
logged as one line: the path and the status, which is what an operator needs."""

import logging


class OneLineRefusals(logging.Filter):
    def filter(self, record):
        if record.name == "django.request" and getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
