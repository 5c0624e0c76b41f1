from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("todo/", views.todo_page, name="todo"),
    path("todo/panel/", views.todo_panel, name="todo_panel"),
    path("instructions/<int:pk>/answer/", views.answer_instruction, name="answer"),
    path("circular/", views.circular_page, name="circular"),
    path("circular/circular.docx", views.circular_docx, name="circular_docx"),
    path("circular/circular.xlsx", views.circular_xlsx, name="circular_xlsx"),
    path("circular/units/<int:org_id>/", views.unit_statistics, name="unit"),
    path("tasks/<int:pk>/duban.docx", views.duban_docx, name="duban"),
    path("tasks/<int:pk>/cuiban.docx", views.cuiban_docx, name="cuiban"),
    path("bulk/", views.bulk_page, name="bulk"),
    path("plans/<int:pk>/carry/", views.carry_page, name="carry"),
    path("scores/", views.scores_page, name="scores"),
    path("scores/scores.xlsx", views.scores_xlsx, name="scores_xlsx"),
]
