"""督办单 (issue 18 item 4): a leader or the assessment office asks a unit to act on a project,
an assistance item (帮办事项) or the unit's work as a whole, by a reply-by date; the unit replies
(text and files), the issuer closes it.

Decisions:
- The target is exactly one of project, assistance item or unit (a check constraint); the
  responsible unit is derived from it on save — the project's responsible unit, the unit that
  must act on the assistance item, or the unit itself — so a 督办 always names the unit that
  answers it.
- Status: 待答复 until the unit replies, 已答复 after its first reply (it may add more), 已办结
  once an issuer closes it with a comment. Overdue means still 待答复 after the reply-by date: a
  reply, even one the issuer finds wanting, ends the unit's lateness.
- Only the responsible unit's own users and those who read everything (leaders, the office,
  admins) see a 督办; coordinators and other units do not (the stricter reading of SPEC §1:
  a 督办 is addressed to one unit).
- Reply files are kept like evidence (`projects.evidence`: the same storage under MEDIA_ROOT,
  checked by content and size) and served only to users who see the 督办.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models.project import Project
from projects.models.work import AssistanceItem
from units import access
from units.models import Unit


class SupervisionStatus(models.TextChoices):
    AWAITING = "awaiting", _("待答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class SupervisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if access.sees_everything(user):
            return self
        if access.is_unit_user(user) and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def open(self):
        return self.exclude(status=SupervisionStatus.CLOSED)

    def overdue(self, today):
        return self.filter(overdue_q(today))

    def overdue_first(self, today):
        """Overdue first, then by reply-by date (the list's default order)."""
        return self.annotate(
            overdue_rank=Case(
                When(overdue_q(today), then=Value(0)),
                When(status=SupervisionStatus.CLOSED, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("overdue_rank", "reply_by", "pk")


def overdue_q(today):
    return Q(status=SupervisionStatus.AWAITING, reply_by__lt=today)


def supervision_file_path(instance, filename):
    return f"duban/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Supervision(models.Model):
    """督办单."""

    project = models.ForeignKey(
        Project,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="supervisions",
        verbose_name=_("督办项目"),
    )
    assistance_item = models.ForeignKey(
        AssistanceItem,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="supervisions",
        verbose_name=_("督办帮办事项"),
    )
    target_unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("督办单位"),
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="supervisions", verbose_name=_("承办单位")
    )
    request = models.TextField(_("督办要求"))
    reply_by = models.DateField(_("答复期限"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=SupervisionStatus.choices,
        default=SupervisionStatus.AWAITING,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("督办人"),
    )
    issued_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办结人"),
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_comment = models.TextField(_("办结意见"), blank=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering = ["reply_by", "pk"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(project__isnull=False, assistance_item__isnull=True, target_unit__isnull=True)
                    | Q(
                        project__isnull=True,
                        assistance_item__isnull=False,
                        target_unit__isnull=True,
                    )
                    | Q(
                        project__isnull=True,
                        assistance_item__isnull=True,
                        target_unit__isnull=False,
                    )
                ),
                name="supervision_has_one_target",
            )
        ]

    def __str__(self):
        return f"督办：{self.target_label}"

    def get_absolute_url(self):
        return reverse("projects:duban_detail", args=[self.pk])

    @property
    def target(self):
        return self.project or self.assistance_item or self.target_unit

    @property
    def target_label(self):
        if self.assistance_item_id:
            item = self.assistance_item
            return f"帮办事项 {item.project.name} · {item.get_category_display()}"
        if self.project_id:
            return f"项目 {self.project.name}"
        return f"单位 {self.target_unit.name}" if self.target_unit_id else ""

    @property
    def target_url(self):
        if self.assistance_item_id:
            return reverse("projects:project_detail", args=[self.assistance_item.project_id])
        if self.project_id:
            return reverse("projects:project_detail", args=[self.project_id])
        return reverse("units:unit_detail", args=[self.target_unit_id])

    def derive_unit(self):
        """The unit that answers: the project's, the one that must act on the item, or the
        unit itself."""
        if self.assistance_item_id:
            return self.assistance_item.responsible_unit_id
        if self.project_id:
            return self.project.unit_id
        return self.target_unit_id

    def is_overdue(self, today):
        return self.status == SupervisionStatus.AWAITING and self.reply_by < today

    def save(self, *args, **kwargs):
        self.unit_id = self.derive_unit()
        super().save(*args, **kwargs)


class SupervisionReply(models.Model):
    """A unit's reply to a 督办 (答复), with its files."""

    supervision = models.ForeignKey(
        Supervision, models.CASCADE, related_name="replies", verbose_name=_("督办单")
    )
    text = models.TextField(_("答复内容"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(_("答复时间"), auto_now_add=True)

    class Meta:
        ordering = ["replied_at", "pk"]
        verbose_name = _("督办答复")
        verbose_name_plural = _("督办答复")

    def __str__(self):
        return f"{self.supervision} · 答复"


class SupervisionFile(models.Model):
    """A file attached to a reply; stored and checked as evidence files are."""

    reply = models.ForeignKey(
        SupervisionReply, models.CASCADE, related_name="files", verbose_name=_("答复")
    )
    file = models.FileField(_("文件"), upload_to=supervision_file_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督办答复材料")
        verbose_name_plural = _("督办答复材料")

    def __str__(self):
        return self.original_name
