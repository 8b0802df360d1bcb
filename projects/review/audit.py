"""Reviewers' audit pages: duplicate/fraud flags and the change-history search (SPEC §3, §4)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from projects import history
from projects.models import DuplicateFlag, FlagStatus
from projects.review import duplicates
from projects.review.filtersets import FlagFilterSet
from projects.review.forms import FlagResolveForm, HistorySearchForm
from projects.review.tables import DuplicateFlagTable
from units import access
from zhaoshang.web import pagination
from zhaoshang.web.generic import ObjectListView


class FlagListView(ObjectListView):
    table_class = DuplicateFlagTable
    filterset_class = FlagFilterSet
    template_name = "review/flag_list.html"
    title = "重复与异常标记"

    def dispatch(self, request, *args, **kwargs):
        access.require(access.is_reviewer(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return DuplicateFlag.objects.select_related(
            "project_a", "project_a__unit", "project_b", "project_b__unit"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_count"] = DuplicateFlag.objects.filter(status=FlagStatus.OPEN).count()
        return context


@require_POST
def flag_scan(request):
    """重新扫描: look for new duplicates now."""
    access.require(access.is_reviewer(request.user))
    result = duplicates.scan()
    messages.success(request, result.summary)
    return redirect("review:flag_list")


def flag_detail(request, pk):
    """Both projects side by side and the reviewer's decision."""
    access.require(access.is_reviewer(request.user))
    flag = get_object_or_404(
        DuplicateFlag.objects.select_related(
            "project_a__unit", "project_a__industry", "project_b__unit", "project_b__industry"
        ),
        pk=pk,
    )
    choices = duplicates.resolutions_for(flag)
    form = FlagResolveForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            message = duplicates.resolve(
                request.user, flag, form.cleaned_data["decision"], form.cleaned_data["reason"]
            )
        except duplicates.ResolveError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return redirect("review:flag_detail", pk=flag.pk)
    records = flag.history.select_related("history_user")
    context = {
        "title": f"{flag.get_kind_display()}",
        "flag": flag,
        "form": form,
        "history_entries": history.entries(records),
    }
    return render(request, "review/flag_detail.html", context)


def history_search(request):
    """修改记录: who changed which figure or status, from what to what."""
    access.require(access.is_reviewer(request.user))
    form = HistorySearchForm(request.GET or None)
    slug, page, entries = "milestone", None, []
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        slug = data.get("model") or "milestone"
        records = history.search(
            slug,
            request.user,
            user=data.get("user"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            project_name=(data.get("project") or "").strip(),
        )
        page = pagination.paginate_list(request, records, 50)
        entries = [
            (entry, history.object_label(slug, entry.record))
            for entry in history.entries_for_page(slug, page.object_list, request.user)
        ]
    context = {
        "title": "修改记录",
        "form": form,
        "page": page,
        "entries": entries,
        "model_label": history.TRACKED[slug][1],
        "query": pagination.page_query(request),
    }
    return render(request, "review/history.html", context)
