"""Campaign (百日会战) URLs, mounted under /assessment/campaigns/ by assessment.urls."""

from django.urls import path

from assessment.campaigns import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/add/", views.CampaignEditView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignEditView.as_view(), name="campaign_edit"),
    path("campaigns/<int:pk>/targets/", views.campaign_targets, name="campaign_targets"),
    path("campaigns/<int:pk>/export/", views.campaign_export, name="campaign_export"),
]
