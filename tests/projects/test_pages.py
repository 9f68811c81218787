"""The pipeline pages as people use them: Chinese text, refusals shown without losing anything."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone

from projects import selectors, services
from projects.admin import ProjectAdmin
from projects.choices import Outcome, RequestStatus, Stage
from projects.models import Area, EntryThreshold, Milestone, Opinion, Project
from tests.factories import bureau
from tests.projects.factories import ProjectFactory, answer, open_round, pdf

pytestmark = pytest.mark.django_db


def test_the_project_page_shows_the_pre_check_with_numbers_and_verdicts(login, officer):
    project = ProjectFactory(owner=officer, area=Area.objects.get(name="农产品加工园区"),
                             fixed_asset_investment_wan=Decimal("5990"), land_mu=Decimal("20"),
                             expected_tax_wan=Decimal("240"), total_investment_wan=Decimal("8000"))
    assert EntryThreshold.objects.filter(industry=project.industry, area=project.area).count() == 2
    page = login(officer).get(project.get_absolute_url()).content.decode()
    assert project.code in page and "准入预审" in page
    assert "299.50" in page and "≥ 300" in page and "不符合" in page  # intensity below 300万元/亩
    assert "12.00" in page and "≥ 10" in page and "符合" in page  # tax per mu above 10万元/亩


def test_an_officer_opens_a_round_from_the_page_with_the_proposed_bureaus(login, officer):
    project = ProjectFactory(owner=officer, land_mu=Decimal("0"), fixed_asset_investment_wan=Decimal("0"))
    client = login(officer)
    form = client.get(reverse("projects:round_open", args=[project.pk])).context["form"]
    proposed = [b.code for b in form.initial["bureaus"]]
    assert proposed == ["talent", "ndrc", "ecology", "market"]  # no land, so no land planning
    response = client.post(reverse("projects:round_open", args=[project.pk]),
                           {"bureaus": [bureau(c).pk for c in ("ndrc", "ecology", "market")], "note": "请会签"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.REVIEW
    assert project.review_rounds.get().requests.count() == 3


def test_signing_on_the_page_is_refused_while_a_bureau_is_pending(login, officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc", "ecology"))
    services.opinion_submit(request=review_round.requests.get(bureau__code="ndrc"), by=reviewers["ndrc"],
                            outcome=Outcome.AGREE)
    response = login(officer).post(reverse("projects:milestone_record", args=[project.pk, "contract"]), {
        "date": "2026-11-20", "contract_amount_wan": "18000", "contract_file": pdf("合同.pdf")})
    assert response.status_code == 200
    assert "仍在等待生态环境分局的意见" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.REVIEW and not Milestone.objects.exists()


def test_the_back_office_cannot_move_a_project_to_signed(client, administrator, officer):
    project = ProjectFactory(owner=officer)
    open_round(project, officer)
    assert "stage" in ProjectAdmin.readonly_fields and not site._registry[Project].actions
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    url = reverse("admin:projects_project_change", args=[project.pk])
    assert client.get(url).status_code == 200
    data = {f: getattr(project, f) for f in ("name", "total_investment_wan", "fixed_asset_investment_wan",
                                              "foreign_capital_usd_wan", "land_mu", "expected_output_wan",
                                              "expected_tax_wan", "expected_jobs")}
    data.update(enterprise=project.enterprise_id, industry=project.industry_id, owner=officer.pk,
                stage=Stage.SIGNED, **{"stage_changes-TOTAL_FORMS": 1, "stage_changes-INITIAL_FORMS": 1,
                                       "stage_changes-0-id": project.stage_changes.get().pk,
                                       "stage_changes-0-project": project.pk})
    client.post(url, data)
    project.refresh_from_db()
    assert project.stage == Stage.REVIEW


def test_a_reviewer_sees_their_request_answers_and_a_missing_reason_is_a_chinese_field_error(login, officer,
                                                                                             reviewer):
    project = ProjectFactory(owner=officer)
    request = open_round(project, officer, codes=("ndrc", "ecology")).requests.get(bureau__code="ndrc")
    client = login(reviewer)
    page = client.get(reverse("projects:review_request_detail", args=[request.pk])).content.decode()
    assert "项目概况" in page and "准入预审" in page and "本部门会签意见" in page
    url = reverse("projects:opinion_submit", args=[request.pk])
    response = client.post(url, {"outcome": Outcome.DISAGREE, "reason": ""})
    assert "请填写意见理由" in response.content.decode()
    assert not Opinion.objects.exists()
    response = client.post(url, {"outcome": Outcome.DISAGREE, "reason": "投资强度不足",
                                 "attachments": [pdf("意见.pdf")]})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.opinions.get().documents.count() == 1
    # a second plain answer from a stale page is refused: the page now offers only an amendment
    response = client.post(url, {"outcome": Outcome.AGREE})
    assert response.status_code == 200 and "修改意见" in response.content.decode()


def test_a_reviewer_reads_other_bureaus_submitted_opinions_of_the_round(login, officer, reviewers):
    project = ProjectFactory(owner=officer)
    review_round = open_round(project, officer, codes=("ndrc", "ecology"))
    services.opinion_submit(request=review_round.requests.get(bureau__code="ecology"), by=reviewers["ecology"],
                            outcome=Outcome.DISAGREE, reason="涉及生态保护红线")
    own = review_round.requests.get(bureau__code="ndrc")
    page = login(reviewers["ndrc"]).get(own.get_absolute_url()).content.decode()
    assert "涉及生态保护红线" in page


@time_machine.travel(date(2026, 11, 27), tick=False)
def test_the_inbox_lists_pending_first_and_marks_the_overdue(login, officer, reviewers):
    reviewer = reviewers["ndrc"]
    with time_machine.travel(date(2026, 11, 2), tick=False):
        late = open_round(ProjectFactory(owner=officer, name="超期项目"), officer, codes=("ndrc",)).requests.get()
    answered = open_round(ProjectFactory(owner=officer, name="已答复项目"), officer, codes=("ndrc",)).requests.get()
    services.opinion_submit(request=answered, by=reviewer, outcome=Outcome.AGREE)
    fresh = open_round(ProjectFactory(owner=officer, name="新项目"), officer, codes=("ndrc",)).requests.get()
    client = login(reviewer)
    page = client.get(reverse("projects:my_reviews"))
    rows = page.context["requests"]
    assert [r.pk for r in rows] == [late.pk, fresh.pk]
    assert [r.is_overdue for r in rows] == [True, False]
    assert page.context["counts"] == {"open": 2, "answered": 1}
    answered_tab = client.get(reverse("projects:my_reviews"), {"show": "answered"}).context["requests"]
    assert [r.pk for r in answered_tab] == [answered.pk]
    assert not answered_tab[0].is_overdue


@time_machine.travel(date(2026, 11, 27), tick=False)
def test_the_inbox_pages_through_many_requests_and_puts_a_replaced_round_last(login, officer, reviewers):
    reviewer = reviewers["ndrc"]
    replaced_project = ProjectFactory(owner=officer, name="被替换的轮次")
    replaced = open_round(replaced_project, officer, codes=("ndrc",)).requests.get()
    replaced.round.superseded_at = timezone.now()
    replaced.round.save(update_fields=["superseded_at"])
    waiting = [open_round(ProjectFactory(owner=officer), officer, codes=("ndrc",)).requests.get()
               for _ in range(settings.CRM_PAGE_SIZE)]
    client = login(reviewer)
    first = client.get(reverse("projects:my_reviews"))
    assert [r.pk for r in first.context["requests"]] == [r.pk for r in waiting]
    second = client.get(reverse("projects:my_reviews"), {"page": 2})
    rows = list(second.context["requests"])
    assert [r.pk for r in rows] == [replaced.pk] and rows[0].is_current is False
    assert "被替换的轮次" in second.content.decode()


def test_the_talent_bureau_answers_a_talent_request_from_its_inbox(login, officer, reviewers):
    project = ProjectFactory(owner=officer)
    talent = services.talent_request_create(project=project, by=officer, kind="settlement", people=5,
                                            description="高管落户")
    client = login(reviewers["talent"])
    inbox = client.get(reverse("projects:my_reviews")).content.decode()
    assert "高管落户" in inbox
    response = client.post(reverse("projects:talent_request_answer", args=[talent.pk]),
                           {"status": "granted", "answer": "已办理落户"})
    assert response.status_code == 302
    talent.refresh_from_db()
    assert talent.status == "granted"
    # the talent bureau sees the project only through the talent request
    assert client.get(project.get_absolute_url()).status_code == 404
    assert login(reviewers["ndrc"]).get(reverse("projects:talent_request_answer", args=[talent.pk])).status_code \
        == 404


def test_a_stale_project_edit_shows_what_changed_and_keeps_the_first_save(client, officer, leader):
    project = ProjectFactory(owner=officer)
    url = reverse("projects:project_edit", args=[project.pk])
    client.force_login(officer)
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "co_owners"}
    data["co_owners"] = []
    # the leader saves first, changing the land
    services.project_update(project=project, by=leader, version=project.version, land_mu=Decimal("55"))
    data.update(land_mu="40", expected_jobs="999")
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "他人已保存" in body and "用地需求（亩）" in body
    project.refresh_from_db()
    assert (project.land_mu, project.expected_jobs, project.version) == (Decimal("55"), 120, 2)
    # saving again from the refreshed form (now on version 2) is accepted deliberately
    data["version"] = 2
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert (project.land_mu, project.expected_jobs) == (Decimal("40"), 999)


def test_the_pipeline_board_and_the_overdue_page_show_the_projects(login, leader, officer, reviewers):
    with time_machine.travel(date(2026, 11, 2), tick=False):
        open_round(ProjectFactory(owner=officer, name="云顶滨海度假村"), officer, codes=("ndrc", "ecology"))
    ProjectFactory(owner=officer, name="跨境电商直播基地")
    client = login(leader)
    board = client.get(reverse("projects:pipeline_board"))
    columns = {c["stage"]: [p.name for p in c["projects"]] for c in board.context["columns"]}
    assert columns[Stage.REVIEW] == ["云顶滨海度假村"] and columns[Stage.NEGOTIATING] == ["跨境电商直播基地"]
    assert {c["stage"]: c["more"] for c in board.context["columns"]}[Stage.NEGOTIATING] == 0
    with time_machine.travel(date(2026, 11, 27), tick=False):
        overdue = client.get(reverse("projects:overdue_reviews"))
    groups = {g["bureau"].code: [r.late_working_days for r in g["requests"]] for g in overdue.context["groups"]}
    assert groups == {"ndrc": [14], "ecology": [14]}  # due Monday 9 November: 10-13, 16-20 and 23-27 November


def test_a_pipeline_board_column_shows_its_first_cards_and_counts_the_rest(login, leader, officer):
    key = ProjectFactory(owner=officer, name="重点项目", is_key_project=True)
    for _ in range(selectors.BOARD_CARDS + 2):
        ProjectFactory(owner=officer)
    board = login(leader).get(reverse("projects:pipeline_board"))
    column = next(c for c in board.context["columns"] if c["stage"] == Stage.NEGOTIATING)
    assert column["count"] == selectors.BOARD_CARDS + 3 and column["more"] == 3
    assert len(column["projects"]) == selectors.BOARD_CARDS and column["projects"][0] == key
    body = board.content.decode()
    assert f'{reverse("projects:project_list")}?stage=negotiating' in body and "还有 3 个项目" in body


def test_the_project_list_finds_a_project_by_its_code(login, officer):
    wanted, other = ProjectFactory(owner=officer), ProjectFactory(owner=officer)
    page = login(officer).get(reverse("projects:project_list"), {"q": wanted.code.lower()})
    assert [p.pk for p in page.context["page"]] == [wanted.pk] and other.code not in page.content.decode()


def test_the_signing_is_recorded_on_the_page_once_every_bureau_agreed(login, officer, reviewers):
    project = ProjectFactory(owner=officer)
    answer(open_round(project, officer), reviewers)
    response = login(officer).post(reverse("projects:milestone_record", args=[project.pk, "contract"]), {
        "date": "2026-11-20", "contract_amount_wan": "18000", "contract_file": pdf("合同.pdf")})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert login(officer).get(project.get_absolute_url()).status_code == 200


def test_the_export_holds_the_filtered_projects_and_neutralises_formulas(login, officer):
    import io

    from openpyxl import load_workbook

    ProjectFactory(owner=officer, name="=HYPERLINK(\"http://x\")", stage=Stage.NEGOTIATING)
    ProjectFactory(owner=officer, name="另一个项目", stage=Stage.REVIEW)
    response = login(officer).get(reverse("projects:project_export"), {"stage": Stage.NEGOTIATING})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(\"http://x\")"
