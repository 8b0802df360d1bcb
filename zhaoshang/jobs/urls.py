from django.urls import path

from zhaoshang.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/errors/", views.job_errors, name="errors"),
    path("<int:pk>/download/", views.job_download, name="download"),
]
