"""Which channels a user receives, per kind: the settings page's grid of checkboxes.

The in-app list always receives everything (it is where the work is found); e-mail and the
group robot may be turned off per kind. A box left unticked is stored as an `OptOut` row.
"""

from django import forms
from django.db import transaction

from zhaoshang.notify.kinds import CHANNELS, KINDS
from zhaoshang.notify.models import OptOut
from zhaoshang.web.forms import GuardedForm


def field_name(kind, channel):
    return f"{kind}__{channel}"


class PreferenceForm(GuardedForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        off = set(OptOut.objects.filter(user=user).values_list("kind", "channel"))
        for kind, label in KINDS.items():
            for channel, channel_label in CHANNELS.items():
                self.fields[field_name(kind, channel)] = forms.BooleanField(
                    label=f"{label} · {channel_label}",
                    required=False,
                    initial=(kind, channel) not in off,
                )

    def rows(self):
        """(kind label, [bound field per channel]) for the template's table."""
        return [
            (label, [self[field_name(kind, channel)] for channel in CHANNELS])
            for kind, label in KINDS.items()
        ]

    @staticmethod
    def channel_labels():
        return list(CHANNELS.values())

    def save(self):
        off = [
            OptOut(user=self.user, kind=kind, channel=channel)
            for kind in KINDS
            for channel in CHANNELS
            if not self.cleaned_data[field_name(kind, channel)]
        ]
        with transaction.atomic():
            OptOut.objects.filter(user=self.user).delete()
            OptOut.objects.bulk_create(off)
