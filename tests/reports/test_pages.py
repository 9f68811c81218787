"""The statistics pages, the workbook, the command, publication and restatements, on the hand-built data set
(tests/reports/factories.py; its figures are worked out in test_statistics.py)."""

import io
import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from crm.models import Industry
from projects.choices import MilestoneKind
from projects.models import Milestone
from reports import services, tasks
from reports.models import Restatement, Snapshot, WorkPlan
from reports.services import TargetInput
from tests.queries import count_queries
from tests.reports.factories import d, domestic, lead, milestone, project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _dashboard(client, **params):
    return client.get(reverse("reports:dashboard"), {"year": 2026, "month": 10, **params})


def test_a_leader_sees_every_figure_with_target_completion_growth_and_the_definitions(data, leader, login):
    services.work_plan_save(year=2026, by=leader, targets=[TargetInput("signed_projects", Decimal("10"))])
    response = _dashboard(login(leader))
    assert response.status_code == 200
    page = response.content.decode()
    assert "吉阳区2026年1-10月招商引资工作统计表" in page
    assert "口径说明" in page
    cards = {c["key"]: c for c in response.context["cards"]}
    assert (cards["signed_projects"]["value"], cards["signed_projects"]["completion"],
            cards["signed_projects"]["growth"]) == ("3", "30.0%", "50.0%")
    assert cards["signed_amount"]["value"] == "21,000.00"
    assert cards["operating_projects"]["growth"] == "—"
    # Every number opens the records behind it.
    assert cards["signed_projects"]["url"].startswith(reverse("reports:records"))
    assert "chart-trend" in page and "chart-funnel" in page and "reportsChartLinks" in page
    assert reverse("reports:plotly_js") in page and "cdn" not in page.lower()


def test_the_records_behind_a_breakdown_cell_match_its_figure(data, leader, login):
    client = login(leader)
    response = client.get(reverse("reports:records"), {"indicator": "signed_projects", "year": 2026, "month": 10,
                                                       "industry": "H"})
    assert response.status_code == 200
    codes = [m.project.code for m in response.context["page"].object_list]
    assert codes == ["P3", "P6"]  # the H cell of signed projects is 2
    funnel = client.get(reverse("reports:records"), {"indicator": "pipeline", "year": 2026, "month": 10,
                                                     "stage": "registered"})
    assert sorted(p.code for p in funnel.context["page"].object_list) == ["P2", "P3", "P6"]
    ndrc = services.statistics_for_period(year=2026, through_month=10)["turnaround"][1]
    bureau = client.get(reverse("reports:records"), {"indicator": "turnaround", "year": 2026, "month": 10,
                                                     "bureau": ndrc["bureau_id"]})
    assert bureau.context["page"].paginator.count == ndrc["answered"] == 2


@pytest.mark.parametrize(("params", "message"), [
    ({"month": 13}, "12"), ({"month": 12}, "尚未开始"), ({"year": 2027}, "尚未开始"), ({"month": "x"}, "")])
def test_a_period_out_of_range_or_in_the_future_is_refused_in_words(leader, login, params, message):
    response = _dashboard(login(leader), **params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_year_with_no_data_is_an_empty_page_not_an_error(leader, login):
    response = _dashboard(login(leader), year=2023, month=12)
    assert response.status_code == 200
    assert response.context["cards"][0]["value"] == "0"


def _extra_projects(owner, n, offset):
    """n more signed, registered and financed projects with leads, to grow the data behind every figure."""
    for i in range(n):
        code = f"X{offset + i}"
        from tests.reports.factories import enterprise

        ent = enterprise(f"扩展测试企业{offset + i}有限公司", province="浙江省", industry="I", key=("high-tech",))
        p = project(code, ent, owner, industry="I", history=[(d("2026-02-01"), "negotiating"),
                                                             (d("2026-03-01"), "signed")])
        milestone(p, MilestoneKind.CONTRACT, d("2026-03-01"), "100")
        domestic(p, d("2026-04-01"), "50")
        lead(f"扩展线索{offset + i}", ent, owner, d("2026-02-01"), "event")


def test_the_dashboard_costs_the_same_queries_whatever_the_data(data, leader, login):
    client = login(leader)
    url, params = reverse("reports:dashboard"), {"year": 2026, "month": 10}
    small = count_queries(client, url, params)
    _extra_projects(data.officer, 12, 0)
    large = count_queries(client, url, params)
    # 4 for the layout (session, user, unread notifications, the user's bureau); the snapshot look-up (1);
    # the statistics: leads, milestones, capital and the stock, each summed along every breakdown and the
    # key-industry split in one statement (4), last year's stock (1), the work plan (1; its targets only when
    # there is one), the stays in stage (1), the bureaus (1), the answered requests (1), the overdue counts (1), the
    # administrator's calendar days (1); the exception lists: the plan (1), the first rows of four milestone
    # lists and their counts (8), of the overdue requests and their count (2) and their calendar days (1). The
    # major projects are the workbook's, not the dashboard's.
    assert small == large == 28


def test_the_records_page_costs_the_same_queries_whatever_the_data(data, leader, login):
    client = login(leader)
    url, params = reverse("reports:records"), {"indicator": "signed_amount", "year": 2026, "month": 10}
    small = count_queries(client, url, params)
    _extra_projects(data.officer, 12, 100)
    large = count_queries(client, url, params)
    # 4 for the layout, the paginator's count, the page's keys and the page of milestones with project,
    # enterprise, owner and industry joined.
    assert small == large == 7


def test_publishing_freezes_the_month_and_a_later_change_shows_as_a_restatement(data, leader, login):
    client = login(leader)
    response = client.post(reverse("reports:publish"), {"year": 2026, "month": 10})
    assert response.status_code == 302
    snapshot = Snapshot.objects.get(year=2026, month=10)
    assert snapshot.published_by == leader
    # Correct P3's contract amount (12000 → 13000) and add a lead that arrived in May but was typed in late.
    Milestone.objects.filter(project=data.projects[3], kind=MilestoneKind.CONTRACT).update(
        contract_amount_wan=Decimal("13000"))
    late = lead("补录线索", data.projects[1].enterprise, data.officer, d("2026-05-05"), "inbound")
    assert tasks.check_restatements.delay().get() == 2

    page = _dashboard(client)
    cards = {c["key"]: c for c in page.context["cards"]}
    assert cards["signed_amount"]["value"] == "21,000.00"  # the published figure is kept
    assert cards["new_leads"]["value"] == "4"
    rows = {(r["indicator"], r["record"]): r for r in page.context["restatements"]}
    assert rows[("signed_amount", "P3 项目P3")]["difference_text"] == "+1,000.00"
    assert rows[("new_leads", late.title)]["difference_text"] == "+1"
    # Live figures (the API's live=True) already include the corrections.
    live = services.statistics_for_period(year=2026, through_month=10, live=True)
    assert {r["key"]: r["actual"] for r in live["indicators"]}["signed_amount"] == Decimal("22000.00")
    # Putting the amount back removes that restatement.
    Milestone.objects.filter(project=data.projects[3], kind=MilestoneKind.CONTRACT).update(
        contract_amount_wan=Decimal("12000"))
    services.snapshot_check_restatements(snapshot=snapshot)
    assert list(Restatement.objects.values_list("indicator", flat=True)) == ["new_leads"]


def test_a_month_is_published_once_and_only_when_it_is_over(data, leader):
    from django.core.exceptions import ValidationError

    services.snapshot_publish(year=2026, month=10, by=leader)
    with pytest.raises(ValidationError):
        services.snapshot_publish(year=2026, month=10, by=leader)
    with pytest.raises(ValidationError):
        services.snapshot_publish(year=2026, month=11, by=leader)  # November is still running


def test_the_month_end_task_publishes_last_month_once(data):
    with time_machine.travel(datetime(2026, 12, 1, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert tasks.publish_previous_month.delay().get() == "published 2026-11"
        assert tasks.publish_previous_month.delay().get() == "already published"
    snapshot = Snapshot.objects.get(year=2026, month=11)
    assert snapshot.published_by is None
    # November 2026 adds L5 (11-02) to the ten months' four leads.
    figures = services.statistics_for_period(year=2026, through_month=11, today=date(2026, 12, 1))
    assert {r["key"]: r["actual"] for r in figures["indicators"]}["new_leads"] == 5
    assert figures["published"]["snapshot_id"] == snapshot.pk


def test_the_workbook_opens_and_reads_back_the_figures(data, leader, login):
    services.work_plan_save(year=2026, by=leader, targets=[TargetInput("signed_amount", Decimal("50000"))])
    response = login(leader).get(reverse("reports:export"), {"year": 2026, "month": 10})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    overview = book.worksheets[0]
    assert overview["A1"].value == "吉阳区2026年1-10月招商引资工作统计表"
    rows = {row[0]: row for row in overview.iter_rows(min_row=4, values_only=True)}
    signed_amount = rows["签约金额"]
    # target, actual, completion (a number shown as a percentage), last year, growth
    assert signed_amount[1] == "万元"
    assert (signed_amount[2], signed_amount[3], signed_amount[5]) == (50000, 21000, 11000)
    assert signed_amount[4] == pytest.approx(0.42)
    assert overview.cell(row=4 + list(rows).index("签约金额"), column=5).number_format == "0.0%"
    assert rows["投产项目数"][6] == "—"  # no growth against zero
    names = book.sheetnames
    assert {"按行业（GB T 4754）", "按来源地", "按招商专员", "重大项目", "签约未注册", "会签超期"} <= set(names)
    officers = {row[0]: row for row in book["按招商专员"].iter_rows(min_row=4, values_only=True)}
    assert officers["王晓明"][:3] == ("王晓明", 3, 19000)  # signed 3, amount 19000
    assert book["签约未注册"]["A4"].value == "P10"
    assert book["简报"]["A2"].value.startswith("1-10月，全区共签约项目3个")


def test_a_name_that_looks_like_a_formula_is_written_as_text(data, leader, login):
    data.projects[10].enterprise.__class__.objects.filter(pk=data.projects[10].enterprise_id).update(
        name="=HYPERLINK(\"http://x\")")
    book = load_workbook(io.BytesIO(login(leader).get(reverse("reports:export"),
                                                      {"year": 2026, "month": 10}).content))
    cell = book["签约未注册"]["C4"]
    assert cell.value.startswith("'=") and cell.data_type == "s"


def test_the_command_gives_the_same_figures_as_the_page(data, tmp_path, capsys):
    call_command("annual_report", "--year", "2026", "--through-month", "10", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    figures = {r["key"]: r for r in report["indicators"]}
    assert figures["signed_amount"]["actual"] == "21000.00"
    assert figures["signed_projects"]["growth"] == "0.500"
    assert report["exceptions"]["not_registered"]["rows"][0]["code"] == "P10"
    out = tmp_path / "report.xlsx"
    call_command("annual_report", "--year", "2026", "--through-month", "10", "--format", "xlsx",
                 "--output", str(out))
    assert load_workbook(out).worksheets[0]["A1"].value == "吉阳区2026年1-10月招商引资工作统计表"


def test_the_command_refuses_a_month_in_the_future(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("annual_report", "--year", "2026", "--through-month", "12")


def test_the_work_plan_page_saves_targets_and_refuses_one_below_zero(data, leader, login):
    client = login(leader)
    url = reverse("reports:work_plan", args=[2026])
    base = {"note": "", "months_to_register": 3, "months_to_start": 6, "months_to_operate": 24,
            "months_to_capital": 6, "targets-TOTAL_FORMS": 1, "targets-INITIAL_FORMS": 0}
    refused = client.post(url, {**base, "target_signed_projects": "-5"})
    assert refused.status_code == 200
    assert "确保该值大于或等于0" in refused.content.decode()
    assert not WorkPlan.objects.exists()
    saved = client.post(url, {**base, "target_signed_projects": "10", "targets-0-indicator": "signed_amount",
                              "targets-0-industry": Industry.objects.get(code="C").pk, "targets-0-value": "10000"})
    assert saved.status_code == 302
    plan = WorkPlan.objects.get(year=2026)
    assert sorted((t.indicator, t.industry_id is not None, t.value) for t in plan.targets.all()) == [
        ("signed_amount", True, Decimal("10000.00")), ("signed_projects", False, Decimal("10.00"))]


def test_an_officer_sees_their_own_progress_on_their_work_page(data, leader, login):
    from django.template import Context, Template

    services.work_plan_save(year=2026, by=leader, targets=[
        TargetInput("signed_projects", Decimal("4"), officer=data.officer)])
    html = Template("{% load reports_tags %}{% officer_progress user %}").render(Context({"user": data.officer}))
    assert "3 / 4" in html and "75.0%" in html
    assert Template("{% load reports_tags %}{% officer_progress user %}").render(
        Context({"user": data.other})).strip() == ""


def test_a_reviewer_sees_only_their_own_bureaus_turnaround(data, reviewer_factory, login):
    market = reviewer_factory("market")
    response = login(market).get(reverse("reports:my_turnaround"))
    assert response.status_code == 200
    assert response.context["figures"]["overdue_now"] == 1
    assert [r.round.project.code for r in response.context["overdue"]] == ["P9"]
    assert "发改委" not in response.content.decode()


def test_the_dashboard_shows_the_longest_waiting_of_a_long_exception_list(data, leader, login, monkeypatch):
    from reports import presentation

    # a second contract signed long ago and never registered (beside P10)
    p = project("P11", data.projects[10].enterprise, data.officer, industry="J", history=[
        (d("2025-10-05"), "negotiating"), (d("2025-10-10"), "review"), (d("2025-10-20"), "signed")])
    milestone(p, MilestoneKind.CONTRACT, d("2025-10-20"), "800")
    key = "not_registered"
    full = services.report_for_period(year=2026, through_month=10)["exceptions"][key]["rows"]
    assert [r["code"] for r in full] == ["P11", "P10"]  # the longest-waiting first
    monkeypatch.setattr(presentation, "DASHBOARD_EXCEPTION_ROWS", 1)
    response = _dashboard(login(leader))
    section = next(s for s in response.context["exceptions"] if s["key"] == key)
    assert [r["code"] for r in section["rows"]] == [full[0]["code"]] and section["total"] == len(full)
    assert f"最久未办的 1 个（共 {len(full)} 个）" in response.content.decode()
