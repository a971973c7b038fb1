"""Schemathesis fuzzes every operation of the API with valid and invalid input, as a comp admin and as a rep: never
a server error, and every answer (errors included) with a status and a body the OpenAPI schema declares.

Requests go to the WSGI app in this process, inside the test's transaction (so Django must not close the
connection at the end of each request, as its test client arranges too).
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from tests import portal_world
from tests.api_world import bearer

pytestmark = pytest.mark.django_db
world = portal_world.world
EXAMPLES = 10  # per operation, role and kind of input (valid, invalid): about 1,000 requests in all
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def app():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["compadmin", "ada"])
def test_every_operation_answers_as_declared_whatever_it_is_sent(world, app, role):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    headers = bearer(role, "fuzz")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    answers: Counter = Counter()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation.as_strategy(generation_mode=mode), headers, answers)
    print(role, sorted(answers.items()))
    # the token works: many requests were answered (a rep's are mostly 404: other people's ids, random ids)
    assert answers[200] > len(operations), answers
    labels = {operation.label for operation in operations}
    assert {"GET /api/disputes", "GET /api/disputes/{dispute_id}", "GET /api/disputes/{dispute_id}/attachment",
            "POST /api/disputes", "POST /api/disputes/{dispute_id}/comments", "POST /api/disputes/{dispute_id}/review",
            "POST /api/disputes/{dispute_id}/resolve", "POST /api/disputes/{dispute_id}/reject",
            "GET /api/results/{earning_id}/lineage"} <= labels


def fuzz(cases, headers: dict, answers: Counter) -> None:
    @given(case=cases)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def one(case) -> None:
        answers[case.call_and_validate(headers=headers, checks=CHECKS).status_code] += 1

    one()
