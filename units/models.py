"""Organisation: units (单位), collaboration groups (招商协作组) per year, and users with roles."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhaoshang.guarded import GuardedModel, GuardedQuerySet


class UnitType(models.TextChoices):
    CITY_DEPT = "city_dept", _("市直部门")
    COUNTY = "county", _("县区")
    PARK = "park", _("园区")
    BUREAU = "bureau", _("招商局")
    # Sub-units (issue 20 item 3): a county's towns, a department's offices.
    TOWN = "town", _("乡镇（街道）")
    OFFICE = "office", _("科室")


# A top-level unit, its sub-unit and the sub-unit's own sub-unit (county → park → office); deeper
# trees are refused so the roll-up and the access rules stay readable.
MAX_UNIT_DEPTH = 3


class Unit(models.Model):
    """A unit that is assessed: a city department, county/district, park or bureau.

    Units that hold data are deactivated, never deleted (foreign keys to a unit PROTECT it).
    """

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=UnitType.choices)
    head_name = models.CharField(_("主要负责人"), max_length=50, blank=True)
    head_title = models.CharField(_("负责人职务"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    # Issue 20 item 3: a sub-unit's figures roll up to its top-level ancestor, which is the level
    # the year assesses; a parent's staff read (not edit) their sub-units.
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    created = models.DateTimeField(auto_now_add=True)
    # Value history (who renamed or re-typed a unit, from which value to which), on its page.
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:unit_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id:
            self.check_parent(self.parent_id)

    def check_parent(self, parent_id):
        """Refuse a parent that makes a cycle or a tree deeper than MAX_UNIT_DEPTH (Chinese
        messages on the `parent` field). A few small queries, on the unit's form only."""
        from units.tree import Tree

        tree = Tree.load()
        if self.pk and (parent_id == self.pk or self.pk in tree.ancestors(parent_id)):
            raise ValidationError({"parent": _("上级单位不能是本单位或本单位的下属单位。")})
        below = tree.height(self.pk) if self.pk else 0
        if tree.depth(parent_id) + 1 + below > MAX_UNIT_DEPTH:
            raise ValidationError(
                {"parent": _("单位层级最多 %(n)s 级，不能再设下属单位。") % {"n": MAX_UNIT_DEPTH}}
            )

    def has_data(self):
        """True when anything refers to this unit, so it may only be deactivated."""
        for rel in self._meta.related_objects:
            if rel.one_to_many or rel.one_to_one:
                accessor = rel.get_accessor_name()
                manager = getattr(self, accessor, None)
                if manager is not None and hasattr(manager, "exists") and manager.exists():
                    return True
        return False


class CollaborationGroup(GuardedModel):
    """招商协作组 for one year: a group leader (a city leader), a lead unit and member units."""

    year = models.PositiveIntegerField(_("年度"))
    name = models.CharField(_("协作组"), max_length=50)
    leader_name = models.CharField(_("组长"), max_length=50)
    leader_title = models.CharField(_("组长职务"), max_length=100, blank=True)
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="led_groups", verbose_name=_("牵头单位")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "sort_order", "name"]
        verbose_name = _("招商协作组")
        verbose_name_plural = _("招商协作组")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="group_name_unique_per_year"),
        ]

    def __str__(self):
        return f"{self.year}年{self.name}"

    def get_absolute_url(self):
        return reverse("units:group_detail", args=[self.pk])


class GroupMembership(GuardedModel):
    """A unit's membership of a group in the group's year; at most one group per unit per year."""

    group = models.ForeignKey(
        CollaborationGroup, models.CASCADE, related_name="memberships", verbose_name=_("协作组")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="memberships", verbose_name=_("成员单位")
    )
    # Copied from the group so the database can enforce one group per unit per year.
    year = models.PositiveIntegerField(_("年度"), editable=False)
    # A membership is its own row, so joining or leaving a group is a 新建 or 删除 in its history.
    history = HistoricalRecords()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        ordering = ["group", "unit__sort_order", "unit__name"]
        verbose_name = _("协作组成员")
        verbose_name_plural = _("协作组成员")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_group_per_unit_per_year"),
        ]

    def __str__(self):
        return f"{self.group} · {self.unit}"

    def clean(self):
        if self.group_id and self.unit_id:
            clash = (
                GroupMembership.objects.filter(unit_id=self.unit_id, year=self.group.year)
                .exclude(pk=self.pk)
                .select_related("group")
                .first()
            )
            if clash:
                raise ValidationError(
                    _("%(unit)s 在 %(year)s 年已属于%(group)s，一个单位每年只能属于一个协作组。")
                    % {"unit": self.unit, "year": self.group.year, "group": clash.group.name}
                )

    def save(self, *args, **kwargs):
        self.year = self.group.year
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    UNIT_STAFF = "unit_staff", _("单位填报员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    COORDINATOR = "coordinator", _("协作组牵头单位")
    REVIEWER = "reviewer", _("考核办")
    LEADER = "leader", _("市领导")
    ADMIN = "admin", _("系统管理员")


UNIT_ROLES = {Role.UNIT_STAFF, Role.UNIT_HEAD, Role.COORDINATOR}


class User(AbstractUser):
    """A login with one role; unit roles are tied to a unit."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.UNIT_STAFF)
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属单位"),
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def clean(self):
        super().clean()
        if self.role in UNIT_ROLES and not self.unit_id:
            raise ValidationError({"unit": _("该角色必须指定所属单位。")})
