"""Ledger URLs (奖惩台账), mounted under /assessment/ by assessment.urls."""

from django.urls import path

from assessment.ledger import heads_views, views

urlpatterns = [
    path("ledger/", views.ledger_latest, name="ledger_latest"),
    path("years/<int:year>/ledger/", views.year_ledger, name="ledger_year"),
    path("years/<int:year>/ledger/generate/", views.year_generate, name="ledger_year_generate"),
    path("years/<int:year>/ledger/add/", views.decision_add, name="ledger_add"),
    path("campaigns/<int:pk>/ledger/", views.campaign_ledger, name="ledger_campaign"),
    path(
        "campaigns/<int:pk>/ledger/generate/",
        views.campaign_generate,
        name="ledger_campaign_generate",
    ),
    path("ledger/<int:pk>/", views.decision_detail, name="ledger_decision"),
    path("ledger/<int:pk>/confirm/", views.decision_confirm, name="ledger_confirm"),
    path("ledger/<int:pk>/withdraw/", views.decision_withdraw, name="ledger_withdraw"),
    # Heads in post (一把手任职, issue 20 item 2).
    path("units/<int:pk>/heads/", heads_views.unit_heads, name="unit_heads"),
    path("units/<int:pk>/heads/add/", heads_views.unit_head_add, name="unit_head_add"),
    path("heads/<int:pk>/edit/", heads_views.unit_head_edit, name="unit_head_edit"),
    path("heads/<int:pk>/end/", heads_views.unit_head_end, name="unit_head_end"),
]
