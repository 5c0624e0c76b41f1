from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.catalog_page, name="catalog"),
    path("import/", views.import_page, name="import"),
    path("template.xlsx", views.template_download, name="template"),
    path("links/<int:target_id>/", views.confirm_link_view, name="confirm_link"),
    path("assessments/<str:assessment_id>/", views.assessment_page, name="assessment"),
    path("assessments/<str:assessment_id>/report.docx", views.assessment_report, name="assessment_report"),
    path("fitness-pupils/<str:school_code>/", views.fitness_pupils_page, name="fitness_pupils"),
    path("<str:indicator_id>/", views.indicator_page, name="indicator"),
    path("<str:indicator_id>/trace/<str:unit_code>/", views.trace_page, name="trace"),
]
