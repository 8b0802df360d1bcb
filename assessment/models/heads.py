"""Heads in post (一把手, issue 20 item 2): who led a unit, from when to when.

Decisions:
- a term names the person by name (and, where the registry has them, by Person); the title is
  the post (主要负责人 by default); an open term (no end) is the head now;
- one unit's terms never overlap (checked in `clean`, Chinese messages);
- escalation may follow the head (`AssessmentYear.escalation_follows_head`): the engine asks
  `head_on` for the head in post at each year's end (`assessment.engine.apply_escalation`);
- the ledger names the head in post on the day its figures stand for
  (`assessment.models.ledger.LedgerDecision.head`).

A term is guarded like every row a computation reads: its writes go through the guard, which
records the data change so cached rankings are recomputed.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Person
from units.models import Unit
from zhaoshang.guarded import GuardedModel, GuardedQuerySet


class UnitHeadQuerySet(GuardedQuerySet):
    def on(self, day):
        """Terms running on `day` (start ≤ day ≤ end, or no end)."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)


class UnitHead(GuardedModel):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="heads", verbose_name=_("单位"))
    name = models.CharField(_("姓名"), max_length=100, blank=True)
    person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="head_terms",
        verbose_name=_("人员库人员"),
    )
    title = models.CharField(_("职务"), max_length=50, default="主要负责人")
    start = models.DateField(_("任职开始日期"))
    end = models.DateField(_("任职结束日期"), null=True, blank=True, help_text=_("现任留空"))
    history = HistoricalRecords()

    objects = UnitHeadQuerySet.as_manager()
    # Not stored: the open term a new one replaces while it is being validated (see `clean`).
    replaces = None

    class Meta:
        ordering = ["unit", "-start"]
        verbose_name = _("单位主要负责人任职")
        verbose_name_plural = _("单位主要负责人任职")

    def __str__(self):
        until = f"{self.end:%Y-%m-%d}" if self.end else "今"
        return f"{self.unit} {self.display_name}（{self.title}，{self.start:%Y-%m-%d}至{until}）"

    @property
    def display_name(self):
        return self.name or (self.person.name if self.person_id else "")

    def covers(self, day):
        return self.start <= day and (self.end is None or day <= self.end)

    def clean(self):
        errors = {}
        if not (self.name or "").strip() and not self.person_id:
            errors["name"] = _("请填写负责人姓名或选择人员库中的人员。")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("任职结束日期不能早于开始日期。")
        if errors:
            raise ValidationError(errors)
        if self.unit_id is None or self.start is None:
            return
        others = UnitHead.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk)
        if self.replaces is not None:
            # The term this one takes over is ended the day before `start` in the same
            # transaction (the office's 结束现任任期, `assessment.ledger.heads_views`); ending a
            # term only shortens it, so it cannot clash with anything once it is ended.
            others = others.exclude(pk=self.replaces.pk)
        overlapping = others.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        if self.end is not None:
            overlapping = overlapping.filter(start__lte=self.end)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError(
                _("任职期间与%(other)s重叠，同一单位同一时间只能有一位主要负责人。")
                % {"other": clash}
            )


def head_on(terms, unit_id, day):
    """The term of `unit_id` running on `day` among `terms` (an iterable already loaded), or
    None: so a caller asking about many units and days reads the terms once."""
    for term in terms:
        if term.unit_id == unit_id and term.covers(day):
            return term
    return None
