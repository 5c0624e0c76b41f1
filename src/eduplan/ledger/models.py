"""The ledger's data: organisations, users with roles, plans, tasks and everything hung on a task.

States live in fields; overdue and missing-report are computed (see lights.py), never stored.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eduplan.reader.numerals import plain

from .evidence import stored_name


def _keep_original_name(row, field: str, name_field: str) -> None:
    """A fresh upload's own name goes to `name_field`; the file itself is stored under a random one."""
    upload = getattr(row, field)
    if upload and not upload._committed:
        setattr(row, name_field, PurePath(upload.name.replace("\\", "/")).name[:255])


class Org(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("教育局")
        DEPARTMENT = "department", _("科室")
        DISTRICT = "district", _("区县")
        SCHOOL = "school", _("学校")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级单位"))

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = verbose_name_plural = _("单位")

    def __str__(self):
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        LEADER = "leader", _("局领导")
        OFFICE = "office", _("督查室")
        DEPARTMENT = "department", _("科室")
        DISTRICT = "district", _("区县")
        SCHOOL = "school", _("学校")
        ADMIN = "admin", _("管理员")

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.DEPARTMENT)
    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="users",
                            verbose_name=_("单位"))

    class Meta(AbstractUser.Meta):
        verbose_name = verbose_name_plural = _("用户")

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        password_changed = self._password is not None  # set_password() was called since the last save
        super().save(*args, **kwargs)
        if password_changed:
            # a new password ends every API token, as Django ends the web sessions (audit M7)
            self.api_tokens.all().delete()


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        ARCHIVED = "archived", _("已归档")  # kept whole, out of the ledger's, dashboard's and reports' views

    title = models.CharField(max_length=200)
    year = models.IntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    source_name = models.CharField(max_length=200, blank=True)
    source_text = models.TextField(blank=True)  # the cleaned source, shown beside the draft
    parse_json = models.JSONField(default=dict, blank=True)  # eduplan.parse/1 as read, kept verbatim
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Task(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("推进中")
        REVIEWING = "reviewing", _("审核中")
        CLOSED = "closed", _("已办结")
        SUSPENDED = "suspended", _("已中止")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    # 序号 as the plan numbers the item (一、（一）1.): the same for every user and filter; blank when the plan
    # gave none (an item split off in the draft), then the position stands in (see `label`).
    number = models.CharField(max_length=40, blank=True)
    section = models.CharField(max_length=200, blank=True)  # 重点任务: the heading above the item
    title = models.CharField(max_length=300)
    content = models.TextField(blank=True)  # 具体内容
    source_quote = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    due_date = models.DateField(null=True, blank=True)
    extension_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)  # optimistic lock: bumped by every edit

    class Meta:
        ordering = ["plan_id", "position", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.REVIEWING)

    @property
    def label(self) -> str:
        """The 序号 people quote ("第一、（一）1.项"): the plan's own number, else the item's place in its plan."""
        return self.number or str(self.position)


class Target(models.Model):
    class Comparator(models.TextChoices):
        AT_LEAST = ">=", "≥"
        AT_MOST = "<=", "≤"
        EQUAL = "=", "="
        ABOUT = "~", _("约")
        BETWEEN = "between", _("区间")
        INCREASE = "+", _("增加")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    quote = models.CharField(max_length=500, blank=True)
    indicator = models.CharField(max_length=200)
    comparator = models.CharField(max_length=8, choices=Comparator.choices, default=Comparator.AT_LEAST)
    value = models.FloatField()
    value_max = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.indicator} {self.get_comparator_display()} {self.figure}{self.unit}"

    @property
    def value_text(self) -> str:
        """The value as written (2437000000, 12, 2.5): never 1.2e+06, never 12.0."""
        return str(plain(self.value))

    @property
    def value_max_text(self) -> str:
        return "" if self.value_max is None else str(plain(self.value_max))

    @property
    def figure(self) -> str:
        """The value, or the range for "between" (2–3)."""
        return self.value_text if self.value_max is None else f"{self.value_text}–{self.value_max_text}"


class Assignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("牵头")
        COOPERATE = "cooperate", _("配合")

    class Status(models.TextChoices):
        PENDING = "pending", _("待签收")
        SIGNED = "signed", _("已签收")
        DONE = "done", _("已完成")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=16, choices=Role.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    due_date = models.DateField(null=True, blank=True)
    signed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    # when the unit was given the item: its reports are owed from then (lights.owes_report), and a past
    # month's 月报 names only the units given the item by that month's end
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-role", "id"]  # lead first
        constraints = [models.UniqueConstraint(fields=["task", "org"], name="one_assignment_per_org")]


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_date", "id"]


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    period = models.DateField()  # first day of the month reported on
    progress = models.TextField()  # 完成情况
    next_steps = models.TextField(blank=True)  # 下一步计划
    problems = models.TextField(blank=True)  # 存在问题
    attachment = models.FileField(upload_to=stored_name, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)  # as uploaded; the file's own is random
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "-id"]

    def save(self, *args, **kwargs):
        _keep_original_name(self, "attachment", "attachment_name")
        super().save(*args, **kwargs)


class TargetValue(models.Model):
    """The current value of one numeric target, as a report states it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    value = models.FloatField()


class Request(models.Model):
    class Kind(models.TextChoices):
        EXTEND = "extend", _("延期")
        CLOSE = "close", _("办结")
        SUSPEND = "suspend", _("中止")
        ADJUST = "adjust", _("调整")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已同意")
        RETURNED = "returned", _("已退回")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField()
    new_due_date = models.DateField(null=True, blank=True)  # 延期
    new_content = models.TextField(blank=True)  # 调整
    evidence = models.FileField(upload_to=stored_name, blank=True)  # 办结
    evidence_name = models.CharField(max_length=255, blank=True)  # as uploaded; the file's own is random
    prior_state = models.JSONField(default=dict)  # the item when the request was filed (history only)
    # what an approval changes in the item's targets, named on the request: {target id: {field: value}}
    target_changes = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def save(self, *args, **kwargs):
        _keep_original_name(self, "evidence", "evidence_name")
        super().save(*args, **kwargs)

    def target_change_lines(self) -> list[str]:
        """What approving changes in the item's targets, one line each, for the reviewer to read first."""
        targets = {str(t.pk): t for t in self.task.targets.all()}
        lines = []
        for key, change in (self.target_changes or {}).items():
            target = targets.get(key)
            if target is None:
                continue
            if "deadline" in change:
                lines.append(f"{target.indicator}：时限 {target.deadline or '—'} → {change['deadline']}")
            else:
                figure = plain(change.get("value", target.value))
                if change.get("value_max", target.value_max) is not None:
                    figure = f"{figure}–{plain(change.get('value_max', target.value_max))}"
                lines.append(f"{target.indicator}：{target.figure}{target.unit} → {figure}{target.unit}")
        return lines


class Comment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)


class Notice(models.Model):
    """催办 and other in-app notices; email copies go through Django's email backend."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)  # urge, due-7, due-3, overdue, digest
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read"])]


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit entries are never edited")

    def delete(self):
        raise PermissionError("audit entries are never deleted")


class AuditEntry(models.Model):
    """Who changed what, when, with the state before and after. Append-only."""

    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="audit")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="audit")
    # PROTECT: a user with entries is deactivated, never deleted (audit M8); the name is kept as it was then
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    action = models.CharField(_("操作"), max_length=64)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = _("操作记录")
        # A task's trail newest first, and a plan's plan-wide entries: index lookups however long the trail.
        indexes = [models.Index(fields=["task", "id"], name="audit_newest_of_task"),
                   models.Index(fields=["plan", "id"], condition=models.Q(task__isnull=True),
                                name="audit_newest_plan_wide")]

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for what differs: the page shows the change, not two whole snapshots."""
        before, after = self.before or {}, self.after or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            return [("", before, after)]
        keys = [k for k in after if before.get(k) != after.get(k)] + [k for k in before if k not in after]
        return [(key, before.get(key), after.get(key)) for key in keys]

    @property
    def sentence(self) -> str:
        """The entry in words: 基础教育处 签收 (audit_text.py)."""
        from .audit_text import sentence

        return sentence(self)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are never edited")
        if self.actor is not None and not self.actor_name:
            self.actor_name = self.actor.username
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are never deleted")


class SecurityEvent(models.Model):
    """Sign-ins, failed sign-ins, sign-outs and downloads of the ledger (audit M8). Append-only, and apart
    from AuditEntry: the ledger's page caches follow AuditEntry, and a sign-in changes no page."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # no constraint: a user without audit entries may still be deleted; the event keeps the name
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+")
    username = models.CharField(max_length=150, blank=True)  # kept when the user goes; as typed when failed
    address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=32)  # login, login-failed, login-locked, logout, export
    detail = models.CharField(max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "安全日志"
        indexes = [models.Index(fields=["action", "username", "at"], name="security_failures"),
                   models.Index(fields=["action", "address", "at"], name="security_failures_by_address")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("security events are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("security events are never deleted")


class LoginLockRelease(models.Model):
    """The administrator lifted a lockout: failures before `at` no longer count for that user or address."""

    at = models.DateTimeField(auto_now_add=True)
    username = models.CharField(max_length=150, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    released_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "登录锁定解除"


class ApiToken(models.Model):
    """An API token: only its SHA-256 is stored (the key is shown once), it expires, its user lists and
    revokes it, and a new password revokes them all (audit M7)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # the key's first characters, to tell tokens apart in the list
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class WarningWindow(models.Model):
    """The office's warning window: how many days before its deadline an open item turns yellow. One row per
    change, the latest wins, so the setting's history stays beside the audit trail's entry for it."""

    days = models.PositiveSmallIntegerField(_("预警天数"))
    set_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = _("预警天数")
