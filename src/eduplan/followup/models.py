"""What the weekly 督办 work records beyond the ledger's own tables."""

from __future__ import annotations

from django.db import models

from eduplan.ledger.models import Comment, Org, Task, User


class ReminderRun(models.Model):
    """One daily reminder pass. The unique day is the claim: of all workers and servers sharing the database,
    the one whose insert succeeds sends that day's reminders; a restart finds the row and sends nothing."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    worker = models.CharField(max_length=64, blank=True)  # host:pid that ran it, for the operator

    class Meta:
        ordering = ["-day"]


class InstructionAnswer(models.Model):
    """A unit's answer to a leader's 批示 (a ledger Comment): how it acted on it. Until the lead unit answers,
    the 批示 stays 待落实."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="answers")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class CarryOver(models.Model):
    """An unfinished item of last year's plan carried into this year's: the new item points at the old one,
    whose history (reports, requests, audit trail) stays where it is."""

    new_task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="carried_from")
    old_task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="carried_to")
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)


class ScoreWeights(models.Model):
    """The office's 考核 weights (one row, the latest wins): points per share of items and deductions."""

    on_time_reports = models.FloatField(default=40)  # × share of months reported on time
    closed_on_time = models.FloatField(default=40)  # × share of due items closed by their deadline
    per_extension = models.FloatField(default=2)  # deducted per extension granted
    per_overdue_day = models.FloatField(default=0.1)  # deducted per day an item is overdue
    base = models.FloatField(default=20)
    set_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
