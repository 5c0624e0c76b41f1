from django.urls import path, re_path

from . import account_views, evidence_views, views

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
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/split/", views.task_split, name="task_split"),
    path("tasks/<int:pk>/merge/", views.task_merge, name="task_merge"),
    path("tasks/<int:pk>/targets/", views.target_save, name="target_add"),
    path("tasks/<int:pk>/targets/<int:target_id>/", views.target_save, name="target_edit"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="assign"),
    path("tasks/<int:pk>/report/", views.task_report, name="report"),
    path("tasks/<int:pk>/request/", views.task_request, name="request"),
    path("tasks/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("tasks/<int:pk>/urge/", views.task_urge, name="urge"),
    path("tasks/<int:pk>/comment/", views.task_comment, name="comment"),
    path("assignments/<int:pk>/sign/", views.assignment_sign, name="sign"),
    path("requests/<int:pk>/review/", views.request_review, name="review"),
    path("account/password/", account_views.PasswordChange.as_view(), name="password"),
    path("account/password/done/", account_views.password_done, name="password_done"),
    path("account/", account_views.token_list, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", account_views.token_revoke, name="token_revoke"),
    re_path(r"^files/(?P<kind>report|request)/(?P<pk>[0-9]+)/$", evidence_views.download, name="evidence"),
]
