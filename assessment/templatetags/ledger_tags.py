"""The unit page's 奖惩记录 (issue 20): the unit's decisions the reader may see, in one query —
every decision for the office and leaders, the confirmed ones for the unit's own users
(`assessment.ledger.services.visible_decisions`)."""

from django import template

from assessment.ledger import services
from assessment.models import UnitHead

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_decisions(context, unit):
    user = context["request"].user
    return {
        "decisions": services.unit_history(user, unit),
        # Heads in post (issue 20 item 2), newest first: the ledger names the head at the time.
        "heads": list(UnitHead.objects.filter(unit=unit).select_related("person")),
        "sees_proposals": user.is_authenticated and services.access.sees_everything(user),
        # Only the office records heads in post (assessment.ledger.heads_views).
        "can_record_heads": services.can_act(user),
    }
