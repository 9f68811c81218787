"""Opening a project from a lead carries the lead's facts and converts the lead in the same transaction."""

from decimal import Decimal

import pytest
from django.urls import reverse

from crm.models import Industry
from leads.choices import LeadStatus
from leads.models import Introducer
from projects.models import Project
from tests.leads.factories import LeadFactory, MeetingLogFactory

pytestmark = pytest.mark.django_db


def _lead(officer, other_officer):
    introducer = Introducer.objects.create(name="海南招商顾问有限公司")
    lead = LeadFactory(owner=officer, title="鹏程数字区域总部", intended_investment_wan=Decimal("12000"),
                       introducer=introducer, industry=Industry.objects.get(code="I"))
    lead.co_owners.set([other_officer])
    return lead


def test_the_form_is_prefilled_from_the_lead_and_saving_converts_the_lead(login, officer, other_officer):
    lead = _lead(officer, other_officer)
    client = login(officer)
    url = reverse("projects:project_create_from_lead", args=[lead.pk])
    page = client.get(url)
    form = page.context["form"]
    assert form.initial["name"] == "鹏程数字区域总部"
    assert form.initial["total_investment_wan"] == Decimal("12000")
    response = client.post(url, {
        "name": "鹏程数字区域总部", "enterprise": lead.enterprise.pk, "industry": form.initial["industry"].pk,
        "total_investment_wan": "12000",
        "fixed_asset_investment_wan": "2000", "foreign_capital_usd_wan": "0", "land_mu": "0",
        "expected_output_wan": "30000", "expected_tax_wan": "600", "expected_jobs": "80",
        "co_owners": [other_officer.pk]})
    project = Project.objects.get(lead=lead)
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert (project.owner, project.introducer.name) == (officer, "海南招商顾问有限公司")
    assert list(project.co_owners.all()) == [other_officer]
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED


def test_a_lead_converts_into_one_project_only(officer, other_officer):
    from django.core.exceptions import ValidationError

    from projects import services

    lead = _lead(officer, other_officer)
    fields = dict(name="总部", enterprise=lead.enterprise, industry=Industry.objects.get(code="L"),
                  total_investment_wan=Decimal("12000"), fixed_asset_investment_wan=Decimal("0"), land_mu=0)
    services.project_create_from_lead(lead=lead, by=officer, **fields)
    with pytest.raises(ValidationError):
        services.project_create_from_lead(lead=lead, by=officer, **fields)
    assert Project.objects.filter(lead=lead).count() == 1


def test_a_failed_project_leaves_the_lead_open(officer, other_officer):
    from django.core.exceptions import ValidationError

    from projects import services

    lead = _lead(officer, other_officer)
    with pytest.raises(ValidationError):
        services.project_create_from_lead(
            lead=lead, by=officer, name="总部", enterprise=lead.enterprise, industry=Industry.objects.get(code="L"),
            total_investment_wan=Decimal("100"), fixed_asset_investment_wan=Decimal("500"), land_mu=0)
    lead.refresh_from_db()
    assert lead.status != LeadStatus.CONVERTED and not Project.objects.exists()


def test_meetings_logged_on_the_project_appear_on_its_timeline(login, officer, other_officer):
    from tests.projects.factories import ProjectFactory

    project = ProjectFactory(owner=officer)
    MeetingLogFactory(lead=None, enterprise=project.enterprise, project=project, discussion="洽谈用地指标与开工计划")
    page = login(officer).get(project.get_absolute_url())
    assert "洽谈用地指标与开工计划" in page.content.decode()
