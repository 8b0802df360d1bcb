"""The office's pages for group robots (工作群机器人): list, add, edit, send a test message.

Only those who manage the organisation (考核办, the administrator) see or change robots: a
robot's address is a credential of the group chat, so it is shown to nobody else.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from units import access
from zhaoshang.notify import delivery
from zhaoshang.notify.models import Robot
from zhaoshang.web.forms import GuardedModelForm
from zhaoshang.web.generic import ObjectEditView

TEST_TEXT = "【测试消息】招商引资任务考核系统的消息推送已接通。"


class RobotForm(GuardedModelForm):
    class Meta:
        model = Robot
        fields = ["name", "robot_kind", "url", "secret", "unit", "group", "is_active"]


def robot_list(request):
    access.require(access.can_manage_organisation(request.user))
    robots = Robot.objects.select_related("unit", "group")
    return render(request, "notify/robot_list.html", {"robots": robots, "title": "工作群机器人"})


class RobotEditView(ObjectEditView):
    model = Robot
    form_class = RobotForm
    success_message = "工作群机器人已保存。"

    def get_object(self):
        if "pk" in self.kwargs:
            return get_object_or_404(Robot, pk=self.kwargs["pk"])
        return None

    def check_permission(self, obj):
        access.require(access.can_manage_organisation(self.request.user))

    def get_success_url(self):
        return self.object.get_absolute_url()


@require_POST
def robot_test(request, pk):
    """Queue a test message to the robot (sent in the background, so a slow robot never holds
    the page); whether it arrived is seen in the group chat, failures in the log."""
    access.require(access.can_manage_organisation(request.user))
    robot = get_object_or_404(Robot, pk=pk)
    delivery.queue_test(robot)
    messages.success(request, f"已向“{robot}”发送测试消息，请在工作群中查看。")
    return redirect("notify:robot_list")
