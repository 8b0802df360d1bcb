"""Reviewer pages for a year's rules: settings, indicators and the target grids."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessment import targets, visibility
from assessment.defaults import create_default_year
from assessment.forms import IndicatorForm, ReasonForm, YearForm
from assessment.history import year_history
from assessment.models import AssessmentLog, AssessmentYear, Indicator, LogAction
from assessment.snapshots import SnapshotError, unlock_rules
from units import access
from zhaoshang.web import exports
from zhaoshang.web.generic import ObjectEditView


@login_required
def year_list(request):
    access.require(visibility.sees_drafts(request.user))
    return render(
        request,
        "assessment/year_list.html",
        {
            "title": "考核设置",
            "years": AssessmentYear.objects.all(),
            "can_run": visibility.can_run(request.user),
        },
    )


@login_required
def year_detail(request, year):
    access.require(visibility.sees_drafts(request.user))
    ay = get_object_or_404(AssessmentYear, year=year)
    history, history_count = year_history(ay)
    return render(
        request,
        "assessment/year_detail.html",
        {
            "title": f"{ay.year}年度考核设置",
            "ay": ay,
            "indicators": ay.indicators.all(),
            "exclusions": ay.exclusions.select_related("project", "industry"),
            "log": ay.log.select_related("actor")[:30],
            "rules_locked": ay.rules_locked(),
            "can_run": visibility.can_run(request.user),
            "unlock_form": ReasonForm(),
            "shortfalls": targets.group_shortfalls(ay),
            "history": history,
            "history_count": history_count,
        },
    )


@login_required
@require_POST
def rules_unlock(request, year):
    access.require(visibility.can_run(request.user))
    ay = get_object_or_404(AssessmentYear, year=year)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            unlock_rules(ay, request.user, form.cleaned_data["reason"])
            messages.success(request, "考核规则已解锁，可以修改；下次发布通报时重新锁定。")
        except SnapshotError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "解锁考核规则必须填写理由。")
    return redirect("assessment:year_detail", year=ay.year)


class YearEditView(ObjectEditView):
    model = AssessmentYear
    form_class = YearForm
    success_message = "考核年度已保存。"

    def get_object(self):
        year = self.kwargs.get("year")
        return get_object_or_404(AssessmentYear, year=year) if year else None

    def check_permission(self, obj):
        access.require(visibility.can_run(self.request.user))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rules_locked"] = bool(self.object and self.object.rules_locked())
        return kwargs

    def form_valid(self, form):
        creating = self.object is None
        response = super().form_valid(form)
        if creating:
            # A new year starts from the default indicators; reviewers adjust from there.
            create_default_year(self.object.year)
        elif form.changed_data:
            AssessmentLog.objects.create(
                year=self.object,
                action=LogAction.CHANGE_RULES,
                actor=self.request.user,
                reason="修改：" + "、".join(str(form.fields[f].label) for f in form.changed_data),
            )
        return response


class IndicatorEditView(ObjectEditView):
    model = Indicator
    form_class = IndicatorForm
    success_message = "考核指标已保存。"

    def dispatch(self, request, *args, **kwargs):
        self.year = get_object_or_404(AssessmentYear, year=kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Indicator, pk=pk, year=self.year) if pk else None

    def check_permission(self, obj):
        access.require(visibility.can_run(self.request.user))
        if self.year.rules_locked():
            access.require(False)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["year"] = self.year
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        AssessmentLog.objects.create(
            year=self.year,
            action=LogAction.CHANGE_RULES,
            actor=self.request.user,
            reason=f"指标：{self.object.code} {self.object.name}",
        )
        return response

    def get_success_url(self):
        return self.year.get_absolute_url()


@login_required
def target_grid(request, year, kind="unit"):
    """One grid per year: units (or groups) as rows, indicators as columns."""
    access.require(visibility.can_run(request.user))
    ay = get_object_or_404(AssessmentYear, year=year)
    locked = ay.rules_locked()
    indicators = list(ay.indicators.all())
    rows = targets.owners(ay, kind)
    saved = targets.current_values(ay, kind)
    values = targets.shown_values(saved)
    errors = {}
    if request.method == "POST":
        access.require(not locked)
        grid = targets.save_grid(ay, kind, request.POST, request.user)
        if grid.errors:
            values, errors = grid.values, grid.errors
            messages.error(request, f"有 {len(errors)} 处填写有误，全部未保存，请更正后重新提交。")
        else:
            messages.success(request, "目标已保存。")
            return redirect(request.path)
    title = f"{ay.year}年度{'协作组' if kind == 'group' else '单位'}目标"
    if exports.wants_export(request):
        headers = ["年度", "对象", *[f"{i.name}（{i.code}）" for i in indicators]]
        rows = (
            [ay.year, owner.name, *[saved.get((owner.pk, i.pk)) for i in indicators]]
            for owner in rows
        )
        return exports.rows_response(title, headers, rows)
    return render(
        request,
        "assessment/target_grid.html",
        {
            "title": title,
            "export_query": exports.export_query(request),
            "ay": ay,
            "kind": kind,
            "indicators": indicators,
            "table": targets.grid_table(rows, indicators, values, errors),
            "errors": list(errors.values()),
            "locked": locked,
            "shortfalls": targets.group_shortfalls(ay),
        },
    )
