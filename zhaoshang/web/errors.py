"""Error pages in Chinese for requests Django refuses before any view runs.

A form body over DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig while the CSRF check reads
it; Django answers every such refusal with its handler400, whose default page is English. Here
an oversized body is 413 (Payload Too Large), anything else 400, each with its own page.

An exception a view did not handle is Django's handler500; when the database is what failed —
unreachable (maintenance, a restart) or, on SQLite, locked by a long writer — the user gets a
503 "系统维护中 / 系统繁忙" page with Retry-After instead of the generic 500 (issue 21).

The pages are rendered without the request's context (as Django's own handler does): the
request may be the very thing that is broken (a host not in ALLOWED_HOSTS, say), and the site
layout would read it again.
"""

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        template, status = "413.html", 413
    else:
        template, status = "400.html", 400
    return HttpResponse(loader.get_template(template).render(), status=status)


def database_unavailable(exception):
    """'busy' (SQLite's writer lock outlasted busy_timeout), 'down' (the database cannot be
    reached: the failed connection is gone, or the one held is no longer usable), else None —
    a database error that is a bug stays a 500."""
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return None
    if "database is locked" in str(exception):
        return "busy"
    conn = connection.connection
    try:
        usable = conn is not None and connection.is_usable()
    except Exception:  # the check itself could not run: nothing reachable
        usable = False
    return None if usable else "down"


def server_error(request):
    """Django calls this inside its `except` block, so the exception is at hand. The 503 page
    says the system is under maintenance (or busy) and when to retry; like the others it is
    rendered without the request's context, which would read the database again."""
    state = database_unavailable(sys.exc_info()[1])
    if state is None:
        return HttpResponse(loader.get_template("500.html").render(), status=500)
    page = loader.get_template("503.html").render({"busy": state == "busy"})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = "30" if state == "busy" else "120"
    return response
