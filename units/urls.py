from django.urls import path

from units import subunit_views, views

app_name = "units"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/search/", views.unit_search, name="unit_search"),
    path("units/add/", views.UnitEditView.as_view(), name="unit_add"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/toggle-active/", views.unit_toggle_active, name="unit_toggle_active"),
    path("units/<int:pk>/subunits/", subunit_views.subunit_rollup, name="subunits"),
    path(
        "units/<int:pk>/subunits/<int:year>/targets/",
        subunit_views.subunit_targets,
        name="subunit_targets",
    ),
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/add/", views.GroupEditView.as_view(), name="group_add"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/q<int:quarter>/report/", views.group_report, name="group_report"),
    path("groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="group_edit"),
]
