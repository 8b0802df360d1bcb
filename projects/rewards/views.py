"""The pages of intermediary rewards under /persons/rewards/<year>/ (issue 19 item 4).

The list page reads; every change is a POST-only action that answers with a message and a
redirect back (bad input: a Chinese message, nothing saved). Who may do what: `projects.rewards`
(`can_act`: the office; `can_read`: the office and leaders; unit users get 403).
`?_export=xlsx` on the list gives the paper-ready workbook of the list export machinery.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessment.models import AssessmentYear
from projects.models.rewards import Reward, RewardChange, RewardList, RewardStatus
from projects.rewards import can_act, can_read, forms, workflow
from projects.rewards.compute import compute_rewards, rule_for
from units import access
from zhaoshang.web import exports

HEADERS = [
    "序号",
    "姓名",
    "单位/机构",
    "所涉项目",
    "计奖到位资金（万元）",
    "计算金额（万元）",
    "奖励金额（万元）",
    "状态",
]


def _year(request, year, act=False):
    access.require(can_act(request.user) if act else can_read(request.user))
    return get_object_or_404(AssessmentYear, year=year)


def _rows(reward_list):
    if reward_list is None:
        return []
    return list(reward_list.rewards.select_related("person").order_by("-amount", "person__name"))


def _title(year_obj):
    return f"{year_obj.year}年度中介人引资奖励名单"


def rewards(request, year, rule_form=None):
    year_obj = _year(request, year)
    reward_list = RewardList.objects.filter(year=year_obj).first()
    rows = _rows(reward_list)
    if exports.wants_export(request):
        return exports.rows_response(_title(year_obj), HEADERS, export_rows(rows))
    acts = can_act(request.user)
    rule = rule_for(year_obj)
    preview = None
    diffs = []
    if reward_list is None or reward_list.computed is None:
        preview = compute_rewards(year_obj, rule)
    elif acts and reward_list.is_public and reward_list.status != RewardStatus.PAID:
        diffs = workflow.differences(reward_list)
    changes = (
        RewardChange.objects.filter(reward__reward_list=reward_list).select_related(
            "reward__person", "changed_by"
        )
        if reward_list
        else []
    )
    context = {
        "title": _title(year_obj),
        "year": year_obj.year,
        "rule": rule,
        "rule_form": rule_form or forms.RewardRuleForm(instance=rule),
        "reward_list": reward_list,
        "rows": rows,
        "total": sum((r.amount for r in rows), 0),
        "preview": preview,
        "diffs": diffs,
        "changes": changes,
        "can_act": acts,
        "publicity_form": forms.PublicityForm(),
        "payment_form": forms.PaymentForm(),
        "export_query": exports.export_query(request),
    }
    return render(request, "persons/rewards.html", context)


def export_rows(rows):
    for n, reward in enumerate(rows, 1):
        person = reward.person
        yield [
            n,
            person.name,
            person.organisation,
            "、".join(item["name"] for item in reward.basis),
            reward.funds,
            reward.computed_amount,
            reward.amount,
            reward.get_status_display(),
        ]


def notice(request, year):
    """The printable 公示 page: the list as it is publicised, with the period."""
    year_obj = _year(request, year)
    reward_list = RewardList.objects.filter(year=year_obj).first()
    rows = _rows(reward_list)
    return render(
        request,
        "persons/reward_notice.html",
        {
            "title": f"{year_obj.year}年度中介人引资奖励公示",
            "year": year_obj.year,
            "reward_list": reward_list,
            "rows": rows,
            "total": sum((r.amount for r in rows), 0),
            "rule": rule_for(year_obj),
        },
    )


def _back(year):
    return redirect("persons:rewards", year=year)


def _run(request, year, step, done):
    try:
        step()
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(year)


def _list_or_message(request, year_obj):
    reward_list = RewardList.objects.filter(year=year_obj).first()
    if reward_list is None:
        messages.error(request, "尚未计算拟奖励名单。")
    return reward_list


@require_POST
def rule_edit(request, year):
    year_obj = _year(request, year, act=True)
    rule = rule_for(year_obj)
    form = forms.RewardRuleForm(request.POST, instance=rule)
    if not form.is_valid():
        messages.error(request, "奖励规则未保存：" + forms.first_error(form))
        return rewards(request, year, rule_form=form)
    rule = form.save(commit=False)
    rule.updated_by = request.user
    rule.save()
    messages.success(request, "奖励规则已保存；拟奖励名单请重新计算后生效。")
    return _back(year)


@require_POST
def compute(request, year):
    year_obj = _year(request, year, act=True)

    def step():
        workflow.compute_list(year_obj, request.user)

    return _run(request, year, step, "已按本年度奖励规则计算拟奖励名单。")


@require_POST
def publicise(request, year):
    year_obj = _year(request, year, act=True)
    reward_list = _list_or_message(request, year_obj)
    if reward_list is None:
        return _back(year)
    form = forms.PublicityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未开始公示：" + forms.first_error(form))
        return _back(year)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]

    def step():
        workflow.publicise(reward_list, start, end, request.user)

    return _run(request, year, step, f"名单已进入公示，公示期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}。")


@require_POST
def approve(request, year):
    year_obj = _year(request, year, act=True)
    reward_list = _list_or_message(request, year_obj)
    if reward_list is None:
        return _back(year)
    return _run(
        request, year, lambda: workflow.approve(reward_list, request.user), "奖励名单已审定。"
    )


@require_POST
def pay(request, year):
    year_obj = _year(request, year, act=True)
    reward_list = _list_or_message(request, year_obj)
    if reward_list is None:
        return _back(year)
    form = forms.PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未登记发放：" + forms.first_error(form))
        return _back(year)
    data = form.cleaned_data

    def step():
        workflow.record_payment(
            reward_list, data["paid_by"], data["paid_on"], data["document_no"], request.user
        )

    return _run(request, year, step, "已登记奖励发放，名单金额已锁定。")


@require_POST
def change(request, year, pk):
    year_obj = _year(request, year, act=True)
    reward = get_object_or_404(Reward, pk=pk, reward_list__year=year_obj)
    form = forms.AmountForm(request.POST)
    if not form.is_valid():
        messages.error(request, "奖励金额未修改：" + forms.first_error(form))
        return _back(year)
    data = form.cleaned_data

    def step():
        workflow.change_amount(reward, data["amount"], data["reason"], request.user)

    return _run(request, year, step, f"{reward.person.name}的奖励金额已调整。")


@require_POST
def apply(request, year, person):
    year_obj = _year(request, year, act=True)
    reward_list = _list_or_message(request, year_obj)
    if reward_list is None:
        return _back(year)
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def step():
        workflow.apply_difference(reward_list, person, reason, request.user)

    return _run(request, year, step, "已按重新计算结果调整该人员的奖励。")
