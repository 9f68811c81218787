"""A property-based fuzz of the whole API schema (schemathesis), in-process against the WSGI app.

Every operation of /api/schema/ is called with generated parameters and bodies, as an officer and as a partner
reviewer, on a database holding a little of everything (leads, meetings, follow-ups, events, projects in review
with opinions and conditions, documents, talent requests, a complaint, an award application). No call may
answer 5xx, and every documented response must match the schema. Examples per operation are bounded
(API_FUZZ_EXAMPLES) and derandomised, so the run is repeatable and takes about a minute and a half;
API_FUZZ_MODES=positive,negative also sends input the schema forbids (every refusal must still be a 4xx).
"""

import os
from datetime import date, timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings

from awards import services as award_services
from crm.api.tokens import api_token_issue
from projects import services as project_services
from projects.choices import Outcome
from tests.aftercare.factories import register as register_complaint
from tests.awards.factories import INSTALMENT_POLICY, capital, landed_project
from tests.factories import ContactFactory, bureau
from tests.leads.factories import FollowUpFactory, LeadFactory, MeetingLogFactory, PromotionEventFactory
from tests.projects.factories import ProjectFactory, pdf

FUZZ_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))
# "positive" (valid input, the CI default) and/or "negative" (input the schema forbids), comma-separated.
FUZZ_MODES = [schemathesis.GenerationMode(mode.strip())
              for mode in os.environ.get("API_FUZZ_MODES", "positive").split(",")]


def _seed(officer, leader, reviewers):
    """A little of everything, owned by the fuzzing officer and routed partly to the fuzzing reviewer (NDRC)."""
    for _ in range(3):
        lead = LeadFactory(owner=officer, created_by=officer)
        ContactFactory(enterprise=lead.enterprise)
        meeting = MeetingLogFactory(lead=lead, created_by=officer)
        FollowUpFactory(lead=lead, meeting=meeting, due_on=timezone.localdate() + timedelta(days=3))
    PromotionEventFactory(created_by=officer)
    routed = ProjectFactory(owner=officer)
    review_round = project_services.review_round_open(project=routed, by=officer,
                                                      bureaus=[bureau("ndrc"), bureau("ecology")])
    ecology = review_round.requests.get(bureau__code="ecology")
    project_services.opinion_submit(
        request=ecology, by=reviewers["ecology"], outcome=Outcome.AGREE_WITH_CONDITIONS, reason="附条件同意",
        conditions=[project_services.ConditionInput("开工前取得环评批复", date(2027, 6, 30), "construction")])
    project_services.document_add(project=routed, by=officer, kind="material", file=pdf("可研报告.pdf"))
    project_services.talent_request_create(project=routed, by=officer, kind="settlement", people=3,
                                           description="高管落户")
    unrouted = ProjectFactory(owner=officer)
    project_services.review_round_open(project=unrouted, by=officer, bureaus=[bureau("market")])
    ProjectFactory(owner=leader)
    register_complaint(officer, code="ndrc")
    landed = landed_project(officer)
    capital(landed, officer, wan=20000)
    policy = award_services.award_policy_import(text=INSTALMENT_POLICY).policy
    award_services.award_application_create(project=landed, policy=policy, beneficiary="enterprise", by=officer,
                                            first_award_year=2025)


def _fuzz_operations(schema, authorization: str) -> list[str]:
    """Run every operation; return one line per operation that failed a check."""
    checks = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]
    failures = []
    for operation, mode in ((result.ok(), mode) for result in schema.get_all_operations() for mode in FUZZ_MODES):

        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(mode, headers={"Authorization": authorization}))
        def call(case):
            response = case.call()
            case.validate_response(response, checks=checks)

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # every failure is collected and reported together
            failures.append(f"{operation.label} ({mode.value}): {str(exc)[:600]}")
    return failures


@pytest.fixture
def wsgi_app():
    """The project's WSGI app, keeping the test's database connection open between requests.

    Django closes the connection when a request finishes; inside a test's transaction (PostgreSQL) that would
    end the test's data, so, as Django's own test client does, the close is unhooked while the fuzz runs.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_operation_answers_5xx_or_breaks_the_schema(wsgi_app, officer, leader, reviewer_factory, settings):
    settings.API_TOKEN_THROTTLE_RATE = "1000000/min"  # the fuzz is a burst from one token
    reviewers = {code: reviewer_factory(code) for code in ("ndrc", "ecology")}
    _seed(officer, leader, reviewers)
    failures = []
    for user in (officer, reviewers["ndrc"]):
        _token, key = api_token_issue(user=user, name="fuzz", by=None)
        authorization = f"Token {key}"
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app,
                                                headers={"Authorization": authorization})
        failures += [f"[{user.role}] {line}" for line in _fuzz_operations(schema, authorization)]
    assert not failures, "\n\n".join(failures)
