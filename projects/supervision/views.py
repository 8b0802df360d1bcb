"""督办 pages: the list (overdue first), the detail page with its timeline and the reply and
close forms, the issue form of a project, an assistance item or a unit, and reply files.

A 督办 the user may not see is a 404 (`Supervision.objects.visible_to`); an action the user
may not take on one they see is a 403; the detail page shows only the forms the user may use.
"""

import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from projects import services as project_services
from projects.evidence import attachment
from projects.models import AssistanceItem, Project, Supervision, SupervisionFile
from projects.supervision import services
from projects.supervision.filtersets import SupervisionFilterSet
from projects.supervision.forms import CloseForm, IssueForm, ReplyForm
from projects.supervision.tables import SupervisionTable
from units import access
from zhaoshang.web.generic import ObjectListView

logger = logging.getLogger(__name__)

TARGETS = {
    "project": lambda user: Project.objects.visible_to(user),
    "assistance": lambda user: AssistanceItem.objects.select_related("project").visible_to(user),
    "unit": lambda user: access.visible_units(user),
}
STORAGE_FAILED = "答复附件保存失败（服务器存储空间不足或不可写），本次答复未保存，请稍后重试。"


class SupervisionListView(ObjectListView):
    table_class = SupervisionTable
    filterset_class = SupervisionFilterSet
    title = "督办"

    def get_base_queryset(self):
        return (
            services.visible(self.request.user)
            .select_related(
                "project", "assistance_item__project", "target_unit", "unit", "issued_by"
            )
            .overdue_first(project_services.today())
        )


def _get(user, pk):
    queryset = services.visible(user).select_related(
        "project",
        "assistance_item__project",
        "target_unit",
        "unit",
        "issued_by",
        "closed_by",
    )
    return get_object_or_404(
        queryset.prefetch_related("replies__replied_by", "replies__files"), pk=pk
    )


def _detail(request, supervision, reply_form=None, close_form=None, status=200):
    user = request.user
    can_reply = services.can_reply(user, supervision)
    can_close = services.can_close(user, supervision)
    context = {
        "object": supervision,
        "title": str(supervision),
        "overdue": supervision.is_overdue(project_services.today()),
        "timeline": services.timeline(supervision),
        "reply_form": (reply_form or ReplyForm()) if can_reply else None,
        "close_form": (close_form or CloseForm()) if can_close else None,
    }
    return render(request, "projects/duban_detail.html", context, status=status)


@require_GET
def detail(request, pk):
    return _detail(request, _get(request.user, pk))


def issue(request, target, pk):
    """The issue form of one target; only leaders and the office (403 for the others)."""
    if target not in TARGETS:
        raise Http404
    access.require(services.can_issue(request.user))
    obj = get_object_or_404(TARGETS[target](request.user), pk=pk)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        supervision = services.issue(
            request.user, obj, form.cleaned_data["request"], form.cleaned_data["reply_by"]
        )
        messages.success(request, f"已向{supervision.unit}发出督办。")
        return redirect(supervision)
    draft = Supervision(**{services.TARGET_FIELDS[type(obj).__name__]: obj})
    return render(
        request,
        "projects/duban_issue.html",
        {"form": form, "title": f"督办{draft.target_label}", "target_url": draft.target_url},
    )


@require_POST
def reply(request, pk):
    supervision = _get(request.user, pk)
    access.require(services.can_reply(request.user, supervision))
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, supervision, reply_form=form)
    try:
        services.reply(
            request.user, supervision, form.cleaned_data["text"], form.cleaned_data["files"]
        )
    except services.SupervisionError as exc:
        form.add_error(None, str(exc))
        return _detail(request, supervision, reply_form=form)
    except OSError:
        logger.exception("duban %s reply files could not be written", supervision.pk)
        form.add_error(None, STORAGE_FAILED)
        return _detail(request, supervision, reply_form=form)
    messages.success(request, "答复已报送督办人。")
    return redirect(supervision)


@require_POST
def close(request, pk):
    supervision = _get(request.user, pk)
    access.require(services.can_close(request.user, supervision))
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, supervision, close_form=form)
    try:
        services.close(request.user, supervision, form.cleaned_data["comment"])
    except services.SupervisionError as exc:
        form.add_error(None, str(exc))
        return _detail(request, supervision, close_form=form)
    messages.success(request, "督办已办结。")
    return redirect(supervision)


@require_GET
def download(request, pk):
    """A reply file, to users who see its 督办, as an attachment; else 404."""
    row = get_object_or_404(SupervisionFile.objects.select_related("reply"), pk=pk)
    if not services.visible(request.user).filter(pk=row.reply.supervision_id).exists():
        raise Http404
    return attachment(row)
