"""Every indicator and breakdown of the hand-built data set (tests/reports/factories.py), against figures
worked out by hand in the comments. Period: January to October 2026, cut-off 2026-10-31, seen on 2026-11-27;
compared with January to October 2025.

The data set, by project (owner; enterprise: origin, section, key industry):
  P1  王晓明; E1 海南省, L, 旅游业. Contract 2025-03-10 5000; registered 2025-05-20; started 2026-02-15;
      domestic capital 2025-06-01 1000, 2026-03-01 2000.
  P2  李娜; E2 广东省, C, 高新技术. Contract 2025-12-18 8000 (December); registered 2026-01-08 (January);
      domestic 2026-04-10 1500.
  P3  王晓明; E3 新加坡 (foreign), H, 旅游业. Contract 2026-04-20 12000; registered 2026-07-15; foreign capital
      2026-06-30 300万美元 at 7.1, and 2026-11-05 100万美元 (after the cut-off).
  P4  王晓明; E2, C. Contract 2026-02-05 3000; terminated 2026-08-01.
  P5  李娜; E1, L. Capital increase of P1: contract 2026-05-12 2000; domestic 2026-06-15 800.
  P6  王晓明; E3, H. Later phase of P3: contract 2026-09-01 4000; registered 2026-09-20.
  P7  李娜; E4 中国香港 (HMT), J. Contract 2025-07-01 6000; registered 2025-08-01; started 2025-10-01;
      operating 2026-06-01; foreign 2025-09-01 200万美元.
  P8  王晓明; E1, L. In negotiation since 2026-03-01.
  P9  李娜; E2, C. Negotiating from 2025-11-01, in review from 2026-05-01.
  P10 王晓明; E4, J. Contract 2025-11-20 1000 (between the two periods), never registered, no capital.
Leads: L1 2026-01-05 event (E1, 王), L2 2026-03-12 intermediary (E2, 李), L3 2026-06-01 referral (E3, 王),
L4 2026-10-31 inbound (E4, 王), L5 2026-11-02 (after the cut-off), L6 2025-02-01 event (E1), L7 2025-09-15
prospecting (E2), L8 2025-11-20 (after last year's cut-off). A project's lead source is its enterprise's first
lead: E1 event (L6), E2 prospecting (L7), E3 referral (L3), E4 inbound (L4).
"""

from datetime import date
from decimal import Decimal

import pytest

from crm.models import Industry
from reports import prose, services, shaping
from reports.indicators import PeriodError, make_period
from reports.services import TargetInput
from tests.reports.factories import build_dataset

TODAY = date(2026, 11, 27)
pytestmark = pytest.mark.django_db


@pytest.fixture
def data(officer, other_officer):
    return build_dataset(officer, other_officer)


def _stats(year=2026, month=10, **kwargs):
    return services.statistics_for_period(year=year, through_month=month, today=TODAY, **kwargs)


def _indicators(stats):
    return {row["key"]: row for row in stats["indicators"]}


def _row(stats, dimension, key):
    return next(r for r in stats["breakdowns"][dimension] if r["key"] == key)


def test_every_indicator_of_january_to_october_against_the_same_months_of_last_year(data):
    figures = _indicators(_stats())
    actual = {k: v["actual"] for k, v in figures.items()}
    last = {k: v["last_year"] for k, v in figures.items()}
    # Signed 2026: P3 (04-20), P4 (02-05, terminated later: still signed), P6 (later phase: a new signing);
    # P5 is a capital increase, not a new project. 2025 Jan-Oct: P1 (03-10), P7 (07-01); P2 is December.
    assert (actual["signed_projects"], last["signed_projects"]) == (3, 2)
    # Amount 2026: 12000 + 3000 + 2000 (P5's own amount counts) + 4000 = 21000; 2025: 5000 + 6000 = 11000.
    assert (actual["signed_amount"], last["signed_amount"]) == (Decimal("21000.00"), Decimal("11000.00"))
    # Landed 2026: P2 (registered 2026-01-08, signed in December), P3; P6 is a later phase, not a new landing.
    # 2025: P1, P7.
    assert (actual["landed_projects"], last["landed_projects"]) == (2, 2)
    # Started: P1 (2026-02-15) against P7 (2025-10-01). Operating: P7 (2026-06-01) against none.
    assert (actual["started_projects"], last["started_projects"]) == (1, 1)
    assert (actual["operating_projects"], last["operating_projects"]) == (1, 0)
    # Domestic 2026: 2000 (P1) + 1500 (P2) + 800 (P5) = 4300; 2025: 1000.
    assert (actual["domestic_capital"], last["domestic_capital"]) == (Decimal("4300.00"), Decimal("1000.00"))
    # Foreign in 万美元: 300 (P3, June; the November 100 is after the cut-off) against 200 (P7).
    assert (actual["foreign_capital"], last["foreign_capital"]) == (Decimal("300.00"), Decimal("200.00"))
    # Leads: L1-L4 (L4 on the cut-off day counts, L5 is after it) against L6, L7.
    assert (actual["new_leads"], last["new_leads"]) == (4, 2)
    # In negotiation at 2026-10-31: P8 (negotiating), P9 (review). At 2025-10-31: only P2 (P9 did not exist).
    assert (actual["negotiating_projects"], last["negotiating_projects"]) == (2, 1)


def test_growth_compares_the_same_months_and_shows_none_against_zero(data):
    growth = {k: v["growth"] for k, v in _indicators(_stats()).items()}
    assert growth["signed_projects"] == Decimal("0.500")  # (3 - 2) / 2
    assert growth["signed_amount"] == Decimal("0.909")  # (21000 - 11000) / 11000 = 0.90909
    assert growth["landed_projects"] == Decimal("0.000")
    assert growth["domestic_capital"] == Decimal("3.300")  # (4300 - 1000) / 1000
    assert growth["foreign_capital"] == Decimal("0.500")
    assert growth["operating_projects"] is None  # nothing operating in Jan-Oct 2025: shown "—"
    # The whole of 2025 would have been P1, P7, P2 (December) and P10 (November): 4, not the 2 compared above.
    whole_2025 = _indicators(_stats(year=2025, month=12))
    assert whole_2025["signed_projects"]["actual"] == 4
    assert whole_2025["signed_amount"]["actual"] == Decimal("20000.00")  # 5000 + 6000 + 1000 + 8000


def test_breakdown_by_industry_section(data):
    stats = _stats()
    c, h, j, l_ = (_row(stats, "industry", k)["values"] for k in "CHJL")
    # C: P4 signed 3000, P2 landed and 1500 domestic, L2 (lead without industry: its enterprise's C), P9 in review.
    assert (c["signed_projects"], c["signed_amount"], c["landed_projects"], c["domestic_capital"],
            c["new_leads"], c["negotiating_projects"]) == (1, Decimal("3000.00"), 1, Decimal("1500.00"), 1, 1)
    # H: P3 and P6 signed (16000), P3 landed, 300万美元, L3.
    assert (h["signed_projects"], h["signed_amount"], h["landed_projects"], h["foreign_capital"],
            h["new_leads"]) == (2, Decimal("16000.00"), 1, Decimal("300.00"), 1)
    # J: P7 operating, L4.
    assert (j["operating_projects"], j["new_leads"], j["signed_projects"]) == (1, 1, 0)
    # L: P5's 2000 (no signed project), P1 started, 2000 + 800 domestic, L1, P8 negotiating.
    assert (l_["signed_projects"], l_["signed_amount"], l_["started_projects"], l_["domestic_capital"],
            l_["new_leads"], l_["negotiating_projects"]) == (0, Decimal("2000.00"), 1, Decimal("2800.00"), 1, 1)
    # The sections add up to the totals.
    assert sum(r["values"]["signed_amount"] for r in stats["breakdowns"]["industry"]) == Decimal("21000.00")


def test_breakdown_by_key_industry_origin_source_and_officer(data):
    stats = _stats()
    tourism = _row(stats, "key_industry", "旅游业")["values"]
    # E1 and E3: P3 + P6 signed (12000 + 4000 + P5's 2000 = 18000), P1 started, 2800 domestic, 300 foreign,
    # L1 and L3, P8 negotiating.
    assert (tourism["signed_projects"], tourism["signed_amount"], tourism["domestic_capital"],
            tourism["foreign_capital"], tourism["new_leads"], tourism["negotiating_projects"]) == (
        2, Decimal("18000.00"), Decimal("2800.00"), Decimal("300.00"), 2, 1)
    untagged = _row(stats, "key_industry", "-")["values"]  # E4 has no key industry: P7 operating, L4
    assert (untagged["operating_projects"], untagged["new_leads"]) == (1, 1)

    singapore = _row(stats, "origin", "新加坡")
    assert singapore["group"] == "foreign"
    assert (singapore["values"]["signed_projects"], singapore["values"]["foreign_capital"]) == (2, Decimal("300.00"))
    guangdong = _row(stats, "origin", "广东省")["values"]
    assert (guangdong["signed_amount"], guangdong["domestic_capital"]) == (Decimal("3000.00"), Decimal("1500.00"))
    assert _row(stats, "origin", "中国香港")["group"] == "hmt"
    # Domestic origins come before foreign and Hong Kong, Macao and Taiwan.
    assert [r["group"] for r in stats["breakdowns"]["origin"]] == ["domestic", "domestic", "foreign", "hmt"]

    # Source: E2's projects came through prospecting (L7): P4 signed 3000, P2 landed, 1500, P9; no 2026 lead.
    prospecting = _row(stats, "source", "prospecting")["values"]
    assert (prospecting["signed_projects"], prospecting["signed_amount"], prospecting["landed_projects"],
            prospecting["new_leads"], prospecting["negotiating_projects"]) == (1, Decimal("3000.00"), 1, 0, 1)
    assert _row(stats, "source", "intermediary")["values"]["new_leads"] == 1  # L2's own source
    assert _row(stats, "source", "referral")["values"]["signed_amount"] == Decimal("16000.00")  # P3 + P6

    wang = _row(stats, "officer", data.officer.pk)["values"]
    # 王晓明: P3, P4, P6 signed (12000 + 3000 + 4000), P3 landed, P1 started, 2000 domestic, 300 foreign,
    # L1, L3, L4, P8.
    assert (wang["signed_projects"], wang["signed_amount"], wang["landed_projects"], wang["started_projects"],
            wang["domestic_capital"], wang["foreign_capital"], wang["new_leads"], wang["negotiating_projects"]) == (
        3, Decimal("19000.00"), 1, 1, Decimal("2000.00"), Decimal("300.00"), 3, 1)
    li = _row(stats, "officer", data.other.pk)["values"]
    # 李娜: P5's 2000, P2 landed, P7 operating, 1500 + 800 domestic, L2, P9.
    assert (li["signed_projects"], li["signed_amount"], li["landed_projects"], li["operating_projects"],
            li["domestic_capital"], li["new_leads"], li["negotiating_projects"]) == (
        0, Decimal("2000.00"), 1, 1, Decimal("2300.00"), 1, 1)


def test_breakdown_by_month_against_last_year(data):
    months = {r["key"]: r for r in _stats()["breakdowns"]["month"]}
    assert list(months) == list(range(1, 11))
    # Signed amount: Feb 3000 (P4), Apr 12000 (P3), May 2000 (P5), Sep 4000 (P6); 2025: Mar 5000, Jul 6000.
    assert {m: r["values"]["signed_amount"] for m, r in months.items() if r["values"]["signed_amount"]} == {
        2: Decimal("3000.00"), 4: Decimal("12000.00"), 5: Decimal("2000.00"), 9: Decimal("4000.00")}
    assert {m: r["last_year"]["signed_amount"] for m, r in months.items() if r["last_year"]["signed_amount"]} == {
        3: Decimal("5000.00"), 7: Decimal("6000.00")}
    assert months[1]["values"]["landed_projects"] == 1  # P2, signed the December before


def test_funnel_counts_each_stage_at_the_cut_off_with_the_median_days_of_the_stays_that_ended(data):
    funnel = {r["stage"]: r for r in _stats()["funnel"]}
    # At 2026-10-31 (P5, a capital increase, left out; P4 terminated): negotiating P8, review P9, signed P10,
    # registered P2, P3, P6, construction P1, operating P7.
    assert {s: r["projects"] for s, r in funnel.items()} == {
        "negotiating": 1, "review": 1, "signed": 1, "registered": 3, "construction": 1, "operating": 1}
    # Stays that ended within Jan-Oct 2026, in days:
    # negotiating: P3 59 (01-20→03-20), P4 40 (2025-12-01→01-10), P6 31, P9 181 → median (40 + 59) / 2 = 49.5
    # review: P3 31, P4 26, P6 31 → 31; signed: P2 21, P3 86, P4 177, P6 19 → (21 + 86) / 2 = 53.5
    # registered: P1 271 (2025-05-20→2026-02-15); construction: P7 243; operating: none ended.
    assert {s: r["median_days"] for s, r in funnel.items()} == {
        "negotiating": Decimal("49.5"), "review": Decimal("31.0"), "signed": Decimal("53.5"),
        "registered": Decimal("271.0"), "construction": Decimal("243.0"), "operating": None}


def test_turnaround_counts_working_days_on_time_and_overdue_per_bureau(data):
    turnaround = {r["bureau"]: r for r in _stats()["turnaround"]}
    # NDRC: P3 asked Fri 03-20, answered Wed 03-25 = 3 working days; P6 asked Mon 07-27, answered Wed 07-29 = 2.
    # Both by their due dates. Median 2.5, on time 100%.
    ndrc = turnaround["发改委"]
    assert (ndrc["answered"], ndrc["median_working_days"], ndrc["on_time_rate"]) == (2, Decimal("2.5"),
                                                                                       Decimal("1.000"))
    # Ecology: asked 03-20, answered Wed 04-01 (due 03-27): 8 working days, late.
    ecology = turnaround["生态环境分局"]
    assert (ecology["median_working_days"], ecology["on_time_rate"]) == (Decimal("8.0"), Decimal("0.000"))
    # Market supervision: P9's request due 2026-05-13 still unanswered at the cut-off; planning's is due later.
    assert turnaround["市场监管分局"]["overdue_now"] == 1
    assert turnaround["资规分局"]["overdue_now"] == 0
    assert turnaround["人才局"]["median_working_days"] is None


def test_exception_lists_with_days_elapsed_and_owner(data):
    lists = services.exception_lists(period=make_period(2026, 10, today=TODAY))
    # Signed more than 3 months before 2026-10-31 and not registered: P10 (2025-11-20, 345 days). P4 is
    # terminated, so no longer chased.
    assert [(r["code"], r["days"], r["owner"]) for r in lists["not_registered"]["rows"]] == [("P10", 345, "王晓明")]
    # Registered more than 6 months before and not started: P2 (2026-01-08, 296 days).
    assert [(r["code"], r["days"]) for r in lists["not_started"]["rows"]] == [("P2", 296)]
    assert lists["not_operating"]["rows"] == []  # nothing started 24 months before
    assert [r["code"] for r in lists["no_capital"]["rows"]] == ["P10"]
    overdue = lists["overdue_reviews"]["rows"]
    assert [(r["code"], r["bureau"], r["days"]) for r in overdue] == [("P9", "市场监管分局", 171)]


def test_exception_thresholds_come_from_the_work_plan(data, leader):
    services.work_plan_save(year=2026, by=leader, targets=[], months_to_start=12)
    lists = services.exception_lists(period=make_period(2026, 10, today=TODAY))
    assert lists["not_started"]["months"] == 12
    assert lists["not_started"]["rows"] == []  # P2 registered 2026-01-08, less than 12 months before


def test_targets_give_completion_for_the_district_an_officer_and_an_industry(data, leader):
    services.work_plan_save(year=2026, by=leader, targets=[
        TargetInput("signed_projects", Decimal("10")),
        TargetInput("signed_amount", Decimal("50000")),
        TargetInput("signed_projects", Decimal("4"), officer=data.officer),
        TargetInput("signed_amount", Decimal("10000"), industry=Industry.objects.get(code="C")),
    ])
    stats = _stats()
    figures = _indicators(stats)
    assert figures["signed_projects"]["completion"] == Decimal("0.300")  # 3 / 10
    assert figures["signed_amount"]["completion"] == Decimal("0.420")  # 21000 / 50000
    assert figures["landed_projects"]["completion"] is None  # no target
    assert _row(stats, "officer", data.officer.pk)["targets"] == {"signed_projects": Decimal("4.00")}
    assert _row(stats, "industry", "C")["targets"] == {"signed_amount": Decimal("10000.00")}
    progress = services.officer_progress(user=data.officer, today=date(2026, 10, 31))
    assert [(p["key"], p["actual"], p["completion"]) for p in progress] == [("signed_projects", 3, Decimal("0.750"))]


def test_a_target_below_zero_is_refused_and_nothing_is_saved(data, leader):
    from django.core.exceptions import ValidationError

    from reports.models import WorkPlan

    with pytest.raises(ValidationError) as exc:
        services.work_plan_save(year=2026, by=leader, targets=[TargetInput("signed_projects", Decimal("-1"))])
    assert "below zero" in str(exc.value) or "低于零" in str(exc.value)
    assert not WorkPlan.objects.filter(year=2026).exists()


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (2026, 12), (2027, 1)])
def test_a_month_out_of_range_or_in_the_future_is_refused(year, month):
    with pytest.raises(PeriodError):
        make_period(year, month, today=TODAY)


def test_a_year_with_no_data_is_an_empty_but_complete_report(db):
    stats = _stats(year=2024, month=12)
    assert all(row["actual"] in (0, Decimal("0.00")) for row in stats["indicators"])
    assert all(row["growth"] is None for row in stats["indicators"])
    assert [r["key"] for r in stats["breakdowns"]["month"]] == list(range(1, 13))
    assert stats["breakdowns"]["industry"] == []
    assert [r["projects"] for r in stats["funnel"]] == [0] * 6


def test_a_month_still_running_is_cut_off_today():
    period = make_period(2026, 11, today=TODAY)
    assert (period.cutoff, period.is_complete) == (TODAY, False)
    assert period.same_period_last_year().cutoff == date(2025, 11, 27)


def test_a_foreign_record_without_an_exchange_rate_is_flagged_not_dropped():
    # The database refuses such a row today (capital_amount_matches_kind); the report still names any that
    # an import or a relaxed rule would let through, from the aggregated cube.
    cube = [{"year": 2026, "kind": "foreign", "missing_rate": True, "n": 2, "usd": Decimal("50")}]
    issues = shaping.data_issues(cube, make_period(2026, 10, today=TODAY))
    assert len(issues) == 1 and "2" in issues[0]


def test_the_drafted_briefing_reads_the_figures(data):
    from django.utils import translation

    with translation.override("zh-hans"):
        text = prose.briefing_paragraph(_stats())
    assert text.startswith("1-10月，全区共签约项目3个，签约金额21,000.00万元，同比增长90.9%")
    assert "实际利用外资300.00万美元" in text


def test_a_project_opened_from_a_lead_takes_that_leads_source(data):
    from projects.models import Project

    # P4 (E2, whose first lead L7 came from prospecting) is linked to L2, an intermediary's lead: its signing
    # moves from prospecting to intermediary.
    Project.objects.filter(pk=data.projects[4].pk).update(lead=data.leads[2])
    stats = _stats()
    assert _row(stats, "source", "intermediary")["values"]["signed_projects"] == 1
    assert _row(stats, "source", "prospecting")["values"]["signed_projects"] == 0
