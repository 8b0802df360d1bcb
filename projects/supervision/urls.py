"""督办 URLs, included by `projects.urls` under duban/ (names in the projects namespace)."""

from django.urls import path

from projects.supervision import views

urlpatterns = [
    path("", views.SupervisionListView.as_view(), name="duban_list"),
    path("<int:pk>/", views.detail, name="duban_detail"),
    path("<int:pk>/reply/", views.reply, name="duban_reply"),
    path("<int:pk>/close/", views.close, name="duban_close"),
    path("files/<int:pk>/", views.download, name="duban_file"),
    path("new/<str:target>/<int:pk>/", views.issue, name="duban_issue"),
]
