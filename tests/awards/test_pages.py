"""The award pages: the calculator explains a what-if award, the sheet names its sources and prints, the
Excel export writes formula-looking text as text, the list totals come from the database, and every list and
sheet costs the same number of queries however much data there is."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards import services
from awards.models import AwardPolicy
from tests.awards.factories import INSTALMENT_POLICY, SANYA, capital, landed_project
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def test_the_calculator_shows_the_award_clause_by_clause_in_chinese(login, officer):
    sanya = AwardPolicy.objects.get(key=SANYA)
    response = login(officer).get(reverse("awards:calculator"), {
        "policy": sanya.pk, "paid_in_registered_capital": "10000", "is_newly_settled": "yes",
        "is_international_organisation_hq": "no", "contribution_1": "800", "contribution_2": "1200",
        "rent_1": "300", "purchase_price": "0"})
    page = response.content.decode()
    # 150万 (start-up) + 560万 + 840万 (70% of the contribution) + 120万 (rent, held to the yearly cap).
    assert '<strong class="fs-4" id="sheet-total">16,700,000.00</strong>' in page
    assert "开办补助" in page
    assert "每年上限" in page  # the rent subsidy held to 120万元 a year
    assert "从优、就高、不重复" in page  # the start-up exclusivity group
    assert "四舍五入" in page


def test_the_calculator_says_which_figures_are_missing(login, officer):
    sanya = AwardPolicy.objects.get(key=SANYA)
    page = login(officer).get(reverse("awards:calculator"), {"policy": sanya.pk}).content.decode()
    assert "缺少" in page


def test_a_negative_what_if_figure_is_refused_on_its_field(login, officer):
    sanya = AwardPolicy.objects.get(key=SANYA)
    response = login(officer).get(reverse("awards:calculator"), {"policy": sanya.pk,
                                                                 "paid_in_registered_capital": "-5"})
    assert response.context["sheet"] is None
    assert "paid_in_registered_capital" in response.context["form"].errors


def _approved_application(officer, leader, title="到位资金奖励"):
    text = INSTALMENT_POLICY.replace("title: 到位资金奖励", f"title: '{title}'")
    policy = services.award_policy_import(text=text).policy
    project = landed_project(officer)
    capital(project, officer, wan=20000)
    application = services.award_application_create(project=project, policy=policy, beneficiary="enterprise",
                                                     by=officer, first_award_year=2025)
    services.award_application_submit(application=application, by=officer)
    return services.award_application_approve(application=application, by=leader, today=date(2026, 11, 1))


def test_the_sheet_names_where_each_base_came_from_and_states_the_rounding(login, officer, leader):
    application = _approved_application(officer, leader)
    page = login(officer).get(application.get_absolute_url()).content.decode()
    assert "200,000,000" in page  # the base, 20,000万元 of capital in place
    assert "2025-05-01" in page  # the capital record it came from
    assert "2,000,000.00" in page  # 1%
    assert "四舍五入" in page
    assert "awards.css" in page  # the print stylesheet


def test_the_excel_sheet_writes_formula_looking_text_as_text(login, officer, leader):
    application = _approved_application(officer, leader, title='=HYPERLINK("http://x.invalid","奖励")')
    response = login(leader).get(reverse("awards:application_export", args=[application.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"http://x.invalid\",\"奖励\")" in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert Decimal("2000000.00") in cells  # amounts are numbers Excel can add up


def test_the_list_totals_are_computed_over_the_filtered_awards(login, officer, leader):
    application = _approved_application(officer, leader)
    services.award_notices_close_sweep(today=date(2026, 11, 10))
    second = application.instalments.get(number=2)
    services.instalment_pay(instalment=second, by=leader, paid_on=date(2026, 11, 12))
    client = login(leader)
    page = client.get(reverse("awards:application_list")).context
    totals = page["totals"]
    assert (totals.count, totals.awarded, totals.paid) == (1, Decimal("2000000.00"), Decimal("600000.00"))
    # each row carries what its application has been paid so far
    assert [row.paid for row in page["page"]] == [Decimal("600000.00")]
    totals = client.get(reverse("awards:application_list"), {"status": "draft"}).context["totals"]
    assert (totals.count, totals.awarded, totals.paid) == (0, Decimal("0.00"), Decimal("0.00"))


def test_the_award_list_costs_the_same_queries_for_2_or_12_applications(login, officer, leader):
    client = login(leader)
    url = reverse("awards:application_list")
    for _ in range(2):
        _approved_application(officer, leader)
    small = count_queries(client, url)
    for _ in range(10):
        _approved_application(officer, leader)
    large = count_queries(client, url)
    # 4 for the layout (session, user, unread notifications, the user's bureau); the years of the filter; the
    # paginator's count; the page's keys; the page (project, enterprise, policy, introducer joined, paid
    # summed); the three totals (applications and awarded, paid, recovered); whether the user has a project
    # to apply for.
    assert small == large == 12


def test_the_policy_list_costs_the_same_queries_for_few_or_many_policies(login, officer):
    client = login(officer)
    url = reverse("awards:policy_list")

    def add(first, last):
        for n in range(first, last):
            services.award_policy_import(text=INSTALMENT_POLICY.replace("key: test-district-capital",
                                                                        f"key: test-district-{n}"))

    add(0, 1)  # beside the shipped policies
    small = count_queries(client, url)
    add(1, 11)
    large = count_queries(client, url)
    # 4 for the layout (session, user, unread notifications, the user's bureau); the policies, every version,
    # with everything a row shows in the same query (the list is short: a district has a handful of policies).
    assert small == large == 5


def test_the_sheet_costs_the_same_queries_for_1_or_many_instalments_and_moves(login, officer, leader):
    client = login(officer)
    few = _approved_application(officer, leader)
    small = count_queries(client, few.get_absolute_url())
    many = _approved_application(officer, leader)
    services.award_notices_close_sweep(today=date(2026, 11, 10))
    for instalment in many.instalments.order_by("number"):
        if instalment.condition:
            services.instalment_confirm_condition(instalment=instalment, by=officer, met_on=date(2026, 11, 11),
                                                  note="核实")
        services.instalment_pay(instalment=instalment, by=leader, paid_on=date(2026, 11, 12))
    large = count_queries(client, many.get_absolute_url())
    # 4 for the layout; the access check; the application with project, enterprise, owner, policy, introducer
    # and approver joined; its instalments, moves and recoveries (one prefetch each, people joined).
    assert small == large == 9


def test_the_facts_page_costs_the_same_queries_for_few_or_many_facts(login, officer):
    project = landed_project(officer)
    client = login(officer)
    url = reverse("awards:project_facts", args=[project.pk])
    services.award_fact_record(project=project, by=officer, name="rent", year=2025, amount=Decimal("100"),
                               unit="万元", source="租赁合同", as_of=date(2026, 1, 5))
    small = count_queries(client, url)
    for year in range(2015, 2025):
        services.award_fact_record(project=project, by=officer, name="rent", year=year, amount=Decimal("100"),
                                   unit="万元", source="租赁合同", as_of=date(2026, 1, 5))
    large = count_queries(client, url)
    assert small == large
