"""The kinds of notification, with the label a user reads on the list, the settings page and
in an e-mail subject. A new trigger adds its kind here (and a migration for the choices)."""

KINDS = {
    "claim_returned": "申报被退回",
    "claim_approved": "申报已审定",
    "report_due": "月报即将到期",
    "report_missed": "月报逾期未报",
    "assistance_assigned": "帮办事项交办",
    "assistance_overdue": "帮办事项逾期",
    "lead_converted": "共享线索已转化",
    "bulletin_published": "通报已发布",
    "duban_assigned": "督办交办",
    "duban_answered": "督办已答复",
    "duban_overdue": "督办逾期",
    "duban_closed": "督办已办结",
}

KIND_CHOICES = list(KINDS.items())


class Channel:
    """Where a notification goes besides the in-app list, which is always written."""

    EMAIL = "email"
    WEBHOOK = "webhook"


CHANNELS = {Channel.EMAIL: "电子邮件", Channel.WEBHOOK: "工作群机器人"}
CHANNEL_CHOICES = list(CHANNELS.items())
