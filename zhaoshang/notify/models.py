"""Notifications, each user's channel choices, and the group robots (webhooks).

Decisions:
- A notification belongs to one user and is seen by that user only (other users get 404).
- `key` makes a trigger idempotent: a (kind, key, user) that exists is not written again, so a
  periodic reminder that runs twice, or a step retried, notifies once.
- The in-app list is always written; e-mail and the robots are channels a user may turn off per
  kind (`OptOut`). Opt-outs rather than opt-ins: a new user receives everything by default.
- A robot (企业微信 / 钉钉 群机器人) belongs to a unit or to a collaboration group and posts a
  message when a recipient of that unit (or of a member unit of the group) is notified and has
  not turned the robot channel off for that kind. The office maintains robots in the admin.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from zhaoshang.notify.kinds import CHANNEL_CHOICES, KIND_CHOICES


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    kind = models.CharField("类别", max_length=40, choices=KIND_CHOICES)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    key = models.CharField("去重键", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "消息"
        verbose_name_plural = "消息"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "user"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title

    @property
    def is_unread(self):
        return self.read_at is None


class OptOut(models.Model):
    """A user does not want `kind` on `channel`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notify_opt_outs"
    )
    kind = models.CharField("类别", max_length=40, choices=KIND_CHOICES)
    channel = models.CharField("渠道", max_length=20, choices=CHANNEL_CHOICES)

    class Meta:
        verbose_name = "不接收设置"
        verbose_name_plural = "不接收设置"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="notify_opt_out_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.get_channel_display()}"


class RobotKind(models.TextChoices):
    WECOM = "wecom", "企业微信（政务微信）群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class Robot(models.Model):
    """A group chat's robot webhook, for one unit or one collaboration group."""

    name = models.CharField("名称", max_length=100)
    robot_kind = models.CharField("类型", max_length=20, choices=RobotKind.choices)
    url = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField(
        "加签密钥",
        max_length=200,
        blank=True,
        help_text="钉钉机器人启用“加签”时填写（SEC 开头）；其他情况留空。",
    )
    unit = models.ForeignKey(
        "units.Unit",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
        verbose_name="单位",
    )
    group = models.ForeignKey(
        "units.CollaborationGroup",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="robots",
        verbose_name="协作组",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "工作群机器人"
        verbose_name_plural = "工作群机器人"
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(unit__isnull=True) & Q(group__isnull=False)),
                name="robot_for_unit_or_group",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("notify:robot_list")

    def clean(self):
        if bool(self.unit_id) == bool(self.group_id):
            raise ValidationError("请选择单位或协作组之一（二者只能选一个）。")
        if self.url and not self.url.lower().startswith(("http://", "https://")):
            raise ValidationError({"url": "Webhook 地址须以 http:// 或 https:// 开头。"})
