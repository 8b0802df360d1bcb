"""Choosing persons (引资人, 包扶领导) with a search box, and registering them (issue 19)."""

from django import forms
from django.core.exceptions import ValidationError

from projects.models import Introducer, Person, PersonKind
from projects.persons import can_manage_all
from units import access
from units.models import Role, Unit, User
from units.search import UnitSearchSelect, use_unit_search
from zhaoshang.web.forms import BootstrapMixin, GuardedModelForm

NOT_CHOOSABLE = "所选人员不在可选范围内：只能选择本单位干部职工、市县领导或登记有效的中介人。"
NOT_A_LEADER = "包扶领导须从人员库的市县领导中选择。"


class PersonSearchSelect(UnitSearchSelect):
    """The unit search box's widget, asking the persons search (`persons:person_search`)."""

    url_name = "persons:person_search"
    placeholder = "输入姓名搜索人员库"
    empty_text = "人员库中没有匹配的人员"

    def __init__(self, scope="introducer", unit_id=None, attrs=None):
        super().__init__(scope=scope, attrs=attrs)
        self.unit_id = unit_id

    def search_url(self):
        url = super().search_url()
        return f"{url}&unit={self.unit_id}" if self.unit_id else url


def use_person_search(field, queryset, scope, unit_id=None, message=NOT_CHOOSABLE):
    field.queryset = queryset.select_related("unit")
    field.widget = PersonSearchSelect(scope=scope, unit_id=unit_id, attrs=field.widget.attrs)
    field.widget.choices = field.choices
    field.error_messages["invalid_choice"] = message
    field.label_from_instance = lambda person: person.label
    return field


def use_leader_search(form, name="sponsor_leader"):
    """A project form's 包扶领导 (or 分管领导, `deputy_leader`): an active 市县领导 of the registry
    (or the one already set)."""
    field = form.fields[name]
    keep = [getattr(form.instance, f"{name}_id", None)]
    leaders = Person.objects.choosable_for(None, kinds=[PersonKind.LEADER], keep=keep)
    message = NOT_A_LEADER.replace("包扶领导", str(field.label), 1)
    use_person_search(field, leaders, "leader", message=message)
    field.help_text = "从人员库的市县领导中选择；人员库中没有的，请联系考核办登记。"


class IntroducerForm(GuardedModelForm):
    """One 引资人 of a project: a person the project's unit may credit (`choosable_for`)."""

    class Meta:
        model = Introducer
        fields = ["person"]

    def __init__(self, *args, unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        keep = [self.instance.person_id] if self.instance.pk else []
        choosable = Person.objects.choosable_for(unit_id, keep=keep)
        use_person_search(self.fields["person"], choosable, "introducer", unit_id)


class PersonForm(BootstrapMixin, forms.ModelForm):
    """A person of the registry. The office registers anyone; a unit's users register their own
    unit's staff only (kind and unit fixed)."""

    class Meta:
        model = Person
        fields = [
            "name",
            "kind",
            "unit",
            "title",
            "user",
            "organisation",
            "contact",
            "registered_on",
            "status",
            "note",
        ]
        widgets = {"registered_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = can_manage_all(user)
        fields = self.fields
        if self.office:
            fields["unit"].queryset = Unit.objects.filter(is_active=True)
            use_unit_search(fields["unit"], scope="active")
            users = User.objects.filter(is_active=True)
        else:
            for name in ("kind", "unit", "registered_on"):
                del fields[name]
            self.instance.kind = PersonKind.STAFF
            self.instance.unit_id = user.unit_id
            users = User.objects.filter(unit_id=user.unit_id, is_active=True)
        taken = Person.objects.exclude(user=None).exclude(pk=self.instance.pk)
        fields["user"].queryset = users.exclude(pk__in=taken.values("user_id")).order_by("username")
        fields["user"].required = False
        fields["user"].help_text = "本人有系统账号的，选择其账号。"
        fields["name"].error_messages["required"] = "请填写姓名。"

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind", self.instance.kind)
        unit = cleaned["unit"] if "unit" in self.fields else self.instance.unit
        linked = cleaned.get("user")
        if kind == PersonKind.STAFF and unit is None:
            self.add_error("unit", "单位干部职工须选择所属单位。")
        if kind == PersonKind.INTERMEDIARY and unit is not None:
            self.add_error("unit", "中介人不属于任何单位：请清空所属单位，在“单位/机构”中填写。")
        if linked is not None and kind == PersonKind.STAFF and unit and linked.unit_id != unit.pk:
            self.add_error("user", f"所选账号不属于{unit}。")
        leader_account = linked is not None and access.role_of(linked) == Role.LEADER
        if linked is not None and kind == PersonKind.LEADER and not leader_account:
            self.add_error("user", "市县领导只能关联市领导账号。")
        if linked is not None and kind == PersonKind.INTERMEDIARY:
            self.add_error("user", "中介人不关联系统账号。")
        name = cleaned.get("name")
        if name and kind and not self.errors:
            twins = Person.objects.filter(kind=kind, name=name).exclude(pk=self.instance.pk)
            if kind == PersonKind.STAFF:
                twins = twins.filter(unit=unit)
            if twins.exists():
                raise ValidationError(
                    f"人员库中已有同名的{PersonKind(kind).label}“{name}”，请勿重复登记；"
                    "确为另一人的，请在姓名后注明以示区别，如“张伟（办公室）”。"
                )
        return cleaned
