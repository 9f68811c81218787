"""Permission cases for every project URL: each role × routed (a request to the reviewer's bureau, NDRC)
and unrouted projects. The officer persona owns the projects; other_officer does not."""

from projects import services
from projects.choices import DocumentKind
from tests.factories import bureau
from tests.projects.factories import ProjectFactory, pdf
from tests.url_matrix import UrlCase, staff_only

ANON = {"anon": 302}
# A page of the project's owner: owner and leaders work on it; another officer and the back office may
# look at the project but not change it (403); a reviewer never reaches a working page (404).
OWNER_PAGE = {**ANON, "officer": 200, "other_officer": 403, "leader": 200, "admin": 403, "reviewer": 404}
OWNER_POST = {**OWNER_PAGE, "officer": 302, "leader": 302}


def _project(p, routed_to=("ndrc", "ecology")):
    project = ProjectFactory(owner=p["officer"])
    if routed_to:
        services.review_round_open(project=project, by=p["officer"], bureaus=[bureau(c) for c in routed_to])
    return project


def routed(p):
    return {"pk": _project(p).pk}


def unrouted(p):
    return {"pk": _project(p, routed_to=("ecology",)).pk}


def never_routed(p):
    return {"pk": _project(p, routed_to=()).pk}


def _request(p, code, routed_to=("ndrc", "ecology")):
    return {"pk": _project(p, routed_to).review_rounds.get().requests.get(bureau__code=code).pk}


def _document(p, kind, routed_to=("ndrc", "ecology")):
    project = _project(p, routed_to)
    if kind == DocumentKind.CONTRACT:
        from datetime import date

        from projects.models import Milestone

        milestone = Milestone.objects.create(project=project, kind="contract", date=date(2026, 11, 1),
                                             contract_amount_wan=1000, recorded_by=p["officer"])
        return {"pk": services.document_add(project=project, by=p["officer"], kind=kind, file=pdf("合同.pdf"),
                                            milestone=milestone).pk}
    return {"pk": services.document_add(project=project, by=p["officer"], kind=kind, file=pdf()).pk}


def _condition(p):
    from datetime import date

    project = _project(p, routed_to=("ndrc",))
    request = project.review_rounds.get().requests.get()
    reviewer = request.bureau.users.first()
    services.opinion_submit(request=request, by=reviewer, outcome="agree_conditions", reason="条件",
                            conditions=[services.ConditionInput("环评", date(2027, 1, 1), "construction")])
    return {"pk": project.conditions.get().pk}


def _talent(p):
    project = _project(p, routed_to=("ndrc",))
    return {"pk": services.talent_request_create(project=project, by=p["officer"], kind="settlement", people=3,
                                                 description="高管落户").pk}


def _lead(p):
    from tests.leads.factories import LeadFactory

    return {"lead_pk": LeadFactory(owner=p["officer"]).pk}


STAFF_SEE = {**ANON, "officer": 200, "other_officer": 200, "leader": 200, "admin": 200}
NOT_REVIEWER = {**ANON, "officer": 404, "other_officer": 404, "leader": 404, "admin": 404}

CASES = [
    UrlCase("projects:project_list", staff_only()),
    UrlCase("projects:project_export", staff_only()),
    UrlCase("projects:project_create", {**staff_only(), "admin": 403}),
    UrlCase("projects:project_create_from_lead", OWNER_PAGE, _lead),
    UrlCase("projects:pipeline_board", staff_only()),
    UrlCase("projects:overdue_reviews", staff_only()),
    UrlCase("projects:my_reviews", {**NOT_REVIEWER, "reviewer": 200}),
    UrlCase("projects:project_detail", {**STAFF_SEE, "reviewer": 302}, routed, id="detail-routed"),
    UrlCase("projects:project_detail", {**STAFF_SEE, "reviewer": 404}, unrouted, id="detail-unrouted"),
    UrlCase("projects:project_edit", OWNER_PAGE, routed, id="edit-routed"),
    UrlCase("projects:project_edit", OWNER_PAGE, unrouted, id="edit-unrouted"),
    UrlCase("projects:project_stage", OWNER_POST, never_routed, method="post",
            data=lambda p: {"to": "paused", "reason": "投资方暂缓"}),
    UrlCase("projects:project_stage", OWNER_POST, routed, method="post", id="stage-routed",
            data=lambda p: {"to": "paused", "reason": "投资方暂缓"}),
    UrlCase("projects:round_open", OWNER_PAGE, never_routed),
    UrlCase("projects:round_open", OWNER_PAGE, routed, id="round-open-routed"),
    UrlCase("projects:milestone_record", OWNER_PAGE, lambda p: {**routed(p), "kind": "contract"}),
    UrlCase("projects:capital_create", OWNER_PAGE, routed),
    UrlCase("projects:talent_request_create", OWNER_PAGE, routed),
    UrlCase("projects:document_upload", OWNER_POST, routed, method="post", data=lambda p: {"title": "x"}),
    UrlCase("projects:condition_resolve", OWNER_POST, _condition, method="post",
            data=lambda p: {"action": "close", "resolution": "已完成"}),
    UrlCase("projects:document_download", {**STAFF_SEE, "reviewer": 200},
            lambda p: _document(p, DocumentKind.MATERIAL), id="material-routed"),
    UrlCase("projects:document_download", {**STAFF_SEE, "reviewer": 404},
            lambda p: _document(p, DocumentKind.MATERIAL, routed_to=("ecology",)), id="material-unrouted"),
    UrlCase("projects:document_download", {**STAFF_SEE, "reviewer": 404},
            lambda p: _document(p, DocumentKind.CONTRACT), id="contract-routed"),
    UrlCase("projects:review_request_detail", {**STAFF_SEE, "reviewer": 200}, lambda p: _request(p, "ndrc"),
            id="request-own-bureau"),
    UrlCase("projects:review_request_detail", {**STAFF_SEE, "reviewer": 404}, lambda p: _request(p, "ecology"),
            id="request-other-bureau"),
    UrlCase("projects:opinion_submit", {**ANON, "officer": 403, "other_officer": 403, "leader": 403, "admin": 403,
                                        "reviewer": 302},
            lambda p: _request(p, "ndrc"), method="post", data=lambda p: {"outcome": "agree"}, id="opinion-own"),
    UrlCase("projects:opinion_submit", {"reviewer": 404}, lambda p: _request(p, "ecology"), method="post",
            data=lambda p: {"outcome": "agree"}, id="opinion-other-bureau"),
    UrlCase("projects:request_return_material", {**OWNER_POST, "reviewer": 404}, lambda p: _request(p, "ndrc"),
            method="post", data=lambda p: {"note": "补充"}),
    UrlCase("projects:talent_request_answer", {**ANON, "officer": 403, "other_officer": 403, "leader": 403,
                                               "admin": 403, "reviewer": 404}, _talent),
]
