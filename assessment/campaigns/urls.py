"""Campaign (百日会战) URLs, mounted under /assessment/campaigns/ by assessment.urls."""

from django.urls import path

from assessment.campaigns import pages, views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/add/", views.CampaignEditView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignEditView.as_view(), name="campaign_edit"),
    path("campaigns/<int:pk>/targets/", views.campaign_targets, name="campaign_targets"),
    path("campaigns/<int:pk>/export/", views.campaign_export, name="campaign_export"),
]

# Issue 20 item 4: the campaign's own measures, 周报/旬报 and 《简报》 (assessment.campaigns.pages).
urlpatterns += [
    path("campaigns/<int:pk>/measures/", pages.campaign_measures, name="campaign_measures"),
    path(
        "campaigns/<int:pk>/measures/<int:measure>/delete/",
        pages.campaign_measure_delete,
        name="campaign_measure_delete",
    ),
    path(
        "campaigns/<int:pk>/measures/targets/",
        pages.campaign_measure_targets,
        name="campaign_measure_targets",
    ),
    path("campaigns/<int:pk>/reports/", pages.campaign_reports, name="campaign_reports"),
    path(
        "campaigns/<int:pk>/reports/<int:period>/",
        pages.campaign_report_edit,
        name="campaign_report_edit",
    ),
    path("campaigns/<int:pk>/briefs/<int:period>/", pages.campaign_brief, name="campaign_brief"),
    path(
        "campaigns/<int:pk>/briefs/<int:period>/export/",
        pages.campaign_brief_export,
        name="campaign_brief_export",
    ),
    path(
        "campaigns/<int:pk>/briefs/<int:period>/issue/",
        pages.campaign_brief_issue,
        name="campaign_brief_issue",
    ),
]
