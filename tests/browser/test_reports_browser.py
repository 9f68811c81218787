"""A leader opens the dashboard in a real browser, sees the charts with Chinese labels, clicks a bar of the
industry chart and lands on the list of the records behind it."""

import re

import pytest

from tests.browser.conftest import log_in, screenshot
from tests.reports.factories import build_dataset

# serialized_rollback: another transactional test may have flushed the reference data (bureaus, industries).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_leader_clicks_a_chart_segment_and_lands_on_its_records(page, live_server, leader, officer,
                                                                   other_officer):
    build_dataset(officer, other_officer)
    log_in(page, live_server, leader)
    page.goto(f"{live_server.url}/reports/?year=2026&month=10&indicator=signed_amount")
    page.wait_for_selector("#chart-industry .bars .point path")
    page.wait_for_selector("#chart-funnel .point path")
    assert "吉阳区2026年1-10月招商引资工作统计表" in page.locator("h1").inner_text()
    # The chart titles and axes are in Chinese (the SVG text Plotly drew, not only the HTML around it).
    assert "签约金额（万元）按行业（GB/T 4754）分布" in page.locator("#chart-industry .gtitle").text_content()
    assert "H 住宿和餐饮业" in page.locator("#chart-industry .ytick").all_text_contents()
    screenshot(page, "reports-dashboard")

    # The largest bar is on top: H 住宿和餐饮业, 16000 (P3 and P6).
    # Plotly listens on its drag layer above the bars and clicks the point it last hovered: hover, then click
    # where the bar is drawn.
    bar = page.locator("#chart-industry .bars .point path").last
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_selector("#chart-industry .hoverlayer .hovertext")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/reports/records/\?.*industry=H"))
    rows = page.locator("#records tbody tr")
    assert rows.count() == 2
    assert "P3" in rows.nth(0).inner_text() and "P6" in rows.nth(1).inner_text()
    assert "签约金额" in page.locator("h1").inner_text()
    screenshot(page, "reports-records-from-chart")
