"""Intermediary rewards (中介人引资奖励, issue 19 item 4).

- `compute`: the year's rewards from verified funds in place (`compute_rewards`);
- `workflow`: the list's 拟奖励 → 公示 → 已审定 → 已发放 and every change of an amount;
- `guard`: the guard's rule for reward rows (a paid row is frozen; after 公示 a reason);
- `views`, `forms`: the pages under /persons/rewards/<year>/.

Who may do what (`can_act`, `can_read`): only the assessment office (考核办, `access.is_reviewer`,
which includes the administrator) computes, publicises, approves, records payment and changes
amounts; city leaders read the list, the 公示 page and the export. Unit users see nothing: the
list holds outside persons' personal payments and no unit has a step in the workflow (the 公示
itself is published on paper or the portal by the office from the printable page).
"""

from units import access


def can_act(user):
    return access.is_reviewer(user)


def can_read(user):
    return access.sees_everything(user)


def link_year(year=None):
    """The year the registry and 十佳 pages link the rewards list to: `year` when it is an
    assessment year, else (no `year` given) this year's or the newest one; None when none."""
    from django.utils import timezone

    from assessment.models import AssessmentYear

    years = AssessmentYear.objects.order_by("-year").values_list("year", flat=True)
    if year is not None:
        return year if years.filter(year=year).exists() else None
    today = timezone.localdate().year
    return years.filter(year__lte=today).first() or years.first()
