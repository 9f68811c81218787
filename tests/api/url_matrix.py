from tests.factories import ContactFactory, EnterpriseFactory
from tests.url_matrix import UrlCase


def api_staff(ok=200):
    """An API resource of the bureau: 401 without credentials; reviewers see an empty list or 404."""
    return {"anon": 401, "officer": ok, "other_officer": ok, "leader": ok, "admin": ok, "reviewer": ok}


def _enterprise(p):
    return {"pk": EnterpriseFactory().pk}


def _contact(p):
    return {"pk": ContactFactory().pk}


def _bureau(p):
    from crm.models import Bureau

    return {"pk": Bureau.objects.get(code="ndrc").pk}


def _industry(p):
    from crm.models import Industry

    return {"pk": Industry.objects.get(code="I").pk}


EVERYONE = {"anon": 401, "officer": 200, "leader": 200, "admin": 200, "reviewer": 200}

CASES = [
    UrlCase("api:api-root", EVERYONE),
    UrlCase("api:schema", EVERYONE),
    UrlCase("api:docs", EVERYONE),
    UrlCase("api:enterprise-list", api_staff()),
    UrlCase("api:enterprise-detail", {**api_staff(), "reviewer": 404}, _enterprise),
    UrlCase("api:contact-list", api_staff()),
    UrlCase("api:contact-detail", {**api_staff(), "reviewer": 404}, _contact),
    UrlCase("api:bureau-list", EVERYONE),
    UrlCase("api:bureau-detail", EVERYONE, _bureau),
    UrlCase("api:industry-list", EVERYONE),
    UrlCase("api:industry-detail", EVERYONE, _industry),
]


# --- leads and projects ------------------------------------------------------------------------------------
# The story, as on the pages: `officer` owns the records made here; `other_officer` sees them but may not change
# them (403); the leader changes everything; the administrator only reads (403 on every change); the partner
# reviewer (NDRC) sees nothing of the bureau's leads (empty lists, 404) and, of projects, only what is routed to
# the NDRC. Each action has a visible and, where a reviewer may act, an invisible case.

def _staff_records(ok=200):
    """Bureau records: reviewers get an empty list, or 404 for a record."""
    return {**api_staff(ok), "reviewer": 404}


OWNER_ACTION = {"anon": 401, "officer": 200, "other_officer": 403, "leader": 200, "admin": 403, "reviewer": 404}
OWNER_CREATE = {**OWNER_ACTION, "officer": 201, "leader": 201}
WORKER_CREATE = {"anon": 401, "officer": 201, "other_officer": 201, "leader": 201, "admin": 403, "reviewer": 403}
LEADER_ACTION = {**OWNER_ACTION, "officer": 403}
# A reviewer's own action on a request routed to their bureau; the bureau's people may look but not answer.
REVIEWER_ACTION = {"anon": 401, "officer": 403, "other_officer": 403, "leader": 403, "admin": 403, "reviewer": 201}
INVISIBLE_TO_REVIEWER = {"reviewer": 404}


def _lead(p):
    from tests.leads.factories import LeadFactory

    return {"pk": LeadFactory(owner=p["officer"]).pk}


def _meeting(p):
    from tests.leads.factories import LeadFactory, MeetingLogFactory

    return {"pk": MeetingLogFactory(lead=LeadFactory(owner=p["officer"]), created_by=p["officer"]).pk}


def _follow_up(p):
    from tests.leads.factories import FollowUpFactory, LeadFactory

    return {"pk": FollowUpFactory(lead=LeadFactory(owner=p["officer"])).pk}


def _event(p):
    from tests.leads.factories import PromotionEventFactory

    return {"pk": PromotionEventFactory(created_by=p["officer"]).pk}


def _introducer(p):
    from leads.models import Introducer

    return {"pk": Introducer.objects.create(name="海南招商顾问有限公司").pk}


def _new_lead(p):
    return {"enterprise": EnterpriseFactory().pk, "title": "区域总部", "source": "prospecting"}


def _new_meeting(p):
    from tests.leads.factories import LeadFactory

    return {"lead": LeadFactory(owner=p["officer"]).pk, "kind": "visit", "occurred_at": "2026-11-02T10:00:00+08:00",
            "discussion": "介绍产业政策"}


def _future(days=5):
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _project(p, routed_to=("ndrc", "ecology")):
    from projects import services
    from tests.factories import bureau
    from tests.projects.factories import ProjectFactory

    project = ProjectFactory(owner=p["officer"])
    if routed_to:
        services.review_round_open(project=project, by=p["officer"], bureaus=[bureau(c) for c in routed_to])
    return project


def _project_pk(p):
    return {"pk": _project(p).pk}


def _negotiating_project(p):
    return {"pk": _project(p, routed_to=()).pk}


def _request(p, code="ndrc", routed_to=("ndrc", "ecology"), outcome=None):
    """A request of `code`'s bureau; answered by the persona reviewer (NDRC) with `outcome` when given."""
    from projects import services

    request = _project(p, routed_to).review_rounds.get().requests.get(bureau__code=code)
    if outcome:
        services.opinion_submit(request=request, by=p["reviewer"], outcome=outcome,
                                reason="" if outcome == "agree" else "需补充用地材料")
    return request


def _cleared_project(p):
    """Routed only to the NDRC, which agreed: the contract can be recorded."""
    return {"pk": _request(p, routed_to=("ndrc",), outcome="agree").round.project_id}


def _opinion(p, routed_to=("ndrc", "ecology"), code="ndrc"):
    from projects import services
    from tests.factories import UserFactory, bureau

    request = _project(p, routed_to).review_rounds.get().requests.get(bureau__code=code)
    by = p["reviewer"] if code == "ndrc" else UserFactory(role="reviewer", bureau=bureau(code))
    return {"pk": services.opinion_submit(request=request, by=by, outcome="agree").pk}


def _condition(p):
    from datetime import date

    from projects import services

    request = _request(p, routed_to=("ndrc",))
    opinion = services.opinion_submit(request=request, by=p["reviewer"], outcome="agree_conditions", reason="条件",
                                      conditions=[services.ConditionInput("补充环评批复", date(2026, 12, 31),
                                                                          "construction")])
    return {"pk": opinion.conditions.get().pk}


def _talent_request(p):
    from projects import services

    project = _project(p)
    return {"pk": services.talent_request_create(project=project, by=p["officer"], kind="settlement", people=3,
                                                 description="高管落户").pk}


def _document(p, kind="material", routed_to=("ndrc", "ecology")):
    from datetime import date

    from projects import services
    from projects.models import Milestone
    from tests.projects.factories import pdf

    project = _project(p, routed_to)
    links = {}
    if kind == "contract":
        links["milestone"] = Milestone.objects.create(project=project, kind="contract", date=date(2026, 11, 1),
                                                      contract_amount_wan=1000, recorded_by=p["officer"])
    return {"pk": services.document_add(project=project, by=p["officer"], kind=kind, file=pdf(), **links).pk}


def _new_project(p):
    enterprise = EnterpriseFactory()
    return {"enterprise": enterprise.pk, "name": "热带水果深加工", "industry": enterprise.industry_id,
            "total_investment_wan": "20000", "fixed_asset_investment_wan": "15000", "land_mu": "40"}


def _contract(p):
    from tests.projects.factories import pdf

    return {"kind": "contract", "date": "2026-11-20", "contract_amount_wan": "18000", "contract_file": pdf()}


def _upload(p):
    from tests.projects.factories import pdf

    return {"file": pdf(), "title": "可行性研究报告"}


CASES += [
    UrlCase("api:lead-list", api_staff()),
    UrlCase("api:lead-list", WORKER_CREATE, method="post", data=_new_lead, id="api:lead-create"),
    UrlCase("api:lead-detail", _staff_records(), _lead),
    UrlCase("api:lead-status", OWNER_ACTION, _lead, "post", lambda p: {"to": "following"}),
    UrlCase("api:lead-assessment", OWNER_ACTION, _lead, "post", lambda p: {"assessment": "真实意向，规模可信"}),
    UrlCase("api:lead-reassign", LEADER_ACTION, _lead, "post", lambda p: {"owner": p["other_officer"].pk}),
    UrlCase("api:meeting-list", api_staff()),
    UrlCase("api:meeting-list", {**OWNER_CREATE, "reviewer": 403}, method="post", data=_new_meeting,
            id="api:meeting-create"),
    UrlCase("api:meeting-detail", _staff_records(), _meeting),
    UrlCase("api:follow-up-list", api_staff()),
    UrlCase("api:follow-up-detail", _staff_records(), _follow_up),
    UrlCase("api:follow-up-done", OWNER_ACTION, _follow_up, "post", lambda p: {"note": "已发送"}),
    UrlCase("api:follow-up-cancel", OWNER_ACTION, _follow_up, "post", lambda p: {"note": "企业不再需要"}),
    UrlCase("api:follow-up-reschedule", OWNER_ACTION, _follow_up, "post", lambda p: {"due_on": _future()}),
    UrlCase("api:event-list", api_staff()),
    UrlCase("api:event-list", WORKER_CREATE, method="post", id="api:event-create",
            data=lambda p: {"name": "深圳招商推介会", "kind": "promotion", "starts_on": "2026-12-01",
                            "ends_on": "2026-12-02"}),
    UrlCase("api:event-detail", _staff_records(), _event),
    UrlCase("api:introducer-list", api_staff()),
    UrlCase("api:introducer-list", WORKER_CREATE, method="post", id="api:introducer-create",
            data=lambda p: {"name": "张引荐", "kind": "person"}),
    UrlCase("api:introducer-detail", _staff_records(), _introducer),
    # Projects: a reviewer reads routed projects through their requests only.
    UrlCase("api:project-list", api_staff()),
    UrlCase("api:project-list", WORKER_CREATE, method="post", data=_new_project, id="api:project-create"),
    UrlCase("api:project-detail", _staff_records(), _project_pk),
    UrlCase("api:project-stage", OWNER_ACTION, _project_pk, "post", lambda p: {"to": "paused", "reason": "融资调整"}),
    UrlCase("api:project-open-round", OWNER_CREATE, _negotiating_project, "post", lambda p: {"note": "请会签"}),
    UrlCase("api:project-record-milestone", OWNER_CREATE, _cleared_project, "post", _contract),
    UrlCase("api:project-record-capital", OWNER_CREATE, _project_pk, "post",
            lambda p: {"kind": "domestic", "date": "2026-11-01", "amount_wan": "3000"}),
    UrlCase("api:project-add-talent-request", OWNER_CREATE, _project_pk, "post",
            lambda p: {"kind": "settlement", "people": 3, "description": "高管落户"}),
    UrlCase("api:project-add-document", OWNER_CREATE, _project_pk, "post", _upload),
    UrlCase("api:review-request-list", EVERYONE),
    UrlCase("api:review-request-detail", EVERYONE, lambda p: {"pk": _request(p).pk}, id="request-routed"),
    UrlCase("api:review-request-detail", INVISIBLE_TO_REVIEWER, lambda p: {"pk": _request(p, "ecology").pk},
            id="request-of-another-bureau"),
    UrlCase("api:review-request-answer", REVIEWER_ACTION, lambda p: {"pk": _request(p).pk}, "post",
            lambda p: {"outcome": "agree"}, id="answer-routed"),
    UrlCase("api:review-request-answer", INVISIBLE_TO_REVIEWER,
            lambda p: {"pk": _request(p, "ecology", routed_to=("ecology",)).pk}, "post",
            lambda p: {"outcome": "agree"}, id="answer-unrouted"),
    UrlCase("api:review-request-amend", REVIEWER_ACTION, lambda p: {"pk": _request(p, outcome="disagree").pk},
            "post", lambda p: {"outcome": "agree", "reason": "补充材料后同意"}, id="amend-routed"),
    UrlCase("api:review-request-amend", INVISIBLE_TO_REVIEWER, lambda p: {"pk": _request(p, "ecology").pk},
            "post", lambda p: {"outcome": "agree", "reason": "同意"}, id="amend-another-bureau"),
    UrlCase("api:review-request-return-material", OWNER_ACTION,
            lambda p: {"pk": _request(p, outcome="needs_material").pk}, "post", lambda p: {"note": "已补充用地红线图"}),
    UrlCase("api:opinion-list", EVERYONE),
    UrlCase("api:opinion-detail", EVERYONE, _opinion, id="opinion-in-own-round"),
    UrlCase("api:opinion-detail", INVISIBLE_TO_REVIEWER,
            lambda p: _opinion(p, routed_to=("ecology",), code="ecology"), id="opinion-in-unrouted-round"),
    UrlCase("api:condition-list", api_staff()),
    UrlCase("api:condition-detail", _staff_records(), _condition),
    UrlCase("api:condition-close", OWNER_ACTION, _condition, "post", lambda p: {"resolution": "已取得环评批复"}),
    UrlCase("api:condition-waive", LEADER_ACTION, _condition, "post", lambda p: {"resolution": "经局务会研究豁免"}),
    UrlCase("api:talent-request-list", EVERYONE),
    UrlCase("api:talent-request-detail", _staff_records(), _talent_request),
    UrlCase("api:talent-request-answer", {**REVIEWER_ACTION, "reviewer": 404}, _talent_request, "post",
            lambda p: {"status": "granted", "answer": "已办理"}, id="talent-answer-not-talent-bureau"),
    UrlCase("api:document-list", EVERYONE),
    UrlCase("api:document-detail", EVERYONE, _document, id="material-routed"),
    UrlCase("api:document-detail", INVISIBLE_TO_REVIEWER, lambda p: _document(p, routed_to=("ecology",)),
            id="material-unrouted"),
    UrlCase("api:document-download", EVERYONE, _document, id="download-routed"),
    UrlCase("api:document-download", INVISIBLE_TO_REVIEWER, lambda p: _document(p, "contract"),
            id="download-contract"),
]


# --- aftercare complaints and statistics -----------------------------------------------------------------
# A complaint routed to the NDRC is answered by its reviewer; the officer in charge closes and reopens it.

def _complaint(p, code="ndrc", satisfaction=None):
    from aftercare import services
    from tests.aftercare.factories import register

    complaint = register(p["officer"], code=code)
    if satisfaction:
        services.complaint_answer(complaint=complaint, by=p["reviewer"], answer="已办理备案")
        services.complaint_close(complaint=complaint, by=p["officer"], satisfaction=satisfaction)
    return {"pk": complaint.pk}


def _answered_complaint(p):
    from aftercare import services
    from tests.aftercare.factories import register

    complaint = register(p["officer"], code="ndrc")
    services.complaint_answer(complaint=complaint, by=p["reviewer"], answer="已办理备案")
    return {"pk": complaint.pk}


REVIEWER_ANSWERS = {**REVIEWER_ACTION, "reviewer": 200}
HANDLER_ACTION = {**OWNER_ACTION, "reviewer": 403}  # the reviewer sees a complaint routed to them, not more

CASES += [
    UrlCase("api:complaint-answer", REVIEWER_ANSWERS, _complaint, "post", lambda p: {"answer": "已办结"},
            id="complaint-answer-routed"),
    UrlCase("api:complaint-answer", INVISIBLE_TO_REVIEWER, lambda p: _complaint(p, code="ecology"), "post",
            lambda p: {"answer": "已办结"}, id="complaint-answer-unrouted"),
    UrlCase("api:complaint-close", HANDLER_ACTION, _answered_complaint, "post",
            lambda p: {"satisfaction": "satisfied"}),
    UrlCase("api:complaint-reopen", HANDLER_ACTION, lambda p: _complaint(p, satisfaction="dissatisfied"), "post",
            lambda p: {"reason": "企业仍不满意"}),
    UrlCase("api:statistics-list", _staff_records()),
    UrlCase("api:statistics-turnaround", {"anon": 401, "officer": 404, "leader": 404, "admin": 404, "reviewer": 200}),
]


# --- incentive awards --------------------------------------------------------------------------------------
# Officers prepare and submit for their own projects; only leaders decide; reviewers see nothing of awards.

def _award_application(p, submitted=False):
    from awards import services
    from tests.awards.factories import INSTALMENT_POLICY, capital, landed_project

    project = landed_project(p["officer"])
    capital(project, p["officer"], wan=20000)
    policy = services.award_policy_import(text=INSTALMENT_POLICY).policy
    application = services.award_application_create(project=project, policy=policy, beneficiary="enterprise",
                                                     by=p["officer"], first_award_year=2025)
    if submitted:
        services.award_application_submit(application=application, by=p["officer"])
    return {"pk": application.pk}


def _award_policy(p):
    from awards.models import AwardPolicy

    return {"pk": AwardPolicy.objects.filter(is_current=True).first().pk}


def _new_award_application(p):
    from awards import services
    from tests.awards.factories import INSTALMENT_POLICY, capital, landed_project

    project = landed_project(p["officer"])
    capital(project, p["officer"], wan=20000)
    policy = services.award_policy_import(text=INSTALMENT_POLICY).policy
    return {"project": project.pk, "policy": policy.pk, "beneficiary": "enterprise", "first_award_year": 2025}


CASES += [
    UrlCase("api:award-policy-list", api_staff()),
    UrlCase("api:award-policy-detail", _staff_records(), _award_policy),
    UrlCase("api:award-application-list", api_staff()),
    # The officer prepares for their own project, the leader for any; another officer (with no project of their
    # own), the back office and reviewers may not prepare at all (403), as on the pages.
    UrlCase("api:award-application-list", {**OWNER_CREATE, "reviewer": 403}, method="post",
            data=_new_award_application, id="api:award-application-create"),
    UrlCase("api:award-application-detail", _staff_records(), _award_application),
    UrlCase("api:award-application-submit", OWNER_ACTION, _award_application, "post"),
    UrlCase("api:award-application-approve", LEADER_ACTION, lambda p: _award_application(p, submitted=True),
            "post"),
    UrlCase("api:award-application-reject", LEADER_ACTION, lambda p: _award_application(p, submitted=True),
            "post", lambda p: {"reason": "不符合申报条件"}),
    UrlCase("api:award-application-send-back", LEADER_ACTION, lambda p: _award_application(p, submitted=True),
            "post", lambda p: {"reason": "请补充到位资金凭证"}),
]
