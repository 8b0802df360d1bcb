"""What 督办 tells people, through `zhaoshang.notify`: the unit when a 督办 is issued to it
(duban_assigned), the issuer when the unit replies (duban_answered), the unit when the issuer
closes it with the 办结意见 (duban_closed). Overdue reminders are sent
by `projects.reminders`. Keys make every message idempotent: a retried write sends nothing new."""

from zhaoshang.notify import notify


def assigned(supervision, user):
    return notify(
        "duban_assigned",
        units=[supervision.unit_id],
        title=f"督办交办：{supervision.target_label}",
        body=f"{supervision.request}\n答复期限：{supervision.reply_by:%Y-%m-%d}",
        url=supervision.get_absolute_url(),
        key=f"duban:{supervision.pk}:assigned",
        actor=user,
    )


def answered(supervision, reply, user):
    if not supervision.issued_by_id:
        return 0
    return notify(
        "duban_answered",
        users=[supervision.issued_by_id],
        title=f"督办已答复：{supervision.target_label}（{supervision.unit.name}）",
        body=reply.text[:500],
        url=supervision.get_absolute_url(),
        key=f"duban:{supervision.pk}:reply{reply.pk}",
        actor=user,
    )


def closed(supervision, user):
    return notify(
        "duban_closed",
        units=[supervision.unit_id],
        title=f"督办已办结：{supervision.target_label}",
        body=f"办结意见：{supervision.closing_comment}",
        url=supervision.get_absolute_url(),
        key=f"duban:{supervision.pk}:closed",
        actor=user,
    )
