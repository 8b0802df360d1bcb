"""The persons registry pages (issue 19): the list (/persons/), a person's page with the projects
credited to them and sponsored by them, registering and editing, and the search behind the
引资人/包扶领导 boxes. Scoping: `Person.visible_to`; who may change whom: `projects.persons`."""

from django.db.models import Count
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from assessment.dashboard.structure import credited_figures
from assessment.dashboard.views import StructureForm
from projects import persons as rules
from projects import rewards
from projects.filtersets import PersonFilterSet
from projects.forms.persons import PersonForm
from projects.models import Person, Project
from projects.tables import PersonTable
from units import access
from zhaoshang.web.generic import ObjectDetailView, ObjectEditView, ObjectListView


class PersonListView(ObjectListView):
    template_name = "persons/person_list.html"
    table_class = PersonTable
    filterset_class = PersonFilterSet
    title = "人员库"
    add_url = "persons:person_add"

    def can_add(self):
        return rules.can_add_person(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if rewards.can_read(self.request.user):
            context["reward_year"] = rewards.link_year()
        return context

    def get_base_queryset(self):
        return (
            Person.objects.visible_to(self.request.user)
            .select_related("unit", "user")
            .annotate(introduced=Count("introductions", distinct=True))
        )


class PersonDetailView(ObjectDetailView):
    template_name = "persons/person_detail.html"

    def get_base_queryset(self):
        return Person.objects.visible_to(self.request.user).select_related("unit", "user")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.object
        form = StructureForm(user, self.request.GET or None, only_year=True)
        year = form.filters()["year"]
        visible = Project.objects.visible_to(user)
        figures = credited_figures(user, year, person_ids=[person.pk]).get(person.pk, {})
        introduced = list(
            visible.filter(introducers__person=person).select_related("unit").order_by("-created")
        )
        for project in introduced:
            project.credited = figures.get(project.pk)
        context.update(
            form=form,
            year=year,
            introduced=introduced,
            contracted=sum((f[0] for f in figures.values()), 0),
            funds=sum((f[1] for f in figures.values()), 0),
            sponsored=visible.filter(sponsor_leader=person).select_related("unit"),
            can_edit=rules.can_edit_person(user, person),
            title=person.label,
        )
        context["total"] = context["contracted"] + context["funds"]
        return context


class PersonEditView(ObjectEditView):
    model = Person
    form_class = PersonForm
    success_message = "人员信息已保存。"

    def check_permission(self, obj):
        user = self.request.user
        if obj is None:
            access.require(rules.can_add_person(user))
            return
        if not Person.objects.visible_to(user).filter(pk=obj.pk).exists():
            raise Http404
        access.require(rules.can_edit_person(user, obj))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


@require_GET
def person_search(request):
    """Persons matching `q` for a 引资人/包扶领导 box (JSON, at most 20): `scope` is the purpose
    (`projects.persons.PURPOSES`), `unit` the project's unit whose staff may be credited."""
    purpose = request.GET.get("scope", "introducer")
    if purpose not in rules.PURPOSES:
        purpose = "introducer"
    unit = request.GET.get("unit", "")
    unit_id = int(unit) if unit.isascii() and unit.isdigit() and len(unit) < 10 else None
    found = rules.search_persons(request.user, request.GET.get("q", ""), purpose, unit_id)
    return JsonResponse({"results": [{"id": pk, "text": label} for pk, label in found]})
