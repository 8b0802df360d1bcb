"""The Django admin for intermediary rewards: the superuser's tool, under the same rules as the
pages. The form asks the guard's rule first (`projects.rewards.guard.save_refusal`), so a paid
row or a publicised amount changed without a reason is refused with the guard's Chinese message
beside the field; the guard itself (GuardedModel.save) holds if the form did not ask. Change
records are append-only; rules are plain settings of a year."""

from django import forms
from django.contrib import admin

from projects.admin import AppendOnlyAdmin
from projects.models.rewards import Reward, RewardChange, RewardList, RewardRule, RewardStatus
from projects.rewards.guard import save_refusal
from zhaoshang.web.forms import GuardedModelForm


class RewardAdminForm(GuardedModelForm):
    class Meta:
        model = Reward
        fields = ["reward_list", "person", "funds", "computed_amount", "amount", "basis"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The instance already holds the posted values here (ModelForm's _post_clean runs
            # after clean), so build the would-be row from cleaned data.
            candidate = Reward(pk=self.instance.pk, reward_list_id=self.instance.reward_list_id)
            candidate.amount = cleaned.get("amount", self.instance.amount)
            message = save_refusal(candidate)
            if message:
                raise forms.ValidationError(message)
        return cleaned


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    form = RewardAdminForm
    list_display = ("person", "reward_list", "funds", "computed_amount", "amount", "status")
    list_filter = ("status",)
    raw_id_fields = ("person", "reward_list")
    readonly_fields = ("status",)
    search_fields = ("person__name",)


@admin.register(RewardList)
class RewardListAdmin(admin.ModelAdmin):
    list_display = ("year", "status", "publicity_start", "publicity_end", "paid_on", "document_no")
    readonly_fields = ("status",)

    # A paid list's record (who paid, when, 文号) is the payment's; it is read here, not edited.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == RewardStatus.PAID:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != RewardStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RewardRule)
class RewardRuleAdmin(admin.ModelAdmin):
    list_display = ("year", "rate", "project_cap", "person_cap", "minimum")


@admin.register(RewardChange)
class RewardChangeAdmin(AppendOnlyAdmin):
    list_display = ("created", "reward", "old_amount", "new_amount", "reason", "changed_by")
