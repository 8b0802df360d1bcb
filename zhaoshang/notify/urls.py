from django.urls import path

from zhaoshang.notify import robots, views

app_name = "notify"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("settings/", views.preferences, name="settings"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("robots/", robots.robot_list, name="robot_list"),
    path("robots/add/", robots.RobotEditView.as_view(), name="robot_add"),
    path("robots/<int:pk>/edit/", robots.RobotEditView.as_view(), name="robot_edit"),
    path("robots/<int:pk>/test/", robots.robot_test, name="robot_test"),
]
