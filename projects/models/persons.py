"""The registry of persons (人员库, issue 19): who is credited with introducing a project (引资人)
and who sponsors it (包扶领导).

Free text per project made one person several (孙强 four times in 十佳引资功臣) and could not tell
a unit's own staff from an outside intermediary. A person is one of three kinds:

- 单位干部职工: a unit's staff — "不管是干部还是职工，不管是在编人员还是聘用人员" — tied to their
  unit, and to their login where they have one;
- 市县领导: a city or county leader (包扶领导), tied to their leader account where they have one;
  a county leader may name their county as unit;
- 中介人: an outside intermediary, with their organisation, contact, registration date and status.

Persons are deactivated (停用), never deleted once credited: an introduction PROTECTs its person,
as a project PROTECTs its unit. A 停用 person stays on the projects already credited to them but is
not offered for new ones.

Who may choose whom (`choosable_for`): on a project, its responsible unit's own staff, every
active intermediary and every active leader — never another unit's staff. Who may read the
registry (`visible_to`): the office, leaders and admins read everyone; a unit's users read their
own unit's staff (a coordinator also their member units'), the intermediaries and the leaders.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units import access
from units.models import Unit


class PersonKind(models.TextChoices):
    STAFF = "staff", _("单位干部职工")
    LEADER = "leader", _("市县领导")
    INTERMEDIARY = "intermediary", _("中介人")


# 十佳引资功臣's switch: 内部 are the units' own people (staff, leaders), 外部 the intermediaries.
INTERNAL_KINDS = (PersonKind.STAFF, PersonKind.LEADER)
EXTERNAL_KINDS = (PersonKind.INTERMEDIARY,)


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    INACTIVE = "inactive", _("停用")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Persons the user may read (see the module docstring)."""
        if access.sees_everything(user):
            return self
        if not access.is_unit_user(user) or not user.unit_id:
            return self.none()
        return self.filter(access.visible_unit_filter(user) | ~Q(kind=PersonKind.STAFF))

    def choosable_for(self, unit_id, kinds=None, keep=()):
        """Active persons a project of `unit_id` may credit: its own staff, intermediaries and
        leaders (`kinds` narrows them); `keep` (ids) are kept whatever their state, so a row
        already credited to a since-deactivated person still validates."""
        allowed = (Q(kind=PersonKind.STAFF) & Q(unit_id=unit_id)) | ~Q(kind=PersonKind.STAFF)
        if kinds is not None:
            allowed &= Q(kind__in=kinds)
        chosen = Q(pk__in=[pk for pk in keep if pk])
        return self.filter((allowed & Q(status=PersonStatus.ACTIVE)) | chosen)

    def search(self, query):
        """Persons whose name, organisation or contact contains `query`."""
        query = (query or "").strip()
        if not query:
            return self
        found = Q(name__icontains=query) | Q(organisation__icontains=query)
        return self.filter(found | Q(contact__icontains=query))


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=100)
    kind = models.CharField(_("身份"), max_length=20, choices=PersonKind.choices)
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("所属单位"),
        help_text=_("单位干部职工必填；县领导可填所在县区；中介人不填。"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("系统账号"),
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    organisation = models.CharField(_("单位/机构"), max_length=200, blank=True)
    contact = models.CharField(_("联系方式"), max_length=50, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员库")
        indexes = [models.Index(fields=["kind", "unit", "name"], name="person_kind_unit_name")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """「孙强（甲县招商局）」: the name with what tells two namesakes apart."""
        extra = self.title if self.kind == PersonKind.LEADER else ""
        if self.kind == PersonKind.STAFF and self.unit_id:
            extra = self.unit.name
        elif self.kind == PersonKind.INTERMEDIARY:
            extra = self.organisation or "中介人"
        return f"{self.name}（{extra}）" if extra else self.name

    @property
    def is_internal(self):
        return self.kind in INTERNAL_KINDS

    def get_absolute_url(self):
        return reverse("persons:person_detail", args=[self.pk])
