"""Aftercare pages: what each shows, the refusals a person sees, and query counts that do not grow with rows."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from aftercare import services
from aftercare.choices import CheckResult, ComplaintStatus, Satisfaction
from aftercare.models import Complaint, KeyEnterprise
from crm.choices import EnterpriseKind
from leads.choices import MeetingKind
from leads.models import MeetingLog
from projects import services as project_services
from projects.choices import CapitalKind
from tests.aftercare.factories import KeyEnterpriseFactory, OrganisationContactFactory, OrganisationFactory, register
from tests.factories import ContactFactory, EnterpriseFactory, bureau
from tests.projects.factories import ProjectFactory
from tests.queries import count_queries

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _visit(enterprise, by, on: date):
    return MeetingLog.objects.create(kind=MeetingKind.VISIT, enterprise=enterprise, created_by=by, discussion="走访",
                                     occurred_at=datetime(on.year, on.month, on.day, 9, tzinfo=SHANGHAI))


# --- key enterprises and visits ---------------------------------------------------------------------------------


def test_a_leader_marks_a_key_enterprise_and_the_officer_sees_its_visit_due(login, leader, officer):
    enterprise = EnterpriseFactory(name="三亚重点服务测试有限公司")
    response = login(leader).post(reverse("aftercare:key_designate"), {
        "enterprise": enterprise.pk, "officer": officer.pk, "cadence_months": 3, "reason": "纳税大户"})
    assert response.status_code == 302
    key = KeyEnterprise.objects.get(enterprise=enterprise)
    _visit(enterprise, officer, date(2026, 8, 20))  # next visit due 20 November: overdue
    page = login(officer).get(reverse("leads:my_work")).content.decode()
    assert "三亚重点服务测试有限公司" in page and "逾期 7 天" in page
    assert key.officer == officer


def test_an_officer_logs_a_visit_whose_demands_become_routed_requests(login, officer, reviewer):
    contact = ContactFactory()
    enterprise = contact.enterprise
    client = login(officer)
    response = client.post(reverse("aftercare:visit_create", args=[enterprise.pk]), {
        "occurred_at": "2026-11-26T15:00", "place": "企业会议室", "their_attendees": [contact.pk],
        "discussion": "了解二期扩产进展", "next_steps": "",
        "demand-TOTAL_FORMS": 3, "demand-INITIAL_FORMS": 0,
        "demand-0-subject": "二期用地指标", "demand-0-content": "希望年内落实二期用地", "demand-0-category": "land",
        "demand-0-bureau": bureau("planning").pk, "demand-0-due_working_days": 10,
        "demand-1-subject": "技改项目备案", "demand-1-content": "", "demand-1-category": "approval_delay",
        "demand-1-bureau": bureau("ndrc").pk, "demand-1-due_working_days": 5,
        "demand-2-subject": "", "demand-2-content": "", "demand-2-category": "other", "demand-2-bureau": "",
        "demand-2-due_working_days": 10,
    })
    assert response.status_code == 302
    meeting = MeetingLog.objects.get(enterprise=enterprise)
    assert meeting.kind == MeetingKind.VISIT and "二期用地指标" in meeting.demands
    requests = list(Complaint.objects.filter(meeting=meeting).order_by("id"))
    assert [r.current_cycle.bureau.code for r in requests] == ["planning", "ndrc"]
    assert all(r.channel == "visit" and r.contact == contact for r in requests)
    # The NDRC reviewer finds the second in their list.
    listing = login(reviewer).get(reverse("aftercare:complaint_list")).content.decode()
    assert "技改项目备案" in listing and "二期用地指标" not in listing


def test_the_key_enterprise_list_costs_the_same_queries_for_3_or_30_rows(login, officer, leader):
    client = login(officer)
    url = reverse("aftercare:key_list")

    def add(n):
        for _ in range(n):
            key = KeyEnterpriseFactory(officer=officer, designated_by=leader)
            _visit(key.enterprise, officer, date(2026, 10, 1))

    add(3)
    small = count_queries(client, url)
    add(27)
    # base layout 4 (session, user, unread notifications, bureau) + the key enterprises with their last visit.
    assert small == count_queries(client, url) == 5


# --- complaints -------------------------------------------------------------------------------------------------


def test_registering_a_complaint_refuses_bad_input_with_messages_and_saves_nothing(login, officer):
    client = login(officer)
    response = client.post(reverse("aftercare:complaint_create"), {
        "enterprise": "", "kind": "complaint", "channel": "call", "category": "land", "subject": "用地",
        "content": "", "bureau": bureau("planning").pk, "due_on": "2026-11-20"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写提出诉求的企业。" in page and "请填写投资者反映的内容。" in page
    assert not Complaint.objects.exists()
    response = client.post(reverse("aftercare:complaint_create"), {
        "enterprise": EnterpriseFactory().pk, "kind": "complaint", "channel": "call", "category": "land",
        "subject": "用地", "content": "土地证迟迟未办", "bureau": bureau("planning").pk, "due_on": "2026-11-20"})
    assert "答复期限不能早于今天。" in response.content.decode()
    assert not Complaint.objects.exists()


def test_closing_without_satisfaction_is_refused_on_the_page(login, officer, reviewer):
    complaint = register(officer)
    services.complaint_answer(complaint=complaint, by=reviewer, answer="已办理")
    response = login(officer).post(reverse("aftercare:complaint_close", args=[complaint.pk]), {"satisfaction": ""})
    assert response.status_code == 200
    assert "请记录投资者是否满意。" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED


def test_an_answer_from_another_bureau_is_refused_naming_the_routed_bureau(login, officer, reviewer_factory):
    complaint = register(officer, code="ndrc")
    response = login(officer).post(reverse("aftercare:complaint_answer", args=[complaint.pk]), {"answer": "已办"})
    assert response.status_code == 403
    assert "只有该部门可以答复" in response.content.decode()
    assert complaint.cycles.get().answered_at is None


def test_the_complaint_list_costs_the_same_queries_for_3_or_30_rows(login, officer, reviewer):
    def add(n):
        for i in range(n):
            complaint = register(officer, code="ndrc")
            if i % 2:
                services.complaint_answer(complaint=complaint, by=reviewer, answer="已办")

    add(3)
    counts = {}
    for role, user in (("officer", officer), ("reviewer", reviewer)):
        counts[role] = [count_queries(login(user), reverse("aftercare:complaint_list"))]
    add(27)
    for role, user in (("officer", officer), ("reviewer", reviewer)):
        counts[role].append(count_queries(login(user), reverse("aftercare:complaint_list")))
    # base layout 4 + paginator count + the page's keys + the page (enterprise, owner, current handling and
    # bureau joined) + the bureaus of the filter, which a reviewer (who sees only their own bureau) is not offered.
    assert counts == {"officer": [8, 8], "reviewer": [7, 7]}


def test_the_complaint_page_costs_the_same_queries_for_1_or_4_handlings(login, officer, reviewer):
    complaint = register(officer)
    url = reverse("aftercare:complaint_detail", args=[complaint.pk])
    small = count_queries(login(officer), url)
    for _ in range(3):
        services.complaint_answer(complaint=complaint, by=reviewer, answer="已办")
        services.complaint_close(complaint=complaint, by=officer, satisfaction=Satisfaction.DISSATISFIED)
        services.complaint_reopen(complaint=complaint, by=officer, reason="不满意")
    assert small == count_queries(login(officer), url)


def test_the_overview_shows_open_complaints_by_bureau_and_age_and_the_rates(login, leader, officer, reviewer):
    with time_machine.travel(NOW - timedelta(days=20), tick=False):
        old = register(officer, code="ndrc", due_working_days=3)
    register(officer, code="ndrc")
    register(officer, code="talent")
    url = reverse("aftercare:complaint_overview") + "?start=2026-01-01&end=2026-12-31"
    response = login(leader).get(url)
    rows = {r["code"]: r for r in response.context["rows"]}
    assert rows["ndrc"]["ages"] == [1, 0, 1, 0] and rows["ndrc"]["overdue"] == 1
    assert rows["talent"]["total"] == 1
    assert response.context["rates"].due == 1  # the old one, late and unanswered
    assert response.context["rates"].on_time_rate == Decimal("0.0")
    assert old.current_cycle.due_on < date(2026, 11, 27)
    small = count_queries(login(leader), url)
    for _ in range(10):
        register(officer, code="ecology")
    # base layout 4 + open complaints by bureau (one aggregate) + the rates (one aggregate).
    assert small == count_queries(login(leader), url) == 6


# --- the enterprise page ----------------------------------------------------------------------------------------


def test_the_enterprise_page_shows_the_service_history_at_a_constant_query_count(login, officer, leader, reviewer):
    enterprise = EnterpriseFactory(kind=EnterpriseKind.FOREIGN)
    KeyEnterpriseFactory(enterprise=enterprise, officer=officer, designated_by=leader)
    url = reverse("crm:enterprise_detail", args=[enterprise.pk])
    _visit(enterprise, officer, date(2026, 9, 1))
    register(officer, enterprise=enterprise)
    small = count_queries(login(officer), url)
    for month in (3, 5, 7):
        _visit(enterprise, officer, date(2026, month, 1))
        register(officer, enterprise=enterprise, subject=f"诉求{month}")
    services.compliance_check_record(by=officer, enterprise=enterprise, year=2025, checked_on=date(2026, 3, 1),
                                     result=CheckResult.COMPLIANT)
    page = login(officer).get(url).content.decode()
    assert "重点企业" in page and "诉求7" in page and "2025 年度检查" in page
    assert small == count_queries(login(officer), url)


# --- foreign-invested enterprises and organisations ------------------------------------------------------------


def test_the_register_lists_foreign_capital_by_year_at_a_constant_query_count(login, officer, leader):
    client = login(officer)
    url = reverse("aftercare:foreign_list") + "?year=2025"

    def add(n):
        for _ in range(n):
            enterprise = EnterpriseFactory(kind=EnterpriseKind.DOMESTIC)  # foreign only through its capital
            project = ProjectFactory(enterprise=enterprise, owner=officer)
            for day in (date(2025, 6, 1), date(2026, 3, 1), date(2026, 5, 1)):
                project_services.capital_record(project=project, by=officer, date=day, kind=CapitalKind.FOREIGN,
                                                amount_usd_wan=Decimal("100"), usd_cny_rate=Decimal("7.1"))
            services.compliance_check_record(by=officer, enterprise=enterprise, year=2025,
                                             checked_on=date(2026, 3, 1), result=CheckResult.COMPLIANT)

    EnterpriseFactory(kind=EnterpriseKind.HMT, name="香港测试投资有限公司", origin_country="中国香港")
    add(2)
    small = count_queries(client, url)
    response = client.get(url)
    rows = list(response.context["page"].object_list)
    with_capital = [r for r in rows if r.capital_total]
    assert with_capital[0].capital_years == [None, Decimal("100.00"), Decimal("200.00")]
    assert with_capital[0].check.result == CheckResult.COMPLIANT
    assert "香港测试投资有限公司" in response.content.decode()
    add(20)
    # base layout 4 + paginator count + the page's keys + the page + capital by year (one aggregate) + the
    # checks of the year.
    assert small == count_queries(client, url) == 9


def test_the_organisation_list_costs_the_same_queries_and_masks_phones_for_administrators(login, officer,
                                                                                         administrator):
    client = login(officer)
    url = reverse("aftercare:organisation_list")
    for _ in range(3):
        OrganisationContactFactory()
    small = count_queries(client, url)
    for _ in range(20):
        OrganisationContactFactory(organisation=OrganisationFactory())
    # base layout 4 + paginator count + the page's keys + the page with contacts counted.
    assert small == count_queries(client, url) == 7
    organisation = OrganisationFactory(name="三亚市外商投资企业协会", kind="association")
    OrganisationContactFactory(organisation=organisation, mobile="13907551234")
    detail = reverse("aftercare:organisation_detail", args=[organisation.pk])
    assert "13907551234" in login(officer).get(detail).content.decode()
    assert "139****1234" in login(administrator).get(detail).content.decode()


def test_every_list_exports_to_excel(login, officer, leader):
    KeyEnterpriseFactory(officer=officer, designated_by=leader)
    register(officer, subject="=HYPERLINK(\"http://x\")")
    OrganisationContactFactory()
    EnterpriseFactory(kind=EnterpriseKind.FOREIGN)
    client = login(officer)
    for name in ("key_export", "complaint_export", "foreign_export", "organisation_export"):
        response = client.get(reverse(f"aftercare:{name}"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
