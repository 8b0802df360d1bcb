from django.urls import path

from projects.views import persons as views

app_name = "persons"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("add/", views.PersonEditView.as_view(), name="person_add"),
    path("search/", views.person_search, name="person_search"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
]
