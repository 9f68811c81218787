"""Impossible dates and invisible names are refused by the models' own rules (crm.validators), so the pages, the
API, the import and the back office share them; the database refuses dates outside 1990..2100 by itself."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from crm import services as crm_services
from crm.models import Enterprise
from leads import services as leads_services
from leads.models import Lead
from projects import services as projects_services
from projects.choices import CapitalKind, Outcome, Stage
from tests.factories import EnterpriseFactory
from tests.leads.factories import FollowUpFactory, LeadFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _refused(excinfo, field=None) -> str:
    """The Chinese message a person reads for the refusal."""
    exc = excinfo.value
    messages = exc.message_dict[field] if field else exc.messages
    text = " ".join(messages)
    assert "不是合理的日期" in text, text
    return text


def test_a_lead_received_on_0001_01_01_is_refused_with_a_clear_message(officer):
    with pytest.raises(ValidationError) as excinfo:
        leads_services.lead_create(by=officer, title="区域总部", source="prospecting",
                                   enterprise=EnterpriseFactory(), received_on=date(1, 1, 1))
    assert "1990-01-01" in _refused(excinfo, "received_on")
    assert not Lead.objects.exists()


@pytest.mark.parametrize("when", [datetime(1900, 5, 1, 10, tzinfo=SHANGHAI), datetime(1, 1, 2, 10, tzinfo=SHANGHAI)])
def test_a_meeting_in_1900_or_year_1_is_refused(officer, when):
    with pytest.raises(ValidationError) as excinfo:
        leads_services.meeting_log_create(by=officer, enterprise=EnterpriseFactory(), occurred_at=when,
                                          kind="visit", discussion="项目用地")
    _refused(excinfo, "occurred_at")


def test_a_follow_up_rescheduled_to_2999_is_refused(officer):
    follow_up = FollowUpFactory(owner=officer)
    with pytest.raises(ValidationError) as excinfo:
        leads_services.follow_up_reschedule(follow_up=follow_up, by=officer, due_on=date(2999, 1, 1))
    _refused(excinfo, "due_on")
    # Ten years ahead is the horizon of a plan; a date within it is accepted.
    leads_services.follow_up_reschedule(follow_up=follow_up, by=officer,
                                        due_on=timezone.localdate().replace(year=timezone.localdate().year + 9))


def test_capital_in_place_dated_1900_is_refused(officer):
    project = ProjectFactory(owner=officer)
    with pytest.raises(ValidationError) as excinfo:
        projects_services.capital_record(project=project, by=officer, date=date(1900, 6, 30),
                                         kind=CapitalKind.DOMESTIC, amount_wan=Decimal("100"))
    _refused(excinfo, "date")


def test_a_condition_due_in_1900_is_refused():
    condition = projects_services.ConditionInput("补充环评批复", date(1900, 12, 31), Stage.SIGNED)
    with pytest.raises(ValidationError) as excinfo:
        projects_services._validate_opinion(Outcome.AGREE_WITH_CONDITIONS, "需补充材料", [condition])
    _refused(excinfo)


def test_the_database_refuses_an_impossible_date_written_around_the_services():
    lead = LeadFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(received_on=date(1, 1, 1))


# --- names: invisible characters go before the checks ------------------------------------------------------------

def test_an_enterprise_name_of_zero_width_spaces_is_refused_as_empty(officer):
    with pytest.raises(ValidationError) as excinfo:
        crm_services.enterprise_create(by=officer, name="\u200b\u200b\ufeff")
    assert "name" in excinfo.value.message_dict
    saved = crm_services.enterprise_create(by=officer, name="\ufeff三亚\u200b零宽测试有限公司\u200d ")
    assert Enterprise.objects.get(pk=saved.pk).name == "三亚零宽测试有限公司"


def test_the_enterprise_page_and_the_api_refuse_a_name_of_zero_width_spaces(login, officer):
    page = login(officer).post(reverse("crm:enterprise_create"), {"name": "\u200b\u200b", "kind": "domestic"})
    assert page.status_code == 200 and page.context["form"].errors["name"]
    assert not Enterprise.objects.exists()
