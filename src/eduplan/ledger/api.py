"""REST API: the same services and policy as the pages, token auth, OpenAPI via drf-spectacular."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from . import policy, services
from .api_schema import RefusalSerializer
from .checks import past_date_warning
from .models import Assignment, Org, Plan, ProgressReport, Request, Target, Task
from .policy import Denied
from .services import Conflict, Invalid


def exception_handler(exc, context):
    """Policy refusals are 403, stale versions 409, impossible requests 400: one line each."""
    if isinstance(exc, Denied):
        exc = PermissionDenied(str(exc))
    elif isinstance(exc, Invalid):
        exc = ValidationError({"detail": str(exc)})
    elif isinstance(exc, Conflict):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "indicator", "comparator", "value", "value_max", "unit", "deadline", "quote"]


class AssignmentSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "org", "org_name", "role", "status", "due_date", "signed_at"]
        read_only_fields = ["status", "signed_at"]


class AssignedSerializer(AssignmentSerializer):
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text="a date already past, a unit nobody can sign for")

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "warnings"]


class TaskSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "position", "number", "section", "title", "content", "source_quote", "status", "due_date",
                  "extension_count", "version", "targets", "assignments"]
        read_only_fields = ["plan", "position", "number", "source_quote", "status", "extension_count", "targets",
                            "assignments"]


class TaskEditSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=300, required=False)
    section = serializers.CharField(max_length=200, required=False, allow_blank=True)
    content = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)


class ReportSerializer(serializers.ModelSerializer):
    values = serializers.DictField(child=serializers.FloatField(), required=False, write_only=True,
                                   help_text="target id → current value")

    class Meta:
        model = ProgressReport
        fields = ["id", "task", "org", "period", "progress", "next_steps", "problems", "created_at", "values"]
        read_only_fields = ["task", "org", "created_at"]
        extra_kwargs = {"period": {"required": False, "help_text": "the month reported on (any day of it); "
                                                                  "this month when left out"}}


class RequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Request
        fields = ["id", "task", "kind", "status", "reason", "new_due_date", "new_content", "target_changes",
                  "requested_at", "review_note"]
        extra_kwargs = {"target_changes": {"help_text": "target id → {} (延期: its deadline moves to new_due_date) or "
                                                        "{value, value_max} (调整)"}}
        read_only_fields = ["task", "status", "requested_at", "review_note"]


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    org = serializers.PrimaryKeyRelatedField(queryset=Org.objects.filter(kind__in=["department", "district"]))
    role = serializers.ChoiceField(choices=Assignment.Role.choices)
    due_date = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True,
                                       help_text="the item's version the caller saw; 409 if it has moved on")


class TransferSerializer(serializers.Serializer):
    org = serializers.PrimaryKeyRelatedField(queryset=Org.objects.filter(kind__in=["department", "district"]))


class TargetEditSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["indicator", "comparator", "value", "value_max", "unit", "deadline"]


class PlanEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=2000, max_value=2100)


class UrgeSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TaskSerializer

    def get_queryset(self):
        return policy.visible_tasks(self.request.user).prefetch_related("targets", "assignments__org").order_by("id")

    @extend_schema(request=TaskEditSerializer, responses=TaskSerializer)
    def partial_update(self, request, pk=None):
        task = self.get_object()
        data = _valid(TaskEditSerializer, request.data)
        services.edit_task(request.user, task, data, data["version"])
        return Response(TaskSerializer(task).data)

    @extend_schema(request=AssignSerializer, responses={201: AssignedSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = _valid(AssignSerializer, request.data)
        assignment = services.assign(request.user, self.get_object(), data["org"], data["role"],
                                     data.get("due_date"), data.get("version"))
        warnings = [past_date_warning(_("交办时限"), assignment.due_date)]
        if not services.unit_accounts(data["org"]).exists():  # nobody could ever sign: say so, as the page does
            warnings.append(_("“%(org)s”还没有可登录的用户账号，无人能签收和报送：请管理员为该单位开设账号。") % {
                "org": data["org"].name})
        body = {**AssignmentSerializer(assignment).data, "warnings": [w for w in warnings if w]}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportSerializer, responses={201: ReportSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        data = _valid(ReportSerializer, request.data)
        values = {int(k): v for k, v in data.get("values", {}).items() if str(k).isdigit()}
        entry = services.report(request.user, self.get_object(), progress=data["progress"],
                                next_steps=data.get("next_steps", ""), problems=data.get("problems", ""),
                                values=values, period=data.get("period"))
        return Response(ReportSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RequestSerializer, responses={201: RequestSerializer})
    @action(detail=True, methods=["post"], url_path="request")
    def file_request(self, request, pk=None):
        data = _valid(RequestSerializer, request.data)
        entry = services.file_request(request.user, self.get_object(), data["kind"], data["reason"],
                                      new_due_date=data.get("new_due_date"), new_content=data.get("new_content", ""),
                                      target_changes=_target_changes(data.get("target_changes")))
        return Response(RequestSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TargetEditSerializer, responses={201: TargetSerializer})
    @action(detail=True, methods=["post"])
    def targets(self, request, pk=None):
        target = services.save_target(request.user, self.get_object(), None, _valid(TargetEditSerializer, request.data))
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UrgeSerializer, responses={200: UrgeSerializer})
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        data = _valid(UrgeSerializer, request.data)
        sent = services.urge(request.user, self.get_object(), data["text"])
        return Response({"text": f"sent {sent}"})


def _target_changes(changes) -> dict | None:
    """{target id: {field: value}} from JSON, whose keys are strings; anything else is refused by name."""
    if not changes:
        return None
    if not isinstance(changes, dict) or not all(str(k).isdigit() and isinstance(v, dict) for k, v in changes.items()):
        raise ValidationError({"target_changes": "须为 {目标编号: {value, value_max}} 的形式"})
    return {int(k): v for k, v in changes.items()}


class AssignmentViewSet(viewsets.GenericViewSet):
    serializer_class = AssignmentSerializer

    def get_queryset(self):
        return Assignment.objects.filter(task__in=policy.visible_tasks(self.request.user)).select_related("task", "org")

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        assignment = services.sign(request.user, self.get_object())
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        services.withdraw_assignment(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=TransferSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        data = _valid(TransferSerializer, request.data)
        assignment = services.transfer_assignment(request.user, self.get_object(), data["org"])
        return Response(AssignmentSerializer(assignment).data)


class TargetViewSet(viewsets.GenericViewSet):
    """A target of a visible item: changed (PATCH) or deleted, under the same rules as the pages."""

    serializer_class = TargetSerializer

    def get_queryset(self):
        return Target.objects.filter(task__in=policy.visible_tasks(self.request.user)).select_related("task")

    @extend_schema(request=TargetEditSerializer, responses=TargetSerializer)
    def partial_update(self, request, pk=None):
        target = self.get_object()
        serializer = TargetEditSerializer(target, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        target = services.save_target(request.user, target.task, target, serializer.validated_data)
        return Response(TargetSerializer(target).data)

    def destroy(self, request, pk=None):
        target = self.get_object()
        services.delete_target(request.user, target.task, target)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A progress report: its unit corrects (PATCH) or withdraws (DELETE) it while the item is open."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return ProgressReport.objects.filter(task__in=policy.visible_tasks(self.request.user)).select_related("task")

    @extend_schema(request=ReportSerializer, responses=ReportSerializer)
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = _valid(ReportSerializer, {"progress": entry.progress, **dict(request.data.items())})
        values = {int(k): v for k, v in data.get("values", {}).items() if str(k).isdigit()}
        entry = services.correct_report(request.user, entry, progress=data["progress"],
                                        next_steps=data.get("next_steps", entry.next_steps),
                                        problems=data.get("problems", entry.problems), values=values,
                                        period=data.get("period"))
        return Response(ReportSerializer(entry).data)

    def destroy(self, request, pk=None):
        services.withdraw_report(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- uploads: the same permission, checks and messages as the import pages ---------------------

class UploadSerializer(serializers.Serializer):
    """Only describes the multipart body for the schema: the file itself is checked by the pages' checks."""

    file = serializers.FileField()


class PlanSerializer(serializers.ModelSerializer):
    tasks = serializers.IntegerField(source="tasks.count", read_only=True)
    detail = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["id", "title", "year", "status", "source_name", "tasks", "detail", "warnings"]

    def get_detail(self, plan) -> str:
        from .views import plan_import_message

        return plan_import_message(plan)

    def get_warnings(self, plan) -> list[str]:
        from .views import plan_import_warnings

        return plan_import_warnings(plan)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    message = serializers.CharField()


class LedgerImportSerializer(serializers.Serializer):
    plan = serializers.IntegerField(allow_null=True, help_text="the draft plan's id; null when nothing was imported")
    rows = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    detail = serializers.CharField()


class LedgerImportRefusalSerializer(serializers.Serializer):
    """400: either every bad row (plan null, rows, errors, detail) or the file refused whole (detail only:
    no file, too large, not a workbook)."""

    plan = serializers.IntegerField(allow_null=True, required=False)
    rows = serializers.IntegerField(required=False)
    errors = RowErrorSerializer(many=True, required=False)
    detail = serializers.CharField()


class PlanImportView(APIView):
    """A plan file (txt, html, docx, pdf) in as multipart `file`: a draft plan, as the import page makes."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": UploadSerializer},
                   responses={201: PlanSerializer, 400: RefusalSerializer, 403: RefusalSerializer})
    def post(self, request):
        from .views import receive_plan

        plan = receive_plan(request.user, request.FILES.get("file"))
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class LedgerImportView(APIView):
    """A ledger .xlsx in as multipart `file`: every row as a draft plan (201), or none and every bad row (400)."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": UploadSerializer},
                   responses={201: LedgerImportSerializer, 400: LedgerImportRefusalSerializer,
                              403: RefusalSerializer})
    def post(self, request):
        from .views import ledger_import_message, receive_ledger

        report = receive_ledger(request.user, request.FILES.get("file"))
        body = LedgerImportSerializer({"plan": report.plan and report.plan.pk, "rows": report.rows, "errors": report.errors,
                                       "detail": ledger_import_message(report)}).data
        return Response(body, status=status.HTTP_201_CREATED if report.plan else status.HTTP_400_BAD_REQUEST)


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Plans: renamed (PATCH), archived or restored, unpublished, deleted, under the pages' rules."""

    serializer_class = PlanSerializer

    def get_queryset(self):
        return policy.visible_plans(self.request.user).order_by("id")

    @extend_schema(request=PlanEditSerializer)
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        data = _valid(PlanEditSerializer, {"title": plan.title, "year": plan.year, **dict(request.data.items())})
        return Response(PlanSerializer(services.rename_plan(request.user, plan, data["title"], data.get("year"))).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return Response(PlanSerializer(services.archive_plan(request.user, self.get_object(), True)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def unarchive(self, request, pk=None):
        return Response(PlanSerializer(services.archive_plan(request.user, self.get_object(), False)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return Response(PlanSerializer(services.unpublish_plan(request.user, self.get_object())).data)

    def destroy(self, request, pk=None):
        services.delete_plan(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RequestSerializer

    def get_queryset(self):
        return Request.objects.filter(task__in=policy.visible_tasks(self.request.user)).order_by("-id")

    @extend_schema(request=ReviewSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = _valid(ReviewSerializer, request.data)
        entry = services.review(request.user, self.get_object(), data["approve"], data["note"])
        return Response(RequestSerializer(entry).data)
