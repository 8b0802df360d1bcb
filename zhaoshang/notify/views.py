"""The user's own notifications: the list, opening one, marking all read, channel settings.

Every view reads `Notification.objects.for_user(request.user)`: another user's notification
is a 404, never shown or marked.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhaoshang.notify import preferences as prefs
from zhaoshang.notify import services
from zhaoshang.notify.models import Notification
from zhaoshang.web.pagination import positive_int

PER_PAGE = 20


def notification_list(request):
    rows = Notification.objects.for_user(request.user).order_by("-created_at", "-pk")
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.get_page(positive_int(request.GET.get("page")) or 1)
    return render(request, "notify/list.html", {"page": page, "title": "消息通知"})


def safe_local_url(url):
    """`url` when it is a path inside this site, else None (a notification never sends the
    user to another host, whatever was written into it)."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return None
    return url


@require_GET
def open_notification(request, pk):
    """Mark the notification read and go where it points (the list when it points nowhere)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    return redirect(safe_local_url(notification.url) or "notify:list")


@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect("notify:list")


def preferences(request):
    form = prefs.PreferenceForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "接收设置已保存。")
        return redirect("notify:settings")
    return render(request, "notify/settings.html", {"form": form, "title": "消息接收设置"})
