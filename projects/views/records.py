"""The edit view shared by the records a unit owns outright (leads, visits)."""

from django.shortcuts import get_object_or_404

from units import access
from zhaoshang.web.generic import ObjectEditView


class UnitRecordEditView(ObjectEditView):
    """Create or edit a record a unit owns (a lead, a visit): unit users create for their own
    unit; only the owning unit edits; records the user cannot read (by `model.objects.visible_to`)
    are 404."""

    def get_object(self):
        if "pk" in self.kwargs:
            return get_object_or_404(
                self.model.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return None

    def check_permission(self, obj):
        user = self.request.user
        if obj is None:
            access.require(access.is_unit_user(user) and access.editable_units(user).exists())
        else:
            access.require(access.can_edit_unit_data(user, obj.unit_id))
