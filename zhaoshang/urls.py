from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from units import views as unit_views

urlpatterns = [
    path("", unit_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("units.urls")),
    path("projects/", include("projects.urls")),
    path("persons/", include("projects.persons_urls")),
    path("review/", include("projects.review.urls")),
    path("assessment/", include("assessment.urls")),
    path("workbook/", include("assessment.workbooks.urls")),
    path("dashboard/", include("assessment.dashboard.urls")),
    path("jobs/", include("zhaoshang.jobs.urls")),
    path("notifications/", include("zhaoshang.notify.urls")),
]

admin.site.site_header = "招商引资任务考核 · 系统管理"
admin.site.site_title = "招商引资任务考核"

# Oversized and malformed requests get Chinese pages (413 and 400), not Django's English one.
handler400 = "zhaoshang.web.errors.bad_request"
# An unreachable or busy database is a 503 "系统维护中" page, not the generic 500.
handler500 = "zhaoshang.web.errors.server_error"
