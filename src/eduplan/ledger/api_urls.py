from django.urls import path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .api import (
    AssignmentViewSet,
    LedgerImportView,
    PlanImportView,
    PlanViewSet,
    ReportViewSet,
    RequestViewSet,
    TargetViewSet,
    TaskViewSet,
)
from .tokens import TokenView


@extend_schema(exclude=True)
class SchemaView(SpectacularAPIView):
    """The schema describes the ledger, not itself (its own `lang` and `format` knobs are no part of the API)."""


router = DefaultRouter()
router.register("tasks", TaskViewSet, basename="task")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("requests", RequestViewSet, basename="request")
router.register("targets", TargetViewSet, basename="target")
router.register("reports", ReportViewSet, basename="report")
router.register("plans", PlanViewSet, basename="plan")

urlpatterns = [
    path("token/", TokenView.as_view(), name="api-token"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("plans/import/", PlanImportView.as_view(), name="api-plan-import"),
    path("ledger/import/", LedgerImportView.as_view(), name="api-ledger-import"),
    *router.urls,
]
