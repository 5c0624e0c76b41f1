"""schemathesis against the OpenAPI schema, bounded to a few examples per operation: no 500 anywhere."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from eduplan.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def office_token(plan, users):
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=users["office"])[0].key


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, office_token):
    response = case.call(headers={"Authorization": f"Token {office_token}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
