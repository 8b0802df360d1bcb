"""Pages for units, collaboration groups and the role-fitting home page. Views stay thin:
scoping comes from `units.access`, tables and filters from their own modules."""

from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assessment.formatting import quarter_name
from units import access, search, workspace
from units.filtersets import GroupFilterSet, UnitFilterSet
from units.forms import GroupForm, UnitContactForm, UnitForm
from units.history import group_history, unit_history
from units.models import CollaborationGroup, GroupMembership, Role, Unit
from units.tables import GroupTable, UnitTable
from zhaoshang.web.generic import ObjectDetailView, ObjectEditView, ObjectListView


def current_year():
    return timezone.localdate().year


def home(request):
    """Each role's home: the to-do panel (`projects.todo`, issue 18) — what waits on the user,
    each line a link to where it is done — and the way to the role's own workspace (the unit's
    page, the group's workspace, the dashboard)."""
    from projects import todo  # the projects app builds on units, not the other way round

    user = request.user
    context = {
        "year": current_year(),
        "todo": todo.lines_for(user),
        "workspace": _workspace_link(user),
    }
    return render(request, "home.html", context)


def _workspace_link(user):
    """(label, url) of the page the role works from, or None."""
    role = access.role_of(user)
    if role in {Role.UNIT_STAFF, Role.UNIT_HEAD} and user.unit_id:
        return "本单位工作台", reverse("units:unit_detail", args=[user.unit_id])
    if role == Role.COORDINATOR:
        group = access.coordinated_memberships(user, current_year()).first()
        if group:
            return "协作组工作台", reverse("units:group_detail", args=[group.group_id])
        if user.unit_id:
            return "本单位工作台", reverse("units:unit_detail", args=[user.unit_id])
    if role in {Role.LEADER, Role.REVIEWER}:
        return "领导看板", reverse("dashboard:index")
    return None


class UnitListView(ObjectListView):
    table_class = UnitTable
    filterset_class = UnitFilterSet
    title = "单位"
    add_url = "units:unit_add"

    def can_add(self):
        return access.can_manage_organisation(self.request.user)

    def get_base_queryset(self):
        group_name = GroupMembership.objects.filter(
            unit=OuterRef("pk"), year=current_year()
        ).values("group__name")[:1]
        return (
            access.visible_units(self.request.user)
            .annotate(current_group_name=Subquery(group_name))
            .distinct()
        )


class UnitDetailView(ObjectDetailView):
    template_name = "units/unit_detail.html"

    def get_base_queryset(self):
        return access.visible_units(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        user = self.request.user
        context["memberships"] = unit.memberships.select_related(
            "group", "group__lead_unit"
        ).order_by("-year")
        context["can_edit_profile"] = access.can_edit_unit_profile(user, unit)
        context["can_manage"] = access.can_manage_organisation(user)
        context["year"] = current_year()
        # Issue 20 item 3: the sub-units, with the way to their roll-up for those who read them.
        context["children"] = list(unit.children.all())
        context["can_read_subunits"] = access.can_read_subunits(user, unit)
        if context["can_manage"]:
            context["history"] = unit_history(unit)
        return context


class UnitEditView(ObjectEditView):
    model = Unit

    def check_permission(self, obj):
        user = self.request.user
        if obj is None:
            access.require(access.can_manage_organisation(user))
        else:
            # Out-of-scope units are 404 first, so ids cannot be probed; then 403.
            if not access.can_view_unit(user, obj):
                raise Http404
            access.require(access.can_edit_unit_profile(user, obj))

    def get_form_class(self):
        if access.can_manage_organisation(self.request.user):
            return UnitForm
        return UnitContactForm


@require_POST
def unit_toggle_active(request, pk):
    access.require(access.can_manage_organisation(request.user))
    unit = get_object_or_404(Unit, pk=pk)
    unit.is_active = not unit.is_active
    unit.save(update_fields=["is_active"])
    if unit.is_active:
        messages.success(request, f"已启用单位“{unit}”。")
    else:
        messages.success(request, f"已停用单位“{unit}”，其历史数据全部保留。")
    return redirect(unit)


class GroupListView(ObjectListView):
    table_class = GroupTable
    filterset_class = GroupFilterSet
    title = "招商协作组"
    add_url = "units:group_add"

    def can_add(self):
        return access.can_manage_organisation(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not kwargs["data"] or "year" not in kwargs["data"]:
            data = kwargs["data"].copy() if kwargs["data"] else {}
            data["year"] = current_year()
            kwargs["data"] = data
        return kwargs

    def get_base_queryset(self):
        return access.visible_groups(
            self.request.user,
            CollaborationGroup.objects.select_related("lead_unit")
            .annotate(member_count=Count("memberships", distinct=True))
            .order_by("-year", "sort_order", "name"),
        )


class GroupDetailView(ObjectDetailView):
    template_name = "units/group_detail.html"

    def get_base_queryset(self):
        return access.visible_groups(
            self.request.user,
            CollaborationGroup.objects.select_related("lead_unit").prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=GroupMembership.objects.select_related("unit").order_by(
                        "unit__sort_order", "unit__name"
                    ),
                )
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_manage"] = access.can_manage_organisation(user)
        # Member units the user may not open are listed without a (dead) link.
        context["readable_units"] = (
            None
            if access.sees_everything(user)
            else set(access.visible_units(user).values_list("pk", flat=True))
        )
        context["other_years"] = (
            CollaborationGroup.objects.filter(name=self.object.name)
            .exclude(pk=self.object.pk)
            .order_by("-year")
        )
        if context["can_manage"]:
            context["history"] = group_history(self.object)
        if access.can_read_group_workspace(user, self.object):
            quarter = _quarter_param(self.request, self.object)
            context["ws"] = workspace.build(user, self.object, quarter)
            context["quarters"] = workspace.QUARTERS
        return context


def _quarter_param(request, group):
    """?quarter=1–4, or the group's default quarter for anything else (never an error)."""
    value = request.GET.get("quarter", "")
    if value in {"1", "2", "3", "4"}:
        return int(value)
    return workspace.default_quarter(group)


def group_report(request, pk, quarter):
    """The group's 通报 for a quarter, A4-printable, for the group leader's meeting: only once
    the user may see the quarter's ranking (published, for the lead unit's staff)."""
    group = get_object_or_404(access.visible_groups(request.user), pk=pk)
    access.require(access.can_read_group_workspace(request.user, group))
    if quarter not in workspace.QUARTERS:
        raise Http404
    ws = workspace.build(request.user, group, quarter)
    if not ws.ranks_shown:
        messages.info(request, "本季度考核结果尚未发布，暂不能生成协作组通报。")
        return redirect(f"{reverse('units:group_detail', args=[group.pk])}?quarter={quarter}")
    title = f"{group.year}年{quarter_name(quarter)}{group.name}招商引资工作情况通报"
    return render(request, "units/group_report.html", {"ws": ws, "group": group, "title": title})


class GroupEditView(ObjectEditView):
    model = CollaborationGroup
    form_class = GroupForm

    def check_permission(self, obj):
        access.require(access.can_manage_organisation(self.request.user))

    def get_initial(self):
        # A new group starts in the current year; an existing one shows its own year (initial
        # data would override the instance and silently move an old group into this year).
        return {} if self.object else {"year": current_year()}

    def get_success_url(self):
        return reverse("units:group_detail", args=[self.object.pk])


@require_GET
def unit_search(request):
    """Unit names matching `q` for the search box of a unit field (JSON, at most 20)."""
    scope = request.GET.get("scope", "visible")
    if scope not in search.SCOPES:
        scope = "visible"
    units = search.search_units(request.user, request.GET.get("q", "")[:50], scope)
    return JsonResponse({"results": [{"id": pk, "text": name} for pk, name in units]})
