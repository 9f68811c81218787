"""Permission cases for every award URL. The officer persona owns the projects; other_officer does not.
Partner reviewers see nothing of awards (404), even on a project routed to their own bureau."""

from datetime import date

from django.utils import timezone

from awards import services
from projects.models import ReviewRequest, ReviewRound
from tests.awards.factories import INSTALMENT_POLICY, capital, landed_project
from tests.factories import bureau
from tests.url_matrix import UrlCase, staff_only

ANON = {"anon": 302}
# The owner's work (and any leader's); another officer and the back office may look but not act.
OWNER_POST = {**ANON, "officer": 302, "other_officer": 403, "leader": 302, "admin": 403, "reviewer": 404}
LEADER_POST = {**ANON, "officer": 403, "other_officer": 403, "leader": 302, "admin": 403, "reviewer": 404}


def _project(p):
    """The officer's funded project, routed to the reviewer's bureau (NDRC) for its review round."""
    project = landed_project(p["officer"])
    capital(project, p["officer"], wan=20000)
    review_round = ReviewRound.objects.create(project=project, number=1, opened_by=p["officer"])
    ReviewRequest.objects.create(round=review_round, bureau=bureau("ndrc"), requested_at=timezone.now(),
                                 due_on=date(2026, 12, 4))
    return project


def _application(p, *, approved=False):
    policy = services.award_policy_import(text=INSTALMENT_POLICY).policy
    application = services.award_application_create(project=_project(p), policy=policy, beneficiary="enterprise",
                                                     by=p["officer"], first_award_year=2025)
    if approved:
        services.award_application_submit(application=application, by=p["officer"])
        services.award_application_approve(application=application, by=p["leader"], today=date(2026, 11, 1))
        services.award_notices_close_sweep(today=date(2026, 11, 20))
    return application


def application(p):
    return {"pk": _application(p).pk}


def cancelled(p):
    app = _application(p, approved=True)
    first = app.instalments.order_by("number").first()
    services.instalment_confirm_condition(instalment=first, by=p["officer"], met_on=date(2026, 11, 21), note="核实")
    services.instalment_pay(instalment=first, by=p["leader"], paid_on=date(2026, 11, 22))
    services.award_application_cancel(application=app, by=p["leader"], reason="企业迁出")
    return {"pk": app.pk}


def instalment(p):
    return {"pk": _application(p, approved=True).instalments.order_by("number").first().pk}


def policy(p):
    return {"pk": services.award_policy_import(text=INSTALMENT_POLICY).policy.pk}


def project(p):
    return {"pk": _project(p).pk}


def own_project(p):
    landed_project(p["officer"])
    return {}


CASES = [
    UrlCase("awards:application_list", staff_only()),
    UrlCase("awards:calculator", staff_only()),
    UrlCase("awards:policy_list", staff_only()),
    UrlCase("awards:policy_export", staff_only(), policy),
    UrlCase("awards:application_create",
            {**ANON, "officer": 200, "other_officer": 403, "leader": 200, "admin": 403, "reviewer": 404},
            own_project),
    UrlCase("awards:application_detail", staff_only(), application),
    UrlCase("awards:application_export", staff_only(), application),
    UrlCase("awards:application_recompute", OWNER_POST, application, method="post", data=lambda p: {}),
    UrlCase("awards:application_transition", OWNER_POST, application, method="post",
            data=lambda p: {"to": "submitted"}, id="submit"),
    UrlCase("awards:application_transition", LEADER_POST, application, method="post",
            data=lambda p: {"to": "public_notice"}, id="approve"),
    UrlCase("awards:recovery_create", LEADER_POST, cancelled, method="post",
            data=lambda p: {"amount": "1.00", "decided_on": "2026-11-25", "reason": "追回"}),
    UrlCase("awards:instalment_condition", OWNER_POST, instalment, method="post",
            data=lambda p: {"met_on": "2026-11-21", "note": "核实进账单"}),
    UrlCase("awards:instalment_pay", LEADER_POST, instalment, method="post",
            data=lambda p: {"paid_on": "2026-11-21"}),
    UrlCase("awards:project_facts", staff_only(), project),
    UrlCase("awards:project_facts", OWNER_POST, project, method="post", id="enter-fact",
            data=lambda p: {"name": "rent", "year": "2025", "amount": "120", "unit": "万元",
                            "source": "租赁合同", "as_of": "2026-01-05"}),
]
