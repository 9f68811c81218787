"""In a real browser: an officer routes a project to three bureaus, each bureau's reviewer answers, the officer
records the signing; a reviewer of a fourth bureau gets 404 on that project."""

from pathlib import Path

import pytest

from projects.choices import Stage
from projects.models import Project
from tests.browser.conftest import log_in, screenshot
from tests.projects.factories import PDF, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _switch_user(page, live_server, user):
    page.context.clear_cookies()
    return log_in(page, live_server, user)


def test_a_round_to_three_bureaus_is_answered_and_the_signing_recorded(page, live_server, officer, reviewer_factory,
                                                                         tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    reviewers = {code: reviewer_factory(code) for code in ("ndrc", "ecology", "market", "planning")}
    project = ProjectFactory(owner=officer, name="吉阳数字产业园")
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.click("text=发起会签")
    for label in ("人才发展局", "资规局"):
        page.get_by_label(label).uncheck()
    screenshot(page, "project-round-form")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#project-stage").inner_text() == "会商"

    for code in ("ndrc", "ecology", "market"):
        _switch_user(page, live_server, reviewers[code])
        page.goto(f"{live_server.url}/projects/reviews/")
        assert "待答复" in page.locator("#inbox-tabs").inner_text()
        if code == "ndrc":
            screenshot(page, "review-inbox")
        page.click(f"#review-inbox a:has-text('{project.code}')")
        assert "准入预审" in page.content()
        page.check("input[name=outcome][value=agree]")
        if code == "ndrc":
            screenshot(page, "review-request-reviewer")
        page.click(".opinion-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("#request-status").inner_text() == "已答复"

    _switch_user(page, live_server, officer)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.click("#record-milestone")
    page.fill("input[name=date]", "2026-11-20")
    page.fill("input[name=contract_amount_wan]", "18000")
    contract = Path(tmp_path) / "合同.pdf"
    contract.write_bytes(PDF)
    page.set_input_files("input[name=contract_file]", str(contract))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#project-stage").inner_text() == "签约"
    screenshot(page, "project-signed")
    assert Project.objects.get(pk=project.pk).stage == Stage.SIGNED

    _switch_user(page, live_server, reviewers["planning"])
    response = page.goto(f"{live_server.url}{project.get_absolute_url()}")
    assert response.status == 404
    request = project.review_rounds.get().requests.get(bureau__code="ndrc")
    assert page.goto(f"{live_server.url}{request.get_absolute_url()}").status == 404
