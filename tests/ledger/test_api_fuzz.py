"""schemathesis against the OpenAPI schema, bounded to a few examples per operation: no 500 anywhere."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from eduplan.web.wsgi import application


def _schema():
    """The schema as /api/schema/ serves it; generated here, since that URL now needs a signed-in user."""
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    data = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(data)
    loaded.app = application
    return loaded


schema = _schema()


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_finished, which would close the test's own database
    connection (PostgreSQL); Django's test client disconnects the same handlers for the same reason."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def office_token(plan, users, keep_test_connection):
    from eduplan.ledger.tokens import issue

    return issue(users["office"])[0]


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, office_token):
    response = case.call(headers={"Authorization": f"Token {office_token}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
