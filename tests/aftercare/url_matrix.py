"""Permission cases for every aftercare URL (see tests/url_matrix.py)."""

from datetime import date

from aftercare import services
from aftercare.choices import CheckResult, Satisfaction
from crm.choices import EnterpriseKind
from tests.aftercare.factories import KeyEnterpriseFactory, OrganisationFactory, register
from tests.factories import ContactFactory, EnterpriseFactory
from tests.url_matrix import UrlCase, staff_only

# Pages where the bureau works: officers and leaders; administrators look but do not change (403).
WORKERS = {"anon": 302, "officer": 200, "other_officer": 200, "leader": 200, "admin": 403, "reviewer": 404}
LEADER_ONLY = {"anon": 302, "officer": 403, "other_officer": 403, "leader": 200, "admin": 403, "reviewer": 404}
# Complaint pages the routed bureau's reviewer (NDRC) also reads.
WITH_REVIEWER = {**staff_only(), "reviewer": 200}


def _key(p):
    return {"pk": KeyEnterpriseFactory(officer=p["officer"], designated_by=p["leader"]).pk}


def _enterprise(p):
    return {"enterprise_pk": ContactFactory().enterprise.pk}


def _complaint(p, code="ndrc"):
    return register(p["officer"], code=code)


def _answered(p):
    complaint = _complaint(p)
    services.complaint_answer(complaint=complaint, by=p["reviewer"], answer="已办理")
    return complaint


def _closed_dissatisfied(p):
    complaint = _answered(p)
    services.complaint_close(complaint=complaint, by=p["officer"], satisfaction=Satisfaction.DISSATISFIED)
    return complaint


def _foreign(p):
    return {"pk": EnterpriseFactory(kind=EnterpriseKind.FOREIGN, origin_country="新加坡").pk}


def _check_with_follow_up(p):
    enterprise = EnterpriseFactory(kind=EnterpriseKind.FOREIGN)
    check = services.compliance_check_record(
        by=p["officer"], enterprise=enterprise, year=2025, checked_on=date(2026, 3, 2), result=CheckResult.RECTIFY,
        findings="外资信息报告逾期", follow_up="督促补报", follow_up_due=date(2026, 4, 30))
    return {"pk": check.pk}


def _organisation(p):
    return {"pk": OrganisationFactory().pk}


CASES = [
    UrlCase("aftercare:key_list", staff_only()),
    UrlCase("aftercare:key_export", staff_only()),
    UrlCase("aftercare:key_designate", LEADER_ONLY),
    UrlCase("aftercare:key_edit", LEADER_ONLY, _key),
    UrlCase("aftercare:key_end", {**LEADER_ONLY, "leader": 302}, _key, method="post"),
    UrlCase("aftercare:visit_create", WORKERS, _enterprise),
    UrlCase("aftercare:complaint_list", WITH_REVIEWER),
    UrlCase("aftercare:complaint_export", WITH_REVIEWER),
    UrlCase("aftercare:complaint_create", WORKERS),
    UrlCase("aftercare:complaint_overview", staff_only()),
    UrlCase("aftercare:complaint_detail", WITH_REVIEWER, lambda p: {"pk": _complaint(p).pk}),
    UrlCase("aftercare:complaint_detail", staff_only(), lambda p: {"pk": _complaint(p, "talent").pk},
            id="complaint_detail-other-bureau"),
    # Only the routed bureau answers: everyone else who can see it is refused with a 403 naming that bureau.
    UrlCase("aftercare:complaint_answer",
            {"anon": 302, "officer": 403, "other_officer": 403, "leader": 403, "admin": 403, "reviewer": 302},
            lambda p: {"pk": _complaint(p).pk}, method="post", data=lambda p: {"answer": "已办理"}),
    UrlCase("aftercare:complaint_close",
            {"anon": 302, "officer": 302, "other_officer": 403, "leader": 302, "admin": 403, "reviewer": 403},
            lambda p: {"pk": _answered(p).pk}, method="post", data=lambda p: {"satisfaction": "satisfied"}),
    UrlCase("aftercare:complaint_reopen",
            {"anon": 302, "officer": 302, "other_officer": 403, "leader": 302, "admin": 403, "reviewer": 403},
            lambda p: {"pk": _closed_dissatisfied(p).pk}, method="post", data=lambda p: {"reason": "企业仍不满意"}),
    UrlCase("aftercare:foreign_list", staff_only()),
    UrlCase("aftercare:foreign_export", staff_only()),
    UrlCase("aftercare:foreign_detail", staff_only(), _foreign),
    UrlCase("aftercare:check_create", {**WORKERS, "officer": 302, "other_officer": 302, "leader": 302}, _foreign,
            method="post", data=lambda p: {"year": 2025, "checked_on": "2026-03-02", "result": "compliant"}),
    UrlCase("aftercare:check_follow_up_done", {**WORKERS, "officer": 302, "other_officer": 302, "leader": 302},
            _check_with_follow_up, method="post", data=lambda p: {"done_on": "2026-04-20", "note": "已补报"}),
    UrlCase("aftercare:organisation_list", staff_only()),
    UrlCase("aftercare:organisation_export", staff_only()),
    UrlCase("aftercare:organisation_create", WORKERS),
    UrlCase("aftercare:organisation_detail", staff_only(), _organisation),
    UrlCase("aftercare:organisation_edit", WORKERS, _organisation),
    UrlCase("aftercare:organisation_contact_create", {**WORKERS, "officer": 302, "other_officer": 302,
                                                      "leader": 302}, _organisation, method="post",
            data=lambda p: {"name": "陈秘书长", "mobile": "13907551234"}),
    UrlCase("api:complaint-list", {"anon": 401, "officer": 200, "leader": 200, "admin": 200, "reviewer": 200}),
    UrlCase("api:complaint-detail", {"anon": 401, "officer": 200, "leader": 200, "admin": 200, "reviewer": 200},
            lambda p: {"pk": _complaint(p).pk}),
]

