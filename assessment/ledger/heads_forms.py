"""Forms of the heads-in-post pages (一把手任职, issue 20 item 2): every bad input is a Chinese
message and nothing is saved. The rules — a name or a registry person, end ≥ start, no overlap
within the unit — are the model's (`UnitHead.clean`), run by the model form."""

import datetime

from django import forms
from django.db.models import Q

from assessment.ledger.forms import DATE_WIDGET
from assessment.models import UnitHead
from projects.models import Person
from zhaoshang.web.forms import BootstrapMixin


def _date_errors(label):
    return {"required": f"请填写{label}。", "invalid": f"{label}格式应为 YYYY-MM-DD。"}


class HeadForm(BootstrapMixin, forms.ModelForm):
    """Add (with `replacing` offered) or edit one term of `unit`."""

    close_current = forms.BooleanField(
        label="同时结束现任的任期（结束日期为新任开始日期的前一天）", required=False
    )

    class Meta:
        model = UnitHead
        fields = ["name", "person", "title", "start", "end"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}
        error_messages = {
            "start": _date_errors("任职开始日期"),
            "end": {"invalid": "任职结束日期格式应为 YYYY-MM-DD。"},
            "title": {"required": "请填写职务。", "max_length": "职务不能超过 50 个字。"},
            "name": {"max_length": "姓名不能超过 100 个字。"},
            "person": {"invalid_choice": "人员无效。"},
        }

    def __init__(self, *args, unit, current=None, **kwargs):
        """`current`: the unit's open term a new one may replace (None when editing, or when
        the unit has no head in post — then the option is not offered)."""
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        self.current = current
        # The unit's own cadres, and the person already named (who may have moved since).
        persons = Q(unit=unit)
        if self.instance.person_id:
            persons |= Q(pk=self.instance.person_id)
        self.fields["person"].queryset = Person.objects.filter(persons).order_by("name", "pk")
        self.fields["person"].empty_label = "（不从人员库选择）"
        self.fields["name"].help_text = "填写姓名，或从本单位人员库中选择"
        if current is None:
            del self.fields["close_current"]
        else:
            self.fields["close_current"].help_text = f"现任：{current}"

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start")
        if cleaned.get("close_current") and start:
            if start <= self.current.start:
                self.add_error(
                    "start",
                    f"新任开始日期须晚于现任{self.current.display_name}的任职开始日期"
                    f"（{self.current.start:%Y-%m-%d}）。",
                )
            else:
                # The model's overlap check then leaves the replaced term out (`UnitHead.clean`).
                self.instance.replaces = self.current
        return cleaned

    def save_term(self):
        """Save the term and, when it replaces the head in post, end that term the day before —
        in the caller's transaction."""
        term = self.save(commit=False)
        if term.replaces is not None:
            ended = term.replaces
            ended.end = term.start - datetime.timedelta(days=1)
            ended.full_clean()
            ended.save()
        term.save()
        return term


class EndTermForm(BootstrapMixin, forms.Form):
    end = forms.DateField(
        label="任职结束日期", widget=DATE_WIDGET, error_messages=_date_errors("任职结束日期")
    )
