from django.urls import path

from assessment.workbooks import views

app_name = "workbook"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("template/", views.template_download, name="template"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("year/<int:year>/", views.year_download, name="year_export"),
    path("ranking/<int:year>/<int:quarter>/", views.ranking_download, name="ranking"),
]
