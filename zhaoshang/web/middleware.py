"""Turn a write the guard refused into a page a user can read.

Forms and the import ask the write guard's rules first and show the refusal beside the field;
when a write reaches the guard anyway — the admin, a race between the form's check and the write
(issue 15, path 5), a path no form covers — `zhaoshang.guarded.Frozen` is raised inside the
write's transaction, which rolls back. Here it becomes a 409 (Conflict) page with the guard's
Chinese message and a way back, never a 500.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from zhaoshang.guarded import Frozen


class FrozenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Frozen):
            return None
        back = request.META.get("HTTP_REFERER") or request.path
        context = {"message": exception.message, "back": back}
        return render(request, "409.html", context, status=409)


class HiddenObjectMiddleware:
    """With DEBUG on, Django answers an Http404 raised by a view with its English technical page
    listing every URL pattern — which is what a unit's user sees opening another unit's project
    during development and demos (issue 22). A 404 a view raises is the access rules hiding an
    object (or an object that is gone): it gets the Chinese 404 page in DEBUG too. A URL that
    matches no pattern never reaches a view and keeps the technical page, which helps developers.
    Without DEBUG, Django already renders 404.html."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or not isinstance(exception, Http404):
            return None
        return render(request, "404.html", status=404)


class MethodNotAllowedPage:
    """A GET on a POST-only URL (a bookmarked action, a link pasted from a form) is answered by
    Django with an empty 405 — a blank page (issue 22). Here it gets a Chinese page that says
    the action is done from its page's button, with a way back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", {"back": request.META.get("HTTP_REFERER", "/")})
            page.status_code = 405
            page["Allow"] = response.get("Allow", "")
            return page
        return response
