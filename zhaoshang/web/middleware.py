"""Turn a write the guard refused into a page a user can read.

Forms and the import ask the write guard's rules first and show the refusal beside the field;
when a write reaches the guard anyway — the admin, a race between the form's check and the write
(issue 15, path 5), a path no form covers — `zhaoshang.guarded.Frozen` is raised inside the
write's transaction, which rolls back. Here it becomes a 409 (Conflict) page with the guard's
Chinese message and a way back, never a 500.
"""

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
