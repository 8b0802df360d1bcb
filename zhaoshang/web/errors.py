"""Error pages in Chinese for requests Django refuses before any view runs.

A form body over DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig while the CSRF check reads
it; Django answers every such refusal with its handler400, whose default page is English. Here
an oversized body is 413 (Payload Too Large), anything else 400, each with its own page.

The pages are rendered without the request's context (as Django's own handler does): the
request may be the very thing that is broken (a host not in ALLOWED_HOSTS, say), and the site
layout would read it again.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template import loader


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        template, status = "413.html", 413
    else:
        template, status = "400.html", 400
    return HttpResponse(loader.get_template(template).render(), status=status)
