from django.urls import path

from assessment.dashboard import views as dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.index, name="index"),
    path("structure/", dashboard_views.structure, name="structure"),
    path("forecast/", dashboard_views.forecast, name="forecast"),
    path("contributors/", dashboard_views.contributors, name="contributors"),
]
