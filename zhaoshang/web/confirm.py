"""Confirmation of consequential actions (issue 18 item 6): 测算, 撤回, unlock and every bulk
action are posted with a ticked confirmation (`templates/includes/confirm_check.html`, a
required check box: works without JavaScript). A post without it — an old page, a form that
skipped the box — does nothing and says so. 发布通报 has its own preview page
(`assessment.views.publish`)."""

from django.contrib import messages

FIELD = "confirm"
VALUE = "yes"


def confirmed(request):
    return request.POST.get(FIELD) == VALUE


def refuse(request, what):
    """Tell the user nothing was done because `what` was not confirmed."""
    messages.warning(request, f"请勾选确认后再{what}，本次未办理。")
