"""Twenty clients at once on one small ledger, in a process of its own so that it runs against the real
database settings (a file SQLite in WAL with IMMEDIATE transactions, or PostgreSQL), each client a thread with
its own connection. Prints what happened as JSON; tests/ledger/test_concurrency.py judges it.

    EDUPLAN_DATA_DIR=/tmp/x python tests/ledger/race.py          # SQLite file under /tmp/x
    DATABASE_URL=postgres://.../db python tests/ledger/race.py   # an empty PostgreSQL database
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eduplan.web.settings")
os.environ.setdefault("EDUPLAN_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from eduplan.ledger import services  # noqa: E402
from eduplan.ledger.models import Assignment, AuditEntry, Org, Plan, ProgressReport, Request, Task, User  # noqa: E402
from eduplan.ledger.tokens import issue  # noqa: E402

KINDS = [Request.Kind.CLOSE, Request.Kind.EXTEND, Request.Kind.ADJUST, Request.Kind.SUSPEND]


def seed() -> dict:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    bureau = Org.objects.create(kind=Org.Kind.BUREAU, code="B", name="市教育局")
    units = [
        Org.objects.create(kind=Org.Kind.DEPARTMENT, code=f"u{i}", name=f"处室{i}", parent=bureau)
        for i in range(6)
    ]
    offices = [User.objects.create_user(f"office{i}", role=User.Role.OFFICE, org=bureau) for i in range(8)]
    clerks = [
        User.objects.create_user(f"clerk{i}", role=User.Role.DEPARTMENT, org=units[i]) for i in range(6)
    ]
    plan = Plan.objects.create(title="并发计划", year=dt.date.today().year, status=Plan.Status.DRAFT)
    due = dt.date.today() + dt.timedelta(days=90)
    tasks = [
        Task.objects.create(plan=plan, position=i, title=f"事项{i}", content=f"内容{i}", due_date=due)
        for i in range(len(KINDS) + 2)
    ]
    services.publish_plan(offices[0], plan)
    tasks = list(plan.tasks.order_by("position"))
    for i, (task, kind) in enumerate(zip(tasks, KINDS, strict=False)):
        lead = services.assign(offices[0], task, units[i], Assignment.Role.LEAD)
        services.sign(clerks[i], lead)
        services.file_request(
            clerks[i],
            task,
            kind,
            "申请",
            new_due_date=due + dt.timedelta(days=30),
            new_content="调整后的内容",
        )
    reporting = tasks[-2]  # every clerk reports on it at once, each with a file
    for i, clerk in enumerate(clerks):
        services.sign(
            clerk,
            services.assign(
                offices[0], reporting, units[i], Assignment.Role.LEAD if i == 0 else Assignment.Role.COOPERATE
            ),
        )
    return {
        "offices": offices,
        "clerks": clerks,
        "units": units,
        "tasks": tasks,
        "reporting": reporting,
        "unassigned": tasks[-1],
    }


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue(user)[0]}")
    return client


def jobs(world: dict) -> list:
    """Twenty office clients on the four requests (approve / return / edit) and the unassigned item
    (four lead units at once), and six clerks uploading reports, all released together."""
    out = []
    offices = world["offices"]
    for n, task in enumerate(world["tasks"][: len(KINDS)]):
        request = task.requests.get()
        version = task.version
        out += [
            (
                "approve",
                task.pk,
                api_as(offices[(n + k) % 8]),
                f"/api/requests/{request.pk}/review/",
                {"approve": True},
            )
            for k in range(2)
        ]
        out += [
            (
                "return",
                task.pk,
                api_as(offices[(n + k + 2) % 8]),
                f"/api/requests/{request.pk}/review/",
                {"approve": False, "note": "退回"},
            )
            for k in range(2)
        ]
        out.append(
            (
                "edit",
                task.pk,
                api_as(offices[(n + 4) % 8]),
                f"/api/tasks/{task.pk}/",
                {"version": version, "content": f"督查室编辑{n}"},
            )
        )
    unassigned = world["unassigned"]
    out += [
        (
            "lead",
            unassigned.pk,
            api_as(offices[k]),
            f"/api/tasks/{unassigned.pk}/assign/",
            {"org": world["units"][k].pk, "role": "lead"},
        )
        for k in range(4)
    ]
    for clerk in world["clerks"]:
        client = Client()
        client.force_login(clerk)
        out.append(
            (
                "report",
                world["reporting"].pk,
                client,
                f"/tasks/{world['reporting'].pk}/report/",
                {
                    "progress": f"{clerk.username}的进展",
                    "attachment": SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 " + b"x" * 200_000),
                },
            )
        )
    return out


def run(work: list) -> list[dict]:
    barrier = threading.Barrier(len(work))
    results: list[dict] = [{} for _ in work]

    def one(index, kind, task_pk, client, url, data):
        try:
            barrier.wait()
            if kind == "edit":
                response = client.patch(url, data, format="json")
            elif kind == "report":
                response = client.post(url, data)
            else:
                response = client.post(url, data, format="json")
            results[index] = {
                "kind": kind,
                "task": task_pk,
                "status": response.status_code,
                "body": response.content.decode()[:300],
            }
        except Exception as error:  # a 500: the test client re-raises the view's exception
            results[index] = {"kind": kind, "task": task_pk, "status": 500, "body": repr(error)[:300]}
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i, *job)) for i, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def state(world: dict) -> dict:
    tasks = {}
    for task in Task.objects.filter(plan=world["tasks"][0].plan):
        tasks[task.pk] = {
            "status": task.status,
            "content": task.content,
            "due_date": str(task.due_date),
            "requests": [[r.kind, r.status] for r in task.requests.all()],
            "assignments": [[a.role, a.status] for a in task.assignments.all()],
            "reviews": AuditEntry.objects.filter(task=task, action__startswith="review-").count(),
            "edits": AuditEntry.objects.filter(task=task, action="edit").count(),
        }
    files = (
        [p for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []
    )
    stored = {r.attachment.name for r in ProgressReport.objects.exclude(attachment="")}
    return {
        "tasks": tasks,
        "reports": ProgressReport.objects.count(),
        "files": len(files),
        "orphans": len([p for p in files if str(p.relative_to(settings.MEDIA_ROOT)) not in stored]),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    world = seed()
    results = run(jobs(world))
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "clients": len(results),
                "results": results,
                "statuses": Counter(str(r.get("status")) for r in results),
                "state": state(world),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
