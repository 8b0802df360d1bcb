from django.urls import path

from zhaoshang.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("settings/", views.preferences, name="settings"),
    path("<int:pk>/", views.open_notification, name="open"),
]
