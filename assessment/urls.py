from django.urls import path

from assessment.campaigns.urls import urlpatterns as campaign_urlpatterns
from assessment.ledger.urls import urlpatterns as ledger_urlpatterns
from assessment.views import publish as views_publish
from assessment.views import ranking as views
from assessment.views import setup as views_setup

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report_latest, name="report_latest"),
    path("targets/", views.targets_latest, name="targets_latest"),
    path("<int:year>/q<int:quarter>/", views.ranking, name="ranking"),
    path("<int:year>/q<int:quarter>/report/", views.report, name="report"),
    path("<int:year>/q<int:quarter>/compute/", views.snapshot_compute, name="compute"),
    path("<int:year>/q<int:quarter>/publish/", views_publish.snapshot_publish, name="publish"),
    path("<int:year>/q<int:quarter>/unlock/", views.snapshot_unlock, name="unlock"),
    path("<int:year>/q<int:quarter>/diff/", views.snapshot_diff, name="diff"),
    path(
        "<int:year>/q<int:quarter>/units/<int:unit_id>/",
        views.unit_assessment,
        name="unit_assessment",
    ),
    path(
        "<int:year>/q<int:quarter>/units/<int:unit_id>/adjust/",
        views.adjustment_add,
        name="adjustment_add",
    ),
    path("years/", views_setup.year_list, name="year_list"),
    path("years/add/", views_setup.YearEditView.as_view(), name="year_add"),
    path("years/<int:year>/", views_setup.year_detail, name="year_detail"),
    path("years/<int:year>/edit/", views_setup.YearEditView.as_view(), name="year_edit"),
    path("years/<int:year>/unlock-rules/", views_setup.rules_unlock, name="rules_unlock"),
    path(
        "years/<int:year>/indicators/add/",
        views_setup.IndicatorEditView.as_view(),
        name="indicator_add",
    ),
    path(
        "years/<int:year>/indicators/<int:pk>/edit/",
        views_setup.IndicatorEditView.as_view(),
        name="indicator_edit",
    ),
    path("years/<int:year>/targets/", views_setup.target_grid, name="targets"),
    path(
        "years/<int:year>/targets/groups/",
        views_setup.target_grid,
        {"kind": "group"},
        name="group_targets",
    ),
]

urlpatterns += campaign_urlpatterns
urlpatterns += ledger_urlpatterns
