from django.urls import path

from . import web

app_name = "reports"
urlpatterns = [
    path("", web.index, name="index"),
    path("plans/<int:pk>/", web.plan_page, name="plan"),
    path("plans/<int:pk>/summary.docx", web.summary_docx, name="summary"),
    path("plans/<int:pk>/monthly.docx", web.monthly_docx, name="monthly"),
    path("compare/", web.compare_page, name="compare"),
]
