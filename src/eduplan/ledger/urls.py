from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_list, name="list"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("import-ledger/", views.import_ledger_view, name="import_ledger"),
    path("notices/", views.notices, name="notices"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/import/", views.plan_import, name="plan_import"),
    path("plans/<int:pk>/", views.plan_draft, name="plan"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/rename/", views.plan_rename, name="plan_rename"),
    path("plans/<int:pk>/archive/", views.plan_archive, name="plan_archive"),
    path("plans/<int:pk>/unpublish/", views.plan_unpublish, name="plan_unpublish"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/split/", views.task_split, name="task_split"),
    path("tasks/<int:pk>/merge/", views.task_merge, name="task_merge"),
    path("tasks/<int:pk>/targets/", views.target_save, name="target_add"),
    path("tasks/<int:pk>/targets/<int:target_id>/", views.target_save, name="target_edit"),
    path("tasks/<int:pk>/targets/<int:target_id>/delete/", views.target_delete, name="target_delete"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="assign"),
    path("tasks/<int:pk>/report/", views.task_report, name="report"),
    path("tasks/<int:pk>/request/", views.task_request, name="request"),
    path("tasks/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("tasks/<int:pk>/urge/", views.task_urge, name="urge"),
    path("tasks/<int:pk>/comment/", views.task_comment, name="comment"),
    path("assignments/<int:pk>/sign/", views.assignment_sign, name="sign"),
    path("assignments/<int:pk>/withdraw/", views.assignment_withdraw, name="withdraw"),
    path("assignments/<int:pk>/transfer/", views.assignment_transfer, name="transfer"),
    path("progress/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("progress/<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("requests/<int:pk>/review/", views.request_review, name="review"),
]
