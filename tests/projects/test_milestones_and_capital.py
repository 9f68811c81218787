"""Milestones, capital in place and project figures: bad input is refused with a clear message and nothing
is changed."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from crm.demo import demo_credit_code
from projects import services
from projects.choices import CapitalKind, MilestoneKind, Stage
from projects.models import CapitalInPlace, Milestone, Project
from tests.factories import EnterpriseFactory
from tests.projects.factories import ProjectFactory, answer, open_round, pdf, sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 11, 27), tick=False):
        yield


@pytest.fixture
def signed(officer, reviewers):
    project = ProjectFactory(owner=officer, enterprise=EnterpriseFactory(credit_code=None))
    answer(open_round(project, officer), reviewers)
    sign(project, officer, on=date(2026, 9, 1))
    return project


def _register(project, officer, **kwargs):
    return services.milestone_record(project=project, kind=MilestoneKind.REGISTRATION, by=officer,
                                     **{"date": date(2026, 9, 15), **kwargs})


def test_registration_needs_a_credit_code(signed, officer):
    with pytest.raises(ValidationError) as exc:
        _register(signed, officer)
    assert exc.value.code == "credit_code_required"
    signed.refresh_from_db()
    assert signed.stage == Stage.SIGNED and not signed.milestones.filter(kind="registration").exists()


def test_registration_refuses_a_code_with_a_wrong_check_character(signed, officer):
    good = demo_credit_code(777)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        _register(signed, officer, credit_code=bad)
    assert exc.value.code == "invalid_credit_code"
    signed.enterprise.refresh_from_db()
    assert signed.enterprise.credit_code is None


def test_registration_gives_the_enterprise_its_valid_code(signed, officer):
    code = demo_credit_code(778)
    milestone = _register(signed, officer, credit_code=code.lower())
    signed.enterprise.refresh_from_db()
    assert milestone.credit_code == code == signed.enterprise.credit_code
    signed.refresh_from_db()
    assert signed.stage == Stage.REGISTERED


def test_registration_refuses_a_code_different_from_the_enterprises(officer, reviewers):
    project = ProjectFactory(owner=officer)
    answer(open_round(project, officer), reviewers)
    sign(project, officer, on=date(2026, 9, 1))
    with pytest.raises(ValidationError) as exc:
        _register(project, officer, credit_code=demo_credit_code(779))
    assert exc.value.code == "credit_code_mismatch"
    _register(project, officer)  # the enterprise's own code is used when none is typed
    assert project.milestones.get(kind="registration").credit_code == project.enterprise.credit_code


def test_milestone_dates_never_run_backwards_or_into_the_future(signed, officer):
    code = demo_credit_code(780)
    with pytest.raises(ValidationError) as exc:
        _register(signed, officer, credit_code=code, date=date(2026, 8, 31))  # before the contract
    assert exc.value.code == "backwards"
    with pytest.raises(ValidationError) as exc:
        _register(signed, officer, credit_code=code, date=date(2026, 11, 28))
    assert exc.value.code == "future"
    assert Milestone.objects.filter(project=signed).count() == 1


def test_a_contract_needs_an_amount_and_the_file(officer, reviewers):
    project = ProjectFactory(owner=officer)
    answer(open_round(project, officer), reviewers)
    for kwargs in ({"contract_amount_wan": None, "contract_file": pdf()},
                   {"contract_amount_wan": Decimal("-5"), "contract_file": pdf()},
                   {"contract_amount_wan": Decimal("100"), "contract_file": None}):
        with pytest.raises(ValidationError):
            services.milestone_record(project=project, kind=MilestoneKind.CONTRACT, by=officer,
                                      date=date(2026, 11, 2), **kwargs)
    project.refresh_from_db()
    assert project.stage == Stage.REVIEW and not project.milestones.exists()


def test_a_milestone_is_recorded_once(signed, officer):
    with pytest.raises(ValidationError):
        sign(signed, officer)


def test_foreign_capital_keeps_its_rate_and_cny_equivalent(officer):
    project = ProjectFactory(owner=officer)
    record = services.capital_record(project=project, by=officer, date=date(2026, 6, 30), kind=CapitalKind.FOREIGN,
                                     amount_usd_wan=Decimal("500"), usd_cny_rate=Decimal("7.1586"),
                                     evidence=[pdf("银行回单.pdf")])
    assert (record.usd_cny_rate, record.cny_equivalent_wan) == (Decimal("7.1586"), Decimal("3579.30"))
    assert record.documents.get().kind == "capital"
    domestic = services.capital_record(project=project, by=officer, date=date(2026, 7, 1),
                                       kind=CapitalKind.DOMESTIC, amount_wan=Decimal("2000"))
    assert domestic.cny_equivalent_wan == Decimal("2000")


@pytest.mark.parametrize("kwargs", [
    {"kind": CapitalKind.FOREIGN, "amount_usd_wan": Decimal("500")},  # no rate
    {"kind": CapitalKind.FOREIGN, "amount_usd_wan": Decimal("500"), "usd_cny_rate": Decimal("0")},
    {"kind": CapitalKind.DOMESTIC, "amount_wan": Decimal("-1")},
    {"kind": CapitalKind.DOMESTIC, "amount_wan": Decimal("100"), "usd_cny_rate": Decimal("7.1")},
    {"kind": CapitalKind.DOMESTIC, "amount_wan": Decimal("100"), "date": date(2026, 12, 1)},  # future
])
def test_bad_capital_records_are_refused(officer, kwargs):
    project = ProjectFactory(owner=officer)
    with pytest.raises(ValidationError):
        services.capital_record(project=project, by=officer, **{"date": date(2026, 6, 30), **kwargs})
    assert not CapitalInPlace.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("land_mu", Decimal("-1")),
    ("land_mu", Decimal("500000")),  # more than the district's construction land
    ("total_investment_wan", Decimal("-100")),
    ("fixed_asset_investment_wan", Decimal("30000")),  # more than the total
    ("expected_tax_wan", Decimal("-1")),
])
def test_negative_or_absurd_figures_are_refused(officer, field, value):
    project = ProjectFactory(owner=officer)
    with pytest.raises(ValidationError) as exc:
        services.project_update(project=project, by=officer, version=project.version, **{field: value})
    assert field in exc.value.error_dict
    assert getattr(Project.objects.get(pk=project.pk), field) != value


def test_talent_requests_are_answered_only_by_the_talent_bureau(officer, reviewers):
    project = ProjectFactory(owner=officer)
    talent = services.talent_request_create(project=project, by=officer, kind="schooling", people=4,
                                            description="高管子女入学")
    with pytest.raises(ValidationError):
        services.talent_request_answer(talent_request=talent, by=reviewers["ndrc"], status="granted", answer="同意")
    with pytest.raises(ValidationError):
        services.talent_request_answer(talent_request=talent, by=reviewers["talent"], status="granted", answer=" ")
    answered = services.talent_request_answer(talent_request=talent, by=reviewers["talent"], status="granted",
                                              answer="已协调吉阳区第一小学")
    assert (answered.status, answered.answered_by) == ("granted", reviewers["talent"])
